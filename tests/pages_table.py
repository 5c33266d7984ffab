"""The README's page table, made from the routes themselves.

Each feature has one stem across its handler module (``portal/<area>/<stem>_pages.py``), its
service (``portal/<area>/<stem>.py``) and its templates (``templates/<area>/<stem>*.html``).
This walks the app's named routes, groups them by handler module, and reads the templates
and services each handler module uses from its source. ``tests/unit/test_pages_table.py``
fails when the README's table is not what this makes; ``python -m tests.pages_table``
writes it.
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

from portal import PROJECT_ROOT

README = PROJECT_ROOT / "README.md"
START = "<!-- pages:start (python -m tests.pages_table) -->"
END = "<!-- pages:end -->"
AREA_ORDER = ("public", "accounts", "coordinator", "staff", "ops", "web")


def _routes() -> dict[str, list[tuple[str, str, str]]]:
    from portal.app import create_app

    by_module: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    seen = set()
    for route in create_app().routes:
        for handler in getattr(route, "route_handlers", []):
            module = handler.fn.__module__
            if not handler.name or not module.startswith("portal."):
                continue
            for method in sorted(handler.http_methods or ()):
                key = (handler.name, method)
                if key not in seen:
                    seen.add(key)
                    by_module[module].append((method, route.path, handler.name))
    return by_module


AREAS = ("public", "accounts", "coordinator", "staff", "ops")


def _is_service(name: str) -> bool:
    """An area module that is neither handlers, router nor web plumbing (which imports
    Litestar; services never do, tests/unit/test_architecture.py sees to it)."""
    parts = name.split(".")
    file = PROJECT_ROOT / Path(*parts).with_suffix(".py")
    if len(parts) != 3 or parts[1] not in AREAS or not file.exists():
        return False
    if parts[2].endswith("_pages") or parts[2] in ("web", "routes"):
        return False
    return "litestar" not in file.read_text()


def _uses(module: str) -> tuple[list[str], list[str]]:
    """The templates and the area services one handler module uses."""
    path = PROJECT_ROOT / Path(*module.split(".")).with_suffix(".py")
    tree = ast.parse(path.read_text())
    area, stem = module.split(".")[1], module.rsplit(".", 1)[1].removesuffix("_pages")
    templates = {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value.endswith(".html")
    }
    folder = PROJECT_ROOT / "templates" / area
    templates.update(
        f"{area}/{file.name}"
        for file in [*folder.glob(f"{stem}.html"), *folder.glob(f"{stem}_*.html")]
    )
    services = set()
    for node in ast.walk(tree) if area in AREAS else ():
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
            services.update(name.replace(".", "/") + ".py" for name in names if _is_service(name))
    return sorted(templates), sorted(services)


def rows() -> list[str]:
    by_module = _routes()

    def order(module: str) -> tuple[int, str]:
        area = module.split(".")[1]
        return (AREA_ORDER.index(area) if area in AREA_ORDER else len(AREA_ORDER), module)

    lines = [
        "| Area | Feature (stem) | Routes: method, URL, name | Templates | Services |",
        "|---|---|---|---|---|",
    ]
    for module in sorted(by_module, key=order):
        area = module.split(".")[1]
        stem = module.rsplit(".", 1)[1].removesuffix("_pages")
        routes = "<br>".join(
            f"{method} `{path}` `{name}`"
            for method, path, name in sorted(by_module[module], key=lambda r: (r[1], r[0]))
        )
        templates, services = _uses(module)
        lines.append(
            f"| {area} | `{stem}` (`{module.replace('.', '/')}.py`) | {routes} | "
            + ("<br>".join(f"`{t}`" for t in templates) or "—")
            + " | "
            + ("<br>".join(f"`{s}`" for s in services) or "—")
            + " |"
        )
    return lines


def block() -> str:
    return "\n".join([START, *rows(), END])


def current() -> str:
    text = README.read_text()
    start, end = text.index(START), text.index(END) + len(END)
    return text[start:end]


def write() -> None:
    text = README.read_text()
    README.write_text(text.replace(current(), block()))


if __name__ == "__main__":
    write()
    sys.stdout.write("README page table written\n")

"""The staff area's layers: services never import Litestar or the web layer, and every
handler has a route name ``staff:<page>`` and at most 25 lines."""

from __future__ import annotations

import ast
from pathlib import Path

STAFF = Path(__file__).resolve().parents[2] / "portal" / "staff"
WEB_ONLY = {"routes.py", "web.py"}
# Plain values that happen to live in portal.web: a service pages its listing in SQL with
# the one Pager every area uses (docs/architecture.md, "Filter and page in SQL").
PURE_WEB = {"portal.domain.paging"}


def imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def services() -> list[Path]:
    return [
        p
        for p in sorted(STAFF.glob("*.py"))
        if not p.stem.endswith("_pages") and p.name not in WEB_ONLY and p.stem != "__init__"
    ]


def test_services_never_import_litestar_or_the_web_layer():
    assert len(services()) >= 10
    for path in services():
        web = {
            m
            for m in imports(path)
            if m.split(".")[0] == "litestar" or (m.startswith("portal.web") and m not in PURE_WEB)
        }
        assert not web, (path.name, web)


def handlers():
    for path in sorted(STAFF.glob("*_pages.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.AsyncFunctionDef | ast.FunctionDef):
                routes = [
                    d
                    for d in node.decorator_list
                    if isinstance(d, ast.Call) and getattr(d.func, "id", "") in ("get", "post")
                ]
                if routes:
                    yield path.name, node, routes[0]


def test_every_handler_is_named_and_thin():
    seen = list(handlers())
    assert len(seen) >= 25
    for file, node, route in seen:
        name = next(k.value for k in route.keywords if k.arg == "name")
        assert isinstance(name, ast.Constant) and name.value.startswith("staff:"), node.name
        assert name.value == name.value.lower() and "_" not in name.value, name.value
        assert node.end_lineno - node.lineno + 1 <= 25, (file, node.name)

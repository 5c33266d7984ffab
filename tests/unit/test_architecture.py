"""The rules of docs/architecture.md that a machine can check, over the whole of portal/.

They fail when a new handler grows fat, a service starts speaking HTTP, a file outgrows
500 lines, a path is typed out instead of reversed, or a route has no name.
"""

from __future__ import annotations

import ast
import re
import statistics
from pathlib import Path

import pytest

from portal import PROJECT_ROOT

PORTAL = PROJECT_ROOT / "portal"
AREAS = ("public", "accounts", "coordinator", "staff", "drive")
ROUTE_DECORATORS = {"get", "post", "put", "patch", "delete", "route", "head"}
MAX_FILE_LINES = 500
MAX_HANDLER_P90 = 25
# Modules of an area that are web plumbing of that area rather than services.
WEB_MODULES = {
    "portal/public/cache.py",  # the public page cache is ASGI-level
    "portal/auth/sessions.py",  # session middleware
    "portal/auth/guards.py",
}
AUDIT_ROW = re.compile(r"(?<!class )\bAuditEntry\(")
NAME = re.compile(r"^[a-z]+:[a-z0-9]+(?:-[a-z0-9]+)*$")
AREA_PATH = re.compile(r"^/(?:petugas|koordinator|admin|akun)(?:[/?#].*)?$")


def python_files(under: Path = PORTAL) -> list[Path]:
    return sorted(p for p in under.rglob("*.py") if "__pycache__" not in p.parts)


def relative(path: Path) -> str:
    return str(path.relative_to(PROJECT_ROOT))


def handlers() -> list[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef, ast.Call | None]]:
    found = []
    for path in python_files():
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for decorator in node.decorator_list:
                func = decorator.func if isinstance(decorator, ast.Call) else decorator
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name in ROUTE_DECORATORS:
                    call = decorator if isinstance(decorator, ast.Call) else None
                    found.append((relative(path), node, call))
                    break
    return found


def is_service(path: str) -> bool:
    """Area modules are services, except handlers (``*_pages.py``), the router, the area's
    shared page helpers (``web.py``) and the web plumbing listed above."""
    parts = Path(path).parts
    if len(parts) < 3 or parts[1] not in AREAS or path in WEB_MODULES:
        return False
    name = parts[-1]
    return not (name.endswith("_pages.py") or name in ("routes.py", "web.py", "__init__.py"))


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_the_walk_finds_the_handlers():
    assert len(handlers()) > 80


def handler_sizes() -> dict[str, int]:
    """Lines of each handler from its ``def`` to its last line (decorators not counted)."""
    return {
        f"{path}:{node.lineno} {node.name}": node.end_lineno - node.lineno + 1  # type: ignore[operator]
        for path, node, _ in handlers()
    }


def test_handlers_are_thin():
    sizes = handler_sizes()
    p90 = statistics.quantiles(sorted(sizes.values()), n=10)[-1]
    assert p90 <= MAX_HANDLER_P90, f"handler p90 is {p90} lines"
    fat = {where: n for where, n in sizes.items() if n > MAX_HANDLER_P90}
    assert not fat, f"handlers over {MAX_HANDLER_P90} lines: {fat}"


def test_every_handler_has_an_area_route_name():
    unnamed = []
    for path, node, call in handlers():
        keywords = {k.arg: k.value for k in call.keywords} if call else {}
        name = keywords.get("name")
        if not (isinstance(name, ast.Constant) and NAME.match(str(name.value))):
            unnamed.append(f"{path}:{node.lineno} {node.name}")
    assert not unnamed, "handlers without an <area>:<page> route name: " + ", ".join(unnamed)


def test_no_file_in_portal_is_over_500_lines():
    long = {
        relative(p): n
        for p in python_files()
        if (n := len(p.read_text().splitlines())) > MAX_FILE_LINES
    }
    assert not long, long


@pytest.mark.parametrize("package", ["domain", "rules", "tables"])
def test_shared_layers_do_not_speak_http(package):
    speaking = [
        relative(p)
        for p in python_files(PORTAL / package)
        if any(speaks_http(name) for name in imports(p))
    ]
    assert not speaking, speaking


def speaks_http(module: str) -> bool:
    return module.split(".")[0] == "litestar" or module.startswith("portal.web")


def test_services_do_not_speak_http():
    """Neither Litestar nor the web plumbing: a service is called with plain values."""
    speaking = [
        relative(p)
        for p in python_files()
        if is_service(relative(p)) and any(speaks_http(n) for n in imports(p))
    ]
    assert not speaking, speaking


def test_area_paths_are_reversed_not_typed():
    """A path under /petugas, /koordinator, /admin or /akun is written only where a route is
    declared (decorators and routers), never built by hand."""
    typed = []
    for path in python_files():
        tree = ast.parse(path.read_text())
        declared = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name in ROUTE_DECORATORS | {"Router", "public_page"} and node.args:
                    first = node.args[0]
                    if isinstance(first, ast.Constant):
                        declared.add(id(first))
                for keyword in node.keywords:
                    if keyword.arg == "path" and isinstance(keyword.value, ast.Constant):
                        declared.add(id(keyword.value))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in declared
                and AREA_PATH.match(node.value)
            ):
                typed.append(f"{relative(path)}:{node.lineno} {node.value}")
    assert not typed, typed


def test_audit_is_written_through_the_domain_writer_only():
    """One writer: nothing in portal/ creates audit rows by hand or imports the old module."""
    offenders = [
        relative(p)
        for p in python_files()
        if relative(p) != "portal/domain/audit.py"
        and (AUDIT_ROW.search(p.read_text()) or "portal.audit" in imports(p))
    ]
    assert not offenders, offenders


def test_transactions_come_from_the_one_helper():
    offenders = [
        relative(p)
        for p in python_files()
        if relative(p) != "portal/domain/transactions.py" and ".transaction(" in p.read_text()
    ]
    assert not offenders, offenders

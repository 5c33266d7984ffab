"""The one place that decides between a full page and an htmx fragment.

Rule: a handler names its page template and the block that holds the region htmx swaps
(``block``, default ``"main"``). An htmx request that is not boosted and not a history
restore gets only that block; every other request gets the whole page. Every response
says ``Vary: HX-Request`` so no cache mixes the two.
"""

from __future__ import annotations

import functools
from typing import Any

from jinja2 import Environment, nodes
from jinja2_fragments import render_block
from litestar import Request, Response
from litestar.template.base import csrf_token

from portal.settings import get_settings
from portal.web.csrf import cookie_name as csrf_cookie_name
from portal.web.flash import read_notice


def template_env(request: Request) -> Environment:
    return request.app.template_engine.engine  # type: ignore[union-attr]


def wants_fragment(request: Request) -> bool:
    htmx = getattr(request, "htmx", None)
    if not htmx:
        return False
    return not htmx.boosted and not htmx.history_restore_request


def _csrf(request: Request) -> str:
    """The token forms echo back. Public pages skip the CSRF middleware (no Set-Cookie on
    cacheable pages), so there the token is taken from the cookie the browser already has:
    a signed-in visitor's sign-out button in the header still works."""
    token = csrf_token({"request": request})
    if not token:
        token = request.cookies.get(csrf_cookie_name(), "")
    return token


def base_context(request: Request) -> dict[str, Any]:
    return {
        "request": request,
        "csrf": _csrf(request),
        "current_user": request.scope.get("user"),
        "settings": get_settings(),
        "notice": read_notice(request),
    }


def render_html(
    request: Request, template: str, context: dict[str, Any], *, block: str | None = None
) -> str:
    env = template_env(request)
    ctx = {**base_context(request), **context}
    if block is not None:
        return _render_block(env, template, block, _with_imports(env, template, ctx))
    return env.get_template(template).render(**ctx)


def _render_block(env: Environment, template: str, block: str, ctx: dict[str, Any]) -> str:
    """One block of a page, the way a full render would produce it. The block may live in
    a layout the page extends (a page overriding only an inner block, as staff pages do
    with ``staff`` inside the layout's ``main``): the layouts' blocks are added behind the
    page's own, as Jinja does when it follows ``{% extends %}``."""
    page = env.get_template(template)
    if block in page.blocks:
        return render_block(env, template, block, **ctx)
    context = page.new_context(ctx)
    for parent in _parents_of(env, template):
        for name, func in env.get_template(parent).blocks.items():
            context.blocks.setdefault(name, []).append(func)
    if block not in context.blocks:
        return render_block(env, template, block, **ctx)  # raises BlockNotFoundError
    try:
        return env.concat(context.blocks[block][0](context))
    except Exception:
        env.handle_exception()
        raise


@functools.cache
def _parents_of(env: Environment, template: str) -> tuple[str, ...]:
    tree = env.parse(env.loader.get_source(env, template)[0])  # type: ignore[union-attr]
    for node in tree.find_all(nodes.Extends):
        if isinstance(node.template, nodes.Const):
            return (node.template.value, *_parents_of(env, node.template.value))
    return ()


def _with_imports(env: Environment, template: str, ctx: dict[str, Any]) -> dict[str, Any]:
    """Rendering one block skips the template's top level, where ``{% from … import … %}``
    runs, so a block would not find its macros. Run those imports (of the template and of
    the templates it extends) into the context first."""
    ctx = dict(ctx)
    # Cached per process: a template's list of imports only changes with a code change.
    for source, names, with_context in _imports_of(env, template):
        imported = env.get_template(source)
        module = imported.make_module(ctx) if with_context else imported.module
        if isinstance(names, str):  # {% import "x.html" as names %}
            ctx.setdefault(names, module)
            continue
        for name, alias in names:
            ctx.setdefault(alias, getattr(module, name))
    return ctx


@functools.cache
def _imports_of(env: Environment, template: str) -> tuple:
    tree = env.parse(env.loader.get_source(env, template)[0])  # type: ignore[union-attr]
    found: list = []
    for node in tree.body:
        if not isinstance(getattr(node, "template", None), nodes.Const):
            continue
        target = node.template.value  # type: ignore[attr-defined]
        if isinstance(node, nodes.Extends):
            found.extend(_imports_of(env, target))
        elif isinstance(node, nodes.FromImport):
            names = tuple((n, n) if isinstance(n, str) else (n[0], n[1]) for n in node.names)
            found.append((target, names, node.with_context))
        elif isinstance(node, nodes.Import):
            found.append((target, node.target, node.with_context))
    return tuple(found)


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    block: str = "main",
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> Response[str]:
    fragment = wants_fragment(request)
    html = render_html(request, template, context or {}, block=block if fragment else None)
    return Response(
        content=html,
        status_code=status_code,
        media_type="text/html",
        headers={"Vary": "HX-Request", **(headers or {})},
    )

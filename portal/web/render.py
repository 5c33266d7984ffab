"""The one place that decides between a full page and an htmx fragment.

Rule: a handler names its page template and the block that holds the region htmx swaps
(``block``, default ``"main"``). An htmx request that is not boosted and not a history
restore gets only that block; every other request gets the whole page. Every response
says ``Vary: HX-Request`` so no cache mixes the two.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment
from jinja2_fragments import render_block
from litestar import Request, Response
from litestar.template.base import csrf_token

from portal.settings import get_settings


def template_env(request: Request) -> Environment:
    return request.app.template_engine.engine  # type: ignore[union-attr]


def wants_fragment(request: Request) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def _csrf(request: Request) -> str:
    """The token forms echo back. Public pages skip the CSRF middleware (no Set-Cookie on
    cacheable pages), so there the token is taken from the cookie the browser already has:
    a signed-in visitor's sign-out button in the header still works."""
    token = csrf_token({"request": request})
    if not token and request.app.csrf_config is not None:
        token = request.cookies.get(request.app.csrf_config.cookie_name, "")
    return token


def base_context(request: Request) -> dict[str, Any]:
    return {
        "request": request,
        "csrf": _csrf(request),
        "current_user": request.scope.get("user"),
        "settings": get_settings(),
    }


def render_html(
    request: Request, template: str, context: dict[str, Any], *, block: str | None = None
) -> str:
    env = template_env(request)
    ctx = {**base_context(request), **context}
    if block is not None:
        return render_block(env, template, block, **ctx)
    return env.get_template(template).render(**ctx)


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

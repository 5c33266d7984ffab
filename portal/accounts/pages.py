"""Response helpers shared by the account pages."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response
from litestar.datastructures import Cookie
from litestar.response import Redirect

from portal.accounts.display import HELPERS
from portal.web.render import render

# PUBLIC_PAGE: public pages without forms (no CSRF cookie is set on them).
# PUBLIC_FORM: public pages that hold a form and the posts of those forms: the CSRF
# middleware issues the token on GET and checks it on POST.
PUBLIC_PAGE = {"public": True, "skip_csrf": True}
PUBLIC_FORM = {"public": True}
# Sign-in pages, one-time links and codes must never be kept by a browser or proxy cache.
NO_STORE = {"Cache-Control": "no-store"}


def page(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status: int = 200,
    cookies: list[Cookie] | None = None,
    headers: dict[str, str] | None = None,
    block: str | None = "main",
) -> Response:
    response = render(
        request,
        template,
        {**HELPERS, **(context or {})},
        block=block,
        status_code=status,
        headers={**NO_STORE, **(headers or {})},
    )
    for cookie in cookies or []:
        response.set_cookie(cookie)
    return response


def see_other(path: str, *, cookies: list[Cookie] | None = None) -> Response:
    return Redirect(path, status_code=303, cookies=cookies or [], headers=NO_STORE)


def form_text(form: Any, name: str, limit: int = 200) -> str:
    """A form value, stripped and cut to a sane length (a form is not a file upload)."""
    return str(form.get(name) or "").strip()[:limit]


def form_secret(form: Any, name: str) -> str:
    """Passwords and codes: never stripped (spaces may be part of a passphrase)."""
    return str(form.get(name) or "")[:1024]


def form_values(form: Any) -> dict[str, str]:
    """What was typed, to put back into a form that had errors (never secrets)."""
    return {
        key: str(form.get(key) or "")[:200]
        for key in form
        if key != "_csrf_token" and "password" not in key
    }

"""Security headers on every response: pages, errors, fragments and static files alike."""

from __future__ import annotations

from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)

BASE_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}
HSTS = "max-age=31536000; includeSubDomains"


def security_headers(production: bool):
    """A ``before_send`` hook: unlike middleware it also runs for responses produced before
    routing (404, 405), so no response leaves without these headers."""
    headers = dict(BASE_HEADERS)
    if production:
        headers["Strict-Transport-Security"] = HSTS

    async def before_send(message: Message, scope: Scope) -> None:
        if message["type"] == "http.response.start":
            mutable = MutableScopeHeaders.from_message(message)
            for key, value in headers.items():
                mutable[key] = value

    return before_send

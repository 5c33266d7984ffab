"""Refuse an oversized request body from its Content-Length, before reading any of it.

Litestar's own limit (``request_max_body_size``) applies while a handler reads the body, so
a handler that never reads it, or a client that trickles megabytes slowly, would still tie
up a worker. This middleware answers 413 (the Indonesian error page) at once; bodies sent
without a Content-Length (chunked) are still cut off by Litestar's limit as they are read.
"""

from __future__ import annotations

from litestar.enums import ScopeType
from litestar.exceptions import HTTPException
from litestar.types import ASGIApp, Receive, Scope, Send

from portal.settings import get_settings


class BodyTooLarge(HTTPException):
    status_code = 413
    detail = "Request Entity Too Large"


def body_limit(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP:
            limit = get_settings().max_body_bytes
            for key, value in scope["headers"]:
                if key == b"content-length":
                    try:
                        too_large = int(value) > limit
                    except ValueError:
                        raise HTTPException(status_code=400) from None
                    if too_large:
                        raise BodyTooLarge()
                    break
        await app(scope, receive, send)

    return middleware


def size_text(num_bytes: int) -> str:
    """3145728 → "3 MB"; 1536000 → "1,5 MB" (Indonesian decimal comma)."""
    megabytes = num_bytes / (1024 * 1024)
    if megabytes >= 1:
        text = f"{megabytes:.1f}".removesuffix(".0").replace(".", ",")
        return f"{text} MB"
    return f"{max(1, round(num_bytes / 1024))} KB"

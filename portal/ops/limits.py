"""Refuse an oversized request body from its Content-Length, before reading any of it.

Litestar's own limit (``request_max_body_size``) applies while a handler reads the body, so
a handler that never reads it, or a client that trickles megabytes slowly, would still tie
up a worker. This middleware answers 413 (the Indonesian error page) at once; bodies sent
without a Content-Length (chunked) are still cut off by Litestar's limit as they are read.

One route takes more: the office's "belum rekam" export (``staff:office-import-upload``,
docs/drive.md §6.2) may be ``max_import_bytes``; every other path keeps ``max_body_bytes``.
The larger allowance is for staff only: ``import_body_gate`` runs after the session is known
and before CSRF reads the form, so nobody else can make a worker read 32 MiB.
"""

from __future__ import annotations

import functools

from litestar.enums import ScopeType
from litestar.exceptions import HTTPException, NoRouteMatchFoundException
from litestar.types import ASGIApp, Receive, ReceiveMessage, Scope, Send

from portal.settings import get_settings

IMPORT_UPLOAD = "staff:office-import-upload"
ALLOWED_LARGE = frozenset({"staff", "admin"})


class BodyTooLarge(HTTPException):
    status_code = 413
    detail = "Request Entity Too Large"

    def __init__(self, limit: int = 0) -> None:
        super().__init__()
        self.limit = limit  # the limit the body broke, for the error page's wording


@functools.cache
def _import_path(app: object) -> str | None:
    """The upload's path, reversed from its route name once per app (never written here)."""
    try:
        return app.route_reverse(IMPORT_UPLOAD)  # type: ignore[attr-defined]
    except NoRouteMatchFoundException:
        return None


def is_import_upload(scope: Scope) -> bool:
    return scope["path"] == _import_path(scope["app"])


def body_limit_of(scope: Scope) -> int:
    """The largest body this path accepts from anyone who may use it."""
    settings = get_settings()
    return settings.max_import_bytes if is_import_upload(scope) else settings.max_body_bytes


def _content_length(scope: Scope) -> int | None:
    for key, value in scope["headers"]:
        if key == b"content-length":
            try:
                return int(value)
            except ValueError:
                raise HTTPException(status_code=400) from None
    return None


def body_limit(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP:
            length = _content_length(scope)
            limit = body_limit_of(scope)
            if length is not None and length > limit:
                raise BodyTooLarge(limit)
        await app(scope, receive, send)

    return middleware


def import_body_gate(app: ASGIApp) -> ASGIApp:
    """On the import path, a body over ``max_body_bytes`` is staff's and admins' only: from
    anyone else it is refused from its Content-Length, or, when chunked, as soon as the
    bytes read pass the everyday limit. Installed after the session middleware."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or not is_import_upload(scope):
            await app(scope, receive, send)
            return
        user = scope.get("user")
        if user is not None and user.role in ALLOWED_LARGE:
            await app(scope, receive, send)
            return
        limit = get_settings().max_body_bytes
        length = _content_length(scope)
        if length is not None and length > limit:
            raise BodyTooLarge(limit)
        seen = 0

        async def counted() -> ReceiveMessage:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(limit)
            return message

        await app(scope, counted, send)

    return middleware


def size_text(num_bytes: int) -> str:
    """3145728 → "3 MB"; 1536000 → "1,5 MB" (Indonesian decimal comma)."""
    megabytes = num_bytes / (1024 * 1024)
    if megabytes >= 1:
        text = f"{megabytes:.1f}".removesuffix(".0").replace(".", ",")
        return f"{text} MB"
    return f"{max(1, round(num_bytes / 1024))} KB"

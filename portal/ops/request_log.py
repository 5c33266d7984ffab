"""One log line per request, and a request id that follows it.

The id comes from the client's (or proxy's) X-Request-ID when it looks like an id, else a
new one; it is echoed in the response and attached to every log record made while the
request is handled. The path is logged without its query string: searches may hold a NIK.
This wraps Litestar's whole ASGI handler, so 404s, 405s and refused hosts are logged too.
"""

from __future__ import annotations

import logging
import os
import re
import time
import uuid

from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from portal.logging_setup import request_id_var

log = logging.getLogger("portal.request")

_ACCEPTABLE_ID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")
QUIET_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})


def incoming_request_id(scope: Scope) -> str:
    for key, value in scope.get("headers", ()):
        if key == b"x-request-id":
            candidate = value.decode("latin-1")
            if _ACCEPTABLE_ID.match(candidate):
                return candidate
            break
    return uuid.uuid4().hex


def request_log(app: ASGIApp) -> ASGIApp:
    worker = str(os.getpid())

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        request_id = incoming_request_id(scope)
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status = 0

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableScopeHeaders.from_message(message)["X-Request-ID"] = request_id
            await send(message)

        try:
            await app(scope, receive, send_with_id)
        finally:
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            path = scope.get("path", "")
            level = logging.DEBUG if path in QUIET_PATHS and status < 500 else logging.INFO
            log.log(
                level,
                "request",
                extra={
                    "method": scope.get("method", ""),
                    "path": path,
                    "status": status or 500,
                    "duration_ms": duration_ms,
                    "worker": worker,
                },
            )
            request_id_var.reset(token)

    return middleware

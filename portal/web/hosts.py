"""Allowed hosts. Litestar's own check compares the Host header including its port, which
breaks on any port but the one configured; this one compares the host name only."""

from __future__ import annotations

from litestar.enums import ScopeType
from litestar.types import ASGIApp, HTTPResponseStartEvent, Receive, Scope, Send


def allowed_hosts(hosts: list[str]):
    exact = {h.lower() for h in hosts if not h.startswith("*.")}
    suffixes = tuple(h[1:].lower() for h in hosts if h.startswith("*."))
    allow_all = "*" in exact

    def host_ok(raw: bytes | None) -> bool:
        if allow_all:
            return True
        if not raw:
            return False
        host = raw.decode("latin-1").lower()
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        return name in exact or (bool(suffixes) and name.endswith(suffixes))

    def factory(app: ASGIApp) -> ASGIApp:
        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] == ScopeType.HTTP:
                host = next((v for k, v in scope["headers"] if k == b"host"), None)
                if not host_ok(host):
                    start: HTTPResponseStartEvent = {
                        "type": "http.response.start",
                        "status": 400,
                        "headers": [(b"content-type", b"text/plain; charset=utf-8")],
                    }
                    await send(start)
                    await send(
                        {
                            "type": "http.response.body",
                            "body": b"Host tidak dikenal.",
                            "more_body": False,
                        }
                    )
                    return
            await app(scope, receive, send)

        return middleware

    return factory

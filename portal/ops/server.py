"""What `portal serve` hands to uvicorn: the app factory plus worker-process setup.

Two behaviours of uvicorn (pinned in uv.lock; tests/integration/test_ops_overload.py and
tests/reliability/test_restarts.py fail if an upgrade breaks these) are adjusted in each
worker process:

- Connections beyond ``--limit-concurrency`` get uvicorn's English plain-text 503 before the
  app sees them; here they get a small Indonesian page with Retry-After. uvicorn looks the
  function up at call time, so replacing the module attribute is enough.
- On SIGTERM uvicorn closes idle keep-alive connections at once. A client that sent its next
  request at that instant gets a reset (measured: about 1 request in 6,000 during a rolling
  restart). Here an idle connection is drained instead: kept open for `DRAIN_SECONDS`, a
  request arriving meanwhile is answered with ``Connection: close``, then it is closed.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any, cast

from litestar import Litestar

from portal.web.headers import BASE_HEADERS

OVERLOAD_RETRY_AFTER = 2
OVERLOAD_BODY = (
    b'<!doctype html><html lang="id"><head><meta charset="utf-8">'
    b'<meta name="viewport" content="width=device-width, initial-scale=1">'
    b"<title>Layanan sedang sibuk</title></head><body><main>"
    b"<h1>Layanan sedang sibuk</h1>"
    b"<p>Banyak orang membuka portal ini bersamaan. Coba lagi dalam beberapa detik.</p>"
    b"<p>Kode kesalahan: 503.</p></main></body></html>"
)


async def overload_page(scope, receive, send) -> None:
    headers = [
        (b"content-type", b"text/html; charset=utf-8"),
        (b"content-length", str(len(OVERLOAD_BODY)).encode()),
        (b"retry-after", str(OVERLOAD_RETRY_AFTER).encode()),
        (b"cache-control", b"no-store"),
        (b"connection", b"close"),
        *((k.lower().encode(), v.encode()) for k, v in BASE_HEADERS.items()),
    ]
    await send({"type": "http.response.start", "status": 503, "headers": headers})
    await send({"type": "http.response.body", "body": OVERLOAD_BODY, "more_body": False})


def install_overload_page() -> list[str]:
    """Replace uvicorn's overload answer in every HTTP protocol module; return their names."""
    import uvicorn.protocols.http as http_protocols

    patched = []
    for info in pkgutil.iter_modules(http_protocols.__path__):
        try:
            module = importlib.import_module(f"{http_protocols.__name__}.{info.name}")
        except ImportError:  # an optional protocol whose library is not installed
            continue
        if info.name != "flow_control" and hasattr(module, "service_unavailable"):
            cast(Any, module).service_unavailable = overload_page
            patched.append(info.name)
    return patched


DRAIN_SECONDS = 1.0


def _draining_shutdown(self) -> None:
    if self.cycle is None or self.cycle.response_complete:
        self._portal_draining = True
        self.loop.call_later(DRAIN_SECONDS, _close_if_idle, self)
    else:
        self.cycle.keep_alive = False


def _close_if_idle(protocol) -> None:
    if protocol.cycle is None or protocol.cycle.response_complete:
        protocol.transport.close()
    # else: the request that arrived during the drain closes the connection after its
    # response (its keep_alive is off).


def _headers_complete_while_draining(original):
    def on_headers_complete(self) -> None:
        original(self)
        if getattr(self, "_portal_draining", False) and self.cycle is not None:
            self.cycle.keep_alive = False

    on_headers_complete._portal = True  # type: ignore[attr-defined]
    return on_headers_complete


def install_keepalive_drain() -> None:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    if getattr(HttpToolsProtocol.on_headers_complete, "_portal", False):
        return
    # Patching uvicorn's protocol class is the point here (see the module docstring).
    HttpToolsProtocol.shutdown = _draining_shutdown  # type: ignore[method-assign]
    HttpToolsProtocol.on_headers_complete = _headers_complete_while_draining(  # type: ignore[method-assign]
        HttpToolsProtocol.on_headers_complete
    )


def app_factory() -> Litestar:
    from portal.app import create_app

    install_overload_page()
    install_keepalive_drain()
    return create_app()

"""What `portal serve` hands to uvicorn: the app factory plus worker-process setup.

uvicorn answers connections beyond ``--limit-concurrency`` itself, before the app sees
them, with an English plain-text 503. Each worker process swaps that answer for a small
Indonesian page with Retry-After (uvicorn looks the function up at call time, so replacing
the module attribute is enough; a test pins this in case uvicorn changes).
"""

from __future__ import annotations

import importlib
import pkgutil

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
            module.service_unavailable = overload_page
            patched.append(info.name)
    return patched


def app_factory() -> Litestar:
    from portal.app import create_app

    install_overload_page()
    return create_app()

"""uvicorn's own overload answer (beyond --limit-concurrency) is replaced by an Indonesian
page in every HTTP protocol implementation uvicorn has."""

from __future__ import annotations

import importlib

from portal.ops.server import OVERLOAD_BODY, install_overload_page, overload_page


def test_every_uvicorn_http_protocol_uses_the_indonesian_page():
    patched = install_overload_page()
    assert "httptools_impl" in patched and "h11_impl" in patched
    for name in patched:
        module = importlib.import_module(f"uvicorn.protocols.http.{name}")
        assert module.service_unavailable is overload_page


async def test_overload_page_is_a_small_indonesian_503_with_retry_after():
    sent = []

    async def send(message):
        sent.append(message)

    await overload_page({"type": "http"}, None, send)
    start, body = sent
    headers = dict(start["headers"])
    assert start["status"] == 503
    assert headers[b"retry-after"] == b"2"
    assert headers[b"content-length"] == str(len(body["body"])).encode()
    assert b"Layanan sedang sibuk" in body["body"] and b'lang="id"' in body["body"]
    assert len(OVERLOAD_BODY) < 1024

"""A POST with a chunked body (no Content-Length), driven through the ASGI interface:
test clients always send a length, so only this shows what a limit does while the body is
still arriving."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

CHUNK = b"x" * 65536


@dataclass(frozen=True)
class Chunked:
    status: int
    chunks_read: int  # how many chunks the app asked for before it answered


async def post_chunked(
    app: Any,
    method: str,
    path: str,
    client: Any,
    chunks: int,
    headers: dict[str, str] | None = None,
) -> Chunked:
    """Send ``chunks`` chunks of ``CHUNK`` to ``path`` with the client's cookies and
    ``headers``; the status the app answered and how much of the body it read."""
    cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    remaining, read = chunks, 0
    sent: list[dict] = []

    async def receive() -> dict:
        nonlocal remaining, read
        remaining -= 1
        read += 1
        return {"type": "http.request", "body": CHUNK, "more_body": remaining > 0}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "server": ("testserver.local", 80),
        "client": ("127.0.0.1", 5000),
        "headers": [
            (b"host", b"testserver.local"),
            (b"content-type", b"application/x-www-form-urlencoded"),
            (b"transfer-encoding", b"chunked"),
            (b"cookie", cookie.encode()),
            *((name.lower().encode(), value.encode()) for name, value in (headers or {}).items()),
        ],
    }
    await app(scope, receive, send)
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    return Chunked(status, read)

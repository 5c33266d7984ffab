"""In-process cache of rendered public pages, one per worker process.

Why here and not in a proxy: the portal must be fast on a single small server and keep
answering from the last good copy while the database is down.

- Key: path + query string + fragment-or-full-page (htmx). Only anonymous requests use it:
  a signed-in visitor's page shows their name and a "Keluar" button, so it is never stored
  or served from here (and gets ``no-store`` from the session middleware).
- Freshness: an entry is fresh while the content revision (``site_revision``, bumped by
  ``portal.content.load.bump_revision()`` whenever public content changes) is unchanged, the
  Jakarta date is the one it was rendered on (upcoming sessions, "hari ini"), and it is
  younger than its handler's ``ttl`` (60 s for "open now" and live counts). Each worker reads
  the revision at most once per ``check_interval`` seconds.
- Entries that are no longer fresh are not served to visitors while the database works;
  they stay only as the last good copy for when it does not (then they are served with
  ``X-Portal-Cache: stale`` instead of the 503 page).
- Each entry keeps the page and its gzip form (made once, ``mtime=0``) and a weak ETag of
  the page, so ``If-None-Match`` gets a 304 and compressed hits cost no compression.

Use ``public_page(path, ttl=…)`` instead of ``litestar.get`` on a public GET handler.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from litestar import get
from litestar.enums import ScopeType
from litestar.types import (
    ASGIApp,
    HTTPResponseBodyEvent,
    HTTPResponseStartEvent,
    Message,
    Receive,
    Scope,
    Send,
)

from portal import db
from portal.settings import get_settings

DEFAULT_TTL = 300.0
BROWSER_CACHE = "public, max-age=60"
MAX_ENTRIES = 600
GZIP_MIN = 512
# Headers of a rendered page worth keeping; everything else is set per response.
KEPT_HEADERS = {b"content-type", b"content-disposition", b"content-language"}
PUBLIC_OPT = {"public": True, "skip_csrf": True}

Key = tuple[str, bytes, bool]


@dataclass(slots=True)
class Entry:
    headers: list[tuple[bytes, bytes]]
    body: bytes
    gzipped: bytes | None
    etag: bytes
    cache_control: bytes
    revision: int
    day: date
    stored_at: float
    ttl: float

    def fresh(self, revision: int, day: date, now: float) -> bool:
        return self.revision == revision and self.day == day and now - self.stored_at < self.ttl


class PageCache:
    def __init__(self, max_entries: int = MAX_ENTRIES, check_interval: float = 1.0) -> None:
        self.max_entries = max_entries
        self.check_interval = check_interval
        self.clock: Callable[[], float] = time.monotonic
        self.entries: OrderedDict[Key, Entry] = OrderedDict()
        self.revision: int | None = None
        self.checked_at = float("-inf")
        self._lock = asyncio.Lock()

    def clear(self) -> None:
        self.entries.clear()
        self.revision = None
        self.checked_at = float("-inf")

    def get(self, key: Key) -> Entry | None:
        entry = self.entries.get(key)
        if entry is not None:
            self.entries.move_to_end(key)
        return entry

    def put(self, key: Key, entry: Entry) -> None:
        self.entries[key] = entry
        self.entries.move_to_end(key)
        while len(self.entries) > self.max_entries:
            self.entries.popitem(last=False)

    async def current_revision(self) -> int:
        """The content revision, read from the database at most once per interval. While
        one request reads it, others use the value from the previous read."""
        if self.revision is not None and (
            self.clock() - self.checked_at < self.check_interval or self._lock.locked()
        ):
            return self.revision
        async with self._lock:
            if self.revision is None or self.clock() - self.checked_at >= self.check_interval:
                from portal.tables.content import SiteRevision

                row = await SiteRevision.select(SiteRevision.revision).first()
                revision = int(row["revision"]) if row else 0
                if revision != self.revision:
                    # Older entries stop being fresh (their revision differs) but stay as
                    # the last good copy for a database outage.
                    self.revision = revision
                self.checked_at = self.clock()
        return self.revision


PAGE_CACHE = PageCache()


def _header(scope: Scope, name: bytes) -> bytes:
    for key, value in scope["headers"]:
        if key == name:
            return value
    return b""


def _is_fragment(scope: Scope) -> bool:
    """Same rule as portal.web.render.wants_fragment, read from raw headers."""
    return (
        bool(_header(scope, b"hx-request"))
        and _header(scope, b"hx-boosted") != b"true"
        and _header(scope, b"hx-history-restore-request") != b"true"
    )


def accepts_gzip(value: bytes) -> bool:
    for part in value.decode("latin-1").lower().split(","):
        token, _, params = part.strip().partition(";")
        if token.strip() in ("gzip", "*"):
            q = params.strip()
            return not (q.startswith("q=") and float(q[2:] or 0) == 0)
    return False


def etag_matches(if_none_match: bytes, etag: bytes) -> bool:
    if not if_none_match:
        return False
    if if_none_match.strip() == b"*":
        return True
    bare = etag.removeprefix(b"W/")
    return any(tag.strip().removeprefix(b"W/") == bare for tag in if_none_match.split(b","))


def make_entry(
    headers: list[tuple[bytes, bytes]],
    body: bytes,
    *,
    revision: int,
    day: date,
    now: float,
    ttl: float,
    cache_control: str,
) -> Entry:
    digest = hashlib.blake2b(body, digest_size=12).hexdigest()
    return Entry(
        headers=[(k, v) for k, v in headers if k.lower() in KEPT_HEADERS],
        body=body,
        gzipped=gzip.compress(body, compresslevel=6, mtime=0) if len(body) >= GZIP_MIN else None,
        etag=f'W/"{digest}"'.encode(),
        cache_control=cache_control.encode(),
        revision=revision,
        day=day,
        stored_at=now,
        ttl=ttl,
    )


async def send_entry(entry: Entry, scope: Scope, send: Send, label: bytes) -> None:
    common = [
        (b"etag", entry.etag),
        (b"cache-control", entry.cache_control),
        (b"vary", b"HX-Request, Accept-Encoding"),
        (b"x-portal-cache", label),
    ]
    if etag_matches(_header(scope, b"if-none-match"), entry.etag):
        await _respond(send, {"type": "http.response.start", "status": 304, "headers": common}, b"")
        return
    body, headers = entry.body, [*entry.headers, *common]
    if entry.gzipped is not None and accepts_gzip(_header(scope, b"accept-encoding")):
        body = entry.gzipped
        headers.append((b"content-encoding", b"gzip"))
    headers.append((b"content-length", str(len(body)).encode()))
    await _respond(send, {"type": "http.response.start", "status": 200, "headers": headers}, body)


async def _respond(send: Send, start: HTTPResponseStartEvent, body: bytes) -> None:
    end: HTTPResponseBodyEvent = {"type": "http.response.body", "body": body, "more_body": False}
    await send(start)
    await send(end)


def page_cache_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        opt = scope["route_handler"].opt
        query = scope.get("query_string", b"")
        if (
            scope["type"] != ScopeType.HTTP
            or scope["method"] != "GET"
            or scope.get("user") is not None
            or (query and not opt.get("cache_query", True))
        ):
            await app(scope, receive, send)
            return
        cache: PageCache = PAGE_CACHE
        key: Key = (scope["path"], query, _is_fragment(scope))
        entry = cache.get(key)
        state: db.DatabaseState = scope["app"].state.db_state
        if not state.ready:
            if entry is not None:
                await send_entry(entry, scope, send, b"stale")
            else:
                await app(scope, receive, send)  # the database guard answers 503
            return
        try:
            revision = await cache.current_revision()
        except db.UNAVAILABLE_ERRORS as exc:
            from portal.piccolo_conf import DB

            db.report_failure(state, DB, exc)
            if entry is not None:
                await send_entry(entry, scope, send, b"stale")
            else:
                await app(scope, receive, send)
            return
        day = datetime.now(get_settings().zone).date()
        now = cache.clock()
        if entry is not None and entry.fresh(revision, day, now):
            await send_entry(entry, scope, send, b"hit")
            return
        await _render_and_store(app, scope, receive, send, key, entry, revision, day, now, opt)

    return middleware


async def _render_and_store(
    app: ASGIApp,
    scope: Scope,
    receive: Receive,
    send: Send,
    key: Key,
    previous: Entry | None,
    revision: int,
    day: date,
    now: float,
    opt: dict[str, Any],
) -> None:
    # Render uncompressed: the entry keeps both forms, compressed once.
    inner = {**scope, "headers": [h for h in scope["headers"] if h[0] != b"accept-encoding"]}
    start: HTTPResponseStartEvent | None = None
    chunks: list[bytes] = []

    async def capture(message: Message) -> None:
        nonlocal start
        if message["type"] == "http.response.start":
            start = message
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(cast(Scope, inner), receive, capture)
    assert start is not None
    status = start["status"]
    headers = [(bytes(k), bytes(v)) for k, v in start.get("headers", [])]
    names = {k.lower() for k, _ in headers}
    body = b"".join(chunks)
    if status == 503 and previous is not None:
        await send_entry(previous, scope, send, b"stale")
        return
    storable = status == 200 and b"set-cookie" not in names and b"cache-control" not in names
    if not storable:
        await _respond(send, {**start, "headers": headers}, body)
        return
    entry = make_entry(
        headers,
        body,
        revision=revision,
        day=day,
        now=now,
        ttl=float(opt.get("cache_ttl", DEFAULT_TTL)),
        cache_control=opt.get("browser_cache", BROWSER_CACHE),
    )
    PAGE_CACHE.put(key, entry)
    await send_entry(entry, scope, send, b"miss")


def public_page(
    path: str | list[str],
    *,
    ttl: float = DEFAULT_TTL,
    cache_query: bool = True,
    browser_cache: str = BROWSER_CACHE,
    **kwargs: Any,
):
    """``@public_page("/jadwal", ttl=60)``: a public GET route whose anonymous responses are
    cached as described above. ``cache_query=False`` caches only the bare path (pages whose
    query holds personal input, like a birth date). A handler that sets its own
    Cache-Control header opts that response out of the cache."""
    opt = {
        **PUBLIC_OPT,
        "cache_ttl": ttl,
        "cache_query": cache_query,
        "browser_cache": browser_cache,
        **kwargs.pop("opt", {}),
    }
    return get(path, opt=opt, middleware=[page_cache_middleware], **kwargs)

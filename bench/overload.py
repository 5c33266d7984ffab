"""Overload: far more concurrent visitors than the server can take. With
``portal serve --limit-concurrency`` uvicorn sheds the excess at once with the Indonesian
503 page (portal.ops.server) instead of letting requests queue into timeouts.

The page is a signed-in coordinator's dashboard: it reads the database on every request
(public pages are served from an in-memory copy and barely load the server). Measures the
capacity of one worker (wrk, 8 connections), then 8x and 32x as many connections, with and
without a concurrency limit: requests/s, 200 versus 503, p99 latency, socket errors
(timeouts). uvicorn counts open connections against the limit, keep-alive ones included:
behind nginx, keep the upstream keepalive pool below the limit. Targets 127.0.0.1 only.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import PortalServer, figures, site, wrk
from tests.flows import session_cookie

SECONDS = int(os.environ.get("PORTAL_BENCH_SECONDS", "6"))
LIMIT = 32
PATH = "/koordinator/"


def main() -> None:
    results: dict = {}
    with site() as (_pg, env):
        cookie = {"Cookie": f"portal_session={session_cookie(env, 'rt03.surodinawan')}"}
        with PortalServer(env) as server:
            server.wait_for("/readyz", 200, timeout=30)
            wrk(server.url + PATH, seconds=1, headers=cookie)
            base = wrk(server.url + PATH, seconds=SECONDS, connections=8, headers=cookie)
            results["capacity req/s (8 conn)"] = base["rps"]
            results["capacity p99 ms"] = base["p99_ms"]
            for load in (64, 256):
                r = wrk(server.url + PATH, seconds=SECONDS, connections=load, headers=cookie)
                results[f"no limit, {load} conn: req/s"] = r["rps"]
                results[f"no limit, {load} conn: p99 ms"] = r["p99_ms"]
                results[f"no limit, {load} conn: errors"] = r["socket_errors"] + r["non_2xx"]
        with PortalServer(env, "--limit-concurrency", str(LIMIT)) as server:
            server.wait_for("/readyz", 200, timeout=30)
            wrk(server.url + PATH, seconds=1, headers=cookie)
            for load in (64, 256):
                r = wrk(server.url + PATH, seconds=SECONDS, connections=load, headers=cookie)
                results[f"limit {LIMIT}, {load} conn: req/s"] = r["rps"]
                results[f"limit {LIMIT}, {load} conn: 503s"] = r["non_2xx"]
                results[f"limit {LIMIT}, {load} conn: p99 ms"] = r["p99_ms"]
                results[f"limit {LIMIT}, {load} conn: socket errors"] = r["socket_errors"]
    figures("overload", results)


if __name__ == "__main__":
    main()

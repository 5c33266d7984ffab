"""Which server runs the portal: uvicorn versus granian, two worker processes on PostgreSQL.

wrk (1 thread, 32 connections, 5 s) against `/` and `/persyaratan` of `portal serve
--workers 2` (uvicorn) and of granian running the same app factory with 2 workers. granian
is pinned in the `bench` dependency group (`make install` or `make bench` installs it); the
portal itself is served by uvicorn only.
Client and server share the machine's 2 cores: compare the servers, not absolute numbers.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import ROOT, PortalServer, figures, site, wrk

PATHS = ["/", "/persyaratan"]
SECONDS = int(os.environ.get("PORTAL_BENCH_SECONDS", "5"))


class Granian(PortalServer):
    def start(self, timeout: float = 40) -> Granian:
        self._log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "granian",
                "--interface",
                "asgi",
                "--factory",
                "--workers",
                "2",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--log-level",
                "warning",
                "portal.ops.server:app_factory",
            ],
            env=self.env,
            cwd=ROOT,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.wait_for("/healthz", 200, timeout)
        return self


def measure(server: PortalServer, label: str, results: dict) -> None:
    server.wait_for("/readyz", 200, timeout=20)
    for path in PATHS:
        status = httpx.get(server.url + path, timeout=10).status_code
        if status != 200:
            results[f"{label} {path}"] = f"skipped (HTTP {status})"
            continue
        wrk(server.url + path, seconds=1)  # warm-up: pools, template caches
        result = wrk(server.url + path, seconds=SECONDS)
        results[f"{label} {path} req/s"] = result["rps"]
        results[f"{label} {path} p50 ms"] = result["p50_ms"]
        results[f"{label} {path} p99 ms"] = result["p99_ms"]
        results[f"{label} {path} errors"] = result["non_2xx"] + result["socket_errors"]


def main() -> None:
    if importlib.util.find_spec("granian") is None:
        # A comparison with one server is no comparison: say how to get the other one.
        sys.exit("granian is not installed: `make bench-deps` (uv sync --group bench) adds it")
    results: dict = {}
    with site() as (_pg, env):
        with PortalServer(env, "--workers", "2") as server:
            measure(server, "uvicorn", results)
        time.sleep(1)
        with Granian(env) as server:
            measure(server, "granian", results)
    figures("servers", results)


if __name__ == "__main__":
    main()

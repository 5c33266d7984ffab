"""Shared set-up for bench scripts: a throwaway PostgreSQL cluster with a migrated database
and demo data, and `portal serve` processes against it. Every target is 127.0.0.1.

Run scripts from the repository root (``make bench`` does): they import the clusters and
server helpers the reliability tests use.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.pgcluster import PgCluster  # noqa: E402
from tests.portalserver import PortalServer, portal, portal_env  # noqa: E402

__all__ = ["PgCluster", "PortalServer", "figures", "percentile", "site", "wrk"]


@contextlib.contextmanager
def site(**env_extra: str) -> Iterator[tuple[PgCluster, dict[str, str]]]:
    """A cluster with a migrated database holding the demo data (development settings,
    so demo accounts exist; the server still runs on PostgreSQL with a pool)."""
    with PgCluster() as pg:
        env = portal_env(
            pg.create_database("portal"),
            PORTAL_ENV="development",
            PORTAL_LOG_LEVEL="WARNING",
            **env_extra,
        )
        portal(env, "migrate")
        portal(env, "demo-data")
        yield pg, env


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    match = re.match(r"([\d.]+)(us|ms|s)", text)
    return float(match.group(1)) * _UNITS[match.group(2)] if match else float("nan")


def wrk(
    url: str,
    *,
    seconds: int = 5,
    connections: int = 32,
    threads: int = 1,
    headers: dict[str, str] | None = None,
) -> dict:
    """Run wrk against a loopback URL and return requests/s, p50/p99 (ms) and errors."""
    assert url.startswith("http://127.0.0.1:"), url
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk not installed (apt-get install wrk)")
    extra = [arg for k, v in (headers or {}).items() for arg in ("-H", f"{k}: {v}")]
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", *extra, url],
        capture_output=True,
        text=True,
        timeout=seconds + 30,
        check=True,
    ).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "rps": round(float(rps.group(1)), 1) if rps else 0.0,
        "p50_ms": round(_ms(p50.group(1)), 1) if p50 else float("nan"),
        "p99_ms": round(_ms(p99.group(1)), 1) if p99 else float("nan"),
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": sum(int(g) for g in errors.groups()) if errors else 0,
    }


def figures(script: str, values: dict) -> None:
    """The last line a bench script prints: its figures, for bench/run_all.py."""
    print(json.dumps({"script": script, "figures": values}, ensure_ascii=False))

"""Stopping and replacing workers loses no request: SIGTERM lets an in-flight request
finish; a rolling restart (SIGHUP to the `portal serve --workers N` supervisor: uvicorn
starts each replacement before it retires the old worker) under steady load fails none."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.pgcluster import PgCluster
from tests.portalserver import ROOT, PortalServer


@pytest.fixture
def signed_in(dev_site) -> tuple[PgCluster, dict[str, str], str]:
    """The demo site and a signed-in coordinator's cookie."""
    cluster, env = dev_site
    token = subprocess.run(
        [sys.executable, "-m", "e2e.make_session", "rt03.surodinawan"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.strip()
    return cluster, env, f"portal_session={token}"


class HeldLock:
    """Hold an ACCESS EXCLUSIVE lock on a table for ``seconds``: requests that read it wait,
    so a request is really in flight when the test sends its signal."""

    def __init__(self, pg: PgCluster, table: str, seconds: float) -> None:
        self.pg, self.table = pg, table
        sql = (
            f"BEGIN; LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE; "
            f"SELECT pg_sleep({seconds}); COMMIT;"
        )
        self.thread = threading.Thread(target=pg.psql, args=(sql, "portal"), daemon=True)

    def __enter__(self) -> HeldLock:
        self.thread.start()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            granted = self.pg.psql(
                "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                f"WHERE c.relname = '{self.table}' AND l.mode = 'AccessExclusiveLock' "
                "AND l.granted",
                "portal",
            )
            if granted == "1":
                return self
            time.sleep(0.05)
        raise TimeoutError("lock not taken")

    def __exit__(self, *exc: object) -> None:
        self.thread.join(timeout=30)


def in_background(fn, *args, **kwargs) -> tuple[threading.Thread, dict]:
    result: dict = {}

    def run() -> None:
        started = time.monotonic()
        try:
            result["response"] = fn(*args, **kwargs)
        except Exception as exc:
            result["error"] = exc
        result["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, result


def wait_until_blocked(pg: PgCluster, table: str) -> None:
    """Until some backend waits for the lock on ``table`` (the request is inside the app)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        waiting = pg.psql(
            "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
            f"WHERE c.relname = '{table}' AND NOT l.granted",
            "portal",
        )
        if waiting != "0":
            return
        time.sleep(0.05)
    raise TimeoutError("the request never reached the database")


def test_sigterm_lets_an_in_flight_request_finish(signed_in):
    pg, env, cookie = signed_in
    server = PortalServer(env, "--graceful-timeout", "15").start()
    try:
        server.wait_for("/readyz", 200, timeout=10)
        with HeldLock(pg, "user_session", seconds=3):
            thread, result = in_background(
                httpx.get, server.url + "/", headers={"Cookie": cookie}, timeout=30
            )
            wait_until_blocked(pg, "user_session")
            server.signal(signal.SIGTERM)
            time.sleep(0.5)
            # Shutting down: no new connection is accepted...
            with pytest.raises(httpx.HTTPError):
                httpx.get(server.url + "/healthz", timeout=2)
            thread.join(timeout=30)
        # ...but the one in flight got its whole answer.
        assert "error" not in result, result
        assert result["response"].status_code == 200
        assert "</html>" in result["response"].text
        assert result["seconds"] >= 2
        # uvicorn exits by re-raising the signal once everything is finished.
        assert server.proc.wait(timeout=20) in (0, -signal.SIGTERM)
    finally:
        server.stop()


def test_rolling_restart_under_load_fails_no_request(signed_in):
    pg, env, cookie = signed_in
    server = PortalServer(env, "--workers", "2", "--graceful-timeout", "15").start()
    stop = threading.Event()
    outcomes: list[str] = []

    def visitor() -> None:
        with httpx.Client(base_url=server.url, timeout=10) as client:
            while not stop.is_set():
                try:
                    outcomes.append(str(client.get("/").status_code))
                except httpx.HTTPError as exc:
                    outcomes.append(type(exc).__name__)
                time.sleep(0.005)  # steady load, not a saturating flood

    try:
        server.wait_for("/readyz", 200, timeout=20)
        visitors = [threading.Thread(target=visitor, daemon=True) for _ in range(4)]
        for thread in visitors:
            thread.start()
        time.sleep(1)
        old_workers = worker_pids(server)
        assert len(old_workers) == 2, old_workers
        # A signed-in request held in flight while its worker is replaced.
        with HeldLock(pg, "user_session", seconds=3):
            slow, result = in_background(
                httpx.get, server.url + "/", headers={"Cookie": cookie}, timeout=30
            )
            wait_until_blocked(pg, "user_session")
            server.signal(signal.SIGHUP)
            slow.join(timeout=30)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            current = worker_pids(server)
            if len(current) == 2 and not current & old_workers:
                break
            time.sleep(0.5)
        else:
            pytest.fail(f"workers not replaced: {old_workers} → {worker_pids(server)}")
        served_before = len(outcomes)
        time.sleep(1)
        stop.set()
        for thread in visitors:
            thread.join(timeout=15)
        assert "error" not in result and result["response"].status_code == 200, result
        assert len(outcomes) > served_before, "no request served by the new workers"
        assert workers_seen(server, last=20) <= current
        failures = [o for o in outcomes if o != "200"]
        assert len(outcomes) > 100
        assert failures == [], f"{len(failures)} of {len(outcomes)} failed: {set(failures)}"
    finally:
        stop.set()
        server.stop()


def worker_pids(server: PortalServer) -> set[str]:
    """The supervisor's worker processes (not multiprocessing's helper processes)."""
    children = subprocess.run(
        ["pgrep", "-P", str(server.proc.pid)], capture_output=True, text=True, check=False
    ).stdout.split()
    workers = set()
    for pid in children:
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"spawn_main" in cmdline:
            workers.add(pid)
    return workers


def workers_seen(server: PortalServer, last: int = 0) -> set[str]:
    """Process ids of the workers that served the (last ``last``) requests for /."""
    lines = [
        r for r in server.log_records() if r.get("logger") == "portal.request" and r["path"] == "/"
    ]
    return {r["worker"] for r in lines[-last:]}

"""Throwaway PostgreSQL clusters for tests that stop, crash or misconfigure the server.

The machine's shared server (127.0.0.1:5432) is never stopped: every test that needs an
outage gets a cluster of its own, initialised into a temporary folder, listening on a free
port of 127.0.0.1 with its socket inside that folder, and always removed afterwards.

    with PgCluster() as pg:          # initdb + start
        url = pg.create_database("portal")
        pg.stop("immediate")         # a crash: no checkpoint, WAL replay on the next start
        pg.start()

Without initdb (a machine without the postgresql package) tests skip loudly; with CI=true
they fail instead, because CI must run them.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PG_BIN = Path(os.environ.get("PORTAL_PG_BIN", "/usr/lib/postgresql/15/bin"))
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
_LIVE: set[PgCluster] = set()


class ClusterUnavailable(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def require_initdb() -> None:
    """Skip (or, in CI, fail) the calling test when clusters cannot be created here."""
    import pytest

    problem = ""
    if not (PG_BIN / "initdb").exists():
        problem = f"initdb not found in {PG_BIN} (apt-get install postgresql)"
    elif os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            problem = "running as root but there is no 'postgres' user to run initdb as"
    if problem:
        if IN_CI:
            pytest.fail(f"FAIL (CI=true): {problem}", pytrace=False)
        sys.stderr.write(f"\n*** SKIPPING THROWAWAY-CLUSTER TESTS: {problem} ***\n")
        pytest.skip(problem)


class PgCluster:
    """One PostgreSQL cluster in a temporary folder; ``settings`` become ``-c`` options."""

    def __init__(self, **settings: str) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="portal-pg-"))
        self.data = self.root / "data"
        self.socket_dir = self.root / "run"
        self.logfile = self.root / "server.log"
        self.port = free_port()
        self.settings = settings
        self._as_postgres = os.geteuid() == 0
        self.socket_dir.mkdir()
        if self._as_postgres:
            # mkdtemp makes a 0700 folder owned by root; initdb runs as postgres.
            user = pwd.getpwnam("postgres")
            for path in (self.root, self.socket_dir):
                os.chown(path, user.pw_uid, user.pw_gid)
        _LIVE.add(self)
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "--auth=trust",
            "-U",
            "postgres",
            "--no-sync",  # a test cluster need not survive a power cut of the machine
            "-E",
            "UTF8",
            "--locale=C",
        )

    # -- commands ---------------------------------------------------------------------------

    def _run(self, tool: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(PG_BIN / tool), *args]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
        if check and done.returncode != 0:
            raise ClusterUnavailable(
                f"{tool} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}\n"
                f"{self.server_log()}"
            )
        return done

    def start(self, **settings: str) -> None:
        """Start (or restart with other settings) and wait until connections are accepted."""
        self.settings.update(settings)
        options = [
            f"-p {self.port}",
            f"-k {self.socket_dir}",
            "-c listen_addresses=127.0.0.1",
            *(f"-c {key}={value}" for key, value in self.settings.items()),
        ]
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.logfile),
            "-o",
            " ".join(options),
            "-w",
            "-t",
            "30",
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        """``fast``: clean shutdown; ``immediate``: a crash (recovery from WAL on start)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "30", "stop")

    def kill(self) -> None:
        """SIGKILL the postmaster and every backend: the harshest crash there is."""
        pids = self._server_pids()
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_alive(p) for p in pids):
            time.sleep(0.05)

    def running(self) -> bool:
        done = self._run("pg_ctl", "-D", str(self.data), "status", check=False)
        return done.returncode == 0

    def _server_pids(self) -> list[int]:
        pidfile = self.data / "postmaster.pid"
        if not pidfile.exists():
            return []
        master = int(pidfile.read_text().splitlines()[0])
        children = subprocess.run(
            ["pgrep", "-P", str(master)], capture_output=True, text=True, check=False
        ).stdout.split()
        return [master, *(int(c) for c in children)]

    # -- connections ------------------------------------------------------------------------

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def psql(self, sql: str, database: str = "postgres") -> str:
        done = self._run(
            "psql",
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "-d",
            database,
            "-v",
            "ON_ERROR_STOP=1",
            "-At",
            "-c",
            sql,
        )
        return done.stdout.strip()

    def create_database(self, name: str) -> str:
        self.psql(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def server_log(self) -> str:
        try:
            return self.logfile.read_text()[-4000:]
        except OSError:
            return ""

    # -- lifetime ---------------------------------------------------------------------------

    def destroy(self) -> None:
        if self in _LIVE:
            _LIVE.discard(self)
            if (self.data / "postmaster.pid").exists():
                with contextlib.suppress(Exception):
                    self.stop("immediate")
                if (self.data / "postmaster.pid").exists():
                    self.kill()
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> PgCluster:
        try:
            self.start()
        except BaseException:
            self.destroy()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.destroy()

    def __hash__(self) -> int:
        return id(self)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@atexit.register
def _cleanup() -> None:
    for cluster in list(_LIVE):
        cluster.destroy()

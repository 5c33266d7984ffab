"""``portal serve`` as a real subprocess, for reliability tests and bench scripts.

The child's environment is built from scratch for the PORTAL_* part (the test process's own
settings point at its private test database and must not leak into the server).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from tests.pgcluster import free_port

ROOT = Path(__file__).resolve().parent.parent
SECRET = "reliability-secret-" + "z" * 40


def portal_env(database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PORTAL_", "PROMETHEUS_"))}
    env.update(
        {
            "PORTAL_ENV": "production",
            "PORTAL_DATABASE_URL": database_url,
            "PORTAL_SECRET_KEY": SECRET,
            "PORTAL_ALLOWED_HOSTS": '["127.0.0.1", "localhost"]',
            "PORTAL_LOG_LEVEL": "INFO",
            "PICCOLO_CONF": "portal.piccolo_conf",
        }
    )
    env.update(extra)
    return env


def portal(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run a ``portal`` CLI command to completion."""
    return python_module(env, "portal.cli", *args, check=check)


def python_module(
    env: dict[str, str], module: str, *args: str, check: bool = True
) -> subprocess.CompletedProcess:
    """``python -m module args`` in the project folder, to completion (``portal`` for the
    portal's own command; ``piccolo.main`` for Piccolo's, say)."""
    done = subprocess.run(
        [sys.executable, "-m", module, *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    if check and done.returncode != 0:
        raise RuntimeError(f"{module} {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done


class PortalServer:
    """One ``portal serve`` process. ``start()`` waits for /healthz (not /readyz: a server
    started while the database is down is alive but not ready)."""

    def __init__(self, env: dict[str, str], *serve_args: str, port: int | None = None) -> None:
        self.env = env
        self.serve_args = serve_args
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        fd, name = tempfile.mkstemp(prefix="portal-serve-", suffix=".log")
        os.close(fd)
        self.log_path = Path(name)
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 40) -> PortalServer:
        self._log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "portal.cli",
                "serve",
                "--port",
                str(self.port),
                *self.serve_args,
            ],
            env=self.env,
            cwd=ROOT,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # signals go to the supervisor, not to the test
        )
        self.wait_for("/healthz", 200, timeout)
        return self

    def wait_for(self, path: str, status: int, timeout: float) -> float:
        """Poll until ``path`` answers ``status``; return the seconds it took."""
        started = time.monotonic()
        last = ""
        while time.monotonic() - started < timeout:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"server exited ({self.proc.returncode}):\n{self.output()}")
            try:
                response = httpx.get(self.url + path, timeout=2)
                if response.status_code == status:
                    return time.monotonic() - started
                last = f"{response.status_code} {response.text[:200]}"
            except httpx.HTTPError as exc:
                last = repr(exc)
            time.sleep(0.1)
        raise TimeoutError(
            f"{path} did not answer {status} within {timeout} s (last: {last})\n{self.output()}"
        )

    def log_records(self) -> list[dict]:
        """The server's JSON log lines (other output, e.g. a crash before logging is set
        up, is skipped)."""
        records = []
        # The whole log, not output()'s tail: a slow start polls /readyz many times, and
        # the access lines would push the first records out of a tail.
        for line in self._read().splitlines():
            if line.startswith("{"):
                try:
                    records.append(json.loads(line))
                except ValueError:
                    continue
        return records

    def get(self, path: str, **kwargs) -> httpx.Response:
        return httpx.get(self.url + path, timeout=kwargs.pop("timeout", 10), **kwargs)

    def output(self) -> str:
        """The end of the server's output, for failure messages."""
        return self._read()[-20000:]

    def _read(self) -> str:
        if hasattr(self, "_log"):
            self._log.flush()
        return self.log_path.read_text(errors="replace")

    def signal(self, sig: int) -> None:
        assert self.proc is not None
        self.proc.send_signal(sig)

    def stop(self, timeout: float = 30) -> int | None:
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        if hasattr(self, "_log"):
            self._log.close()
        return self.proc.returncode

    def __enter__(self) -> PortalServer:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc: object) -> None:
        self.stop()
        if exc[0] is None:
            self.log_path.unlink(missing_ok=True)
        else:
            sys.stderr.write(f"server log kept at {self.log_path}\n")

"""What the bench scripts share: a portal server of their own on a free port with demo data.

Everything runs on 127.0.0.1 and stops by itself (servers are children of the script and
are stopped in a ``finally``)."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
PUBLIC_PATHS = {
    "home": "/",
    "persyaratan": "/persyaratan",
    "lokasi": "/lokasi",
    "lokasi-detail": "/lokasi/kota-mpp-gajah-mada",
    "cari-tempat": "/cari-tempat?kantor=kota&kecamatan=35.76.01&desa=35.76.01.1007",
    "jadwal": "/jadwal",
    "jadwal-detail": "/jadwal/1",
    "cek-usia": "/cek-usia",
    "capaian": "/capaian",
    "privasi": "/privasi",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_for(url: str, proc: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
            if response.status == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"{url} not ready after {timeout} s")


def stop(proc: subprocess.Popen | None) -> None:
    if proc is not None and proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@contextlib.contextmanager
def portal_server(workers: int = 1) -> Iterator[str]:
    """Migrate a fresh SQLite database, load the demo data and serve it; yields the URL."""
    tmp = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    env = {
        **os.environ,
        "PORTAL_ENV": "development",
        "PORTAL_DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}",
        "PORTAL_LOG_LEVEL": "WARNING",
        "PICCOLO_CONF": "portal.piccolo_conf",
    }
    cli = [sys.executable, "-m", "portal.cli"]
    for step in (["migrate"], ["demo-data"]):
        subprocess.run([*cli, *step], env=env, cwd=ROOT, check=True, capture_output=True)
    try:
        with serving(env, tmp / "server.log", workers) as url:
            yield url
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@contextlib.contextmanager
def serving(env: dict[str, str], log: Path | None = None, workers: int = 1) -> Iterator[str]:
    """``portal serve`` on a free port with ``env`` (its output to ``log``, or nowhere);
    yields the URL once ``/readyz`` answers and stops the server afterwards."""
    port = free_port()
    out = log.open("w") if log else None
    command = ["serve", "--host", HOST, "--port", str(port), "--workers", str(workers)]
    proc = subprocess.Popen(
        [sys.executable, "-m", "portal.cli", *command],
        env=env,
        cwd=ROOT,
        stdout=out or subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    url = f"http://{HOST}:{port}"
    try:
        wait_for(url + "/readyz", proc)
        yield url
    finally:
        stop(proc)
        if out:
            out.close()


def fetch(url: str, headers: dict[str, str] | None = None) -> bytes:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 (127.0.0.1 only)
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return response.read()


def postgres_reachable(url: str) -> bool:
    """Whether a PostgreSQL server answers at ``url``: scripts that measure both engines
    report PostgreSQL as skipped instead of failing when none runs."""
    import asyncio

    import asyncpg

    async def ping() -> bool:
        try:
            conn = await asyncpg.connect(url, timeout=3)
        except (OSError, asyncpg.PostgresError):
            return False
        await conn.close()
        return True

    return asyncio.run(ping())

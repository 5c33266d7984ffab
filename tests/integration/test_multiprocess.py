"""Two `portal serve` processes on one database (the engine of this run: the PostgreSQL
suite runs it against a temporary PostgreSQL database): a session created by one is valid
on the other, sign-out on one ends it on both, and sign-in throttling counts attempts made
on either."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pytest

from portal.auth.sessions import cookie_name
from tests.conftest import TEST_DATABASE_URL
from tests.integration.accounts_fixtures import PASSWORD, make_user

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Serve:
    def __init__(self, env: dict[str, str]):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)  # noqa: SIM115
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "portal.cli", "serve", "--port", str(self.port)],
            env=env,
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def output(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text()

    async def wait_ready(self) -> None:
        deadline = time.monotonic() + 40
        async with httpx.AsyncClient() as http:
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"server died:\n{self.output()}")
                try:
                    if (await http.get(self.url + "/readyz", timeout=2)).status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.2)
        raise RuntimeError(f"server not ready:\n{self.output()}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()
        os.unlink(self.log.name)


@pytest.fixture
async def two_servers(db):
    env = {
        **os.environ,
        "PORTAL_ENV": "development",
        "PORTAL_DATABASE_URL": TEST_DATABASE_URL,
        "PORTAL_SECRET_KEY": "two-processes-" + "z" * 40,
        "PORTAL_ALLOWED_HOSTS": '["127.0.0.1"]',
        "PORTAL_LOG_LEVEL": "WARNING",
    }
    servers = [Serve(env), Serve(env)]
    try:
        await asyncio.gather(*[s.wait_ready() for s in servers])
        yield servers
    finally:
        for server in servers:
            server.stop()


async def _sign_in(http: httpx.AsyncClient, base: str, username: str, password: str):
    await http.get(base + "/masuk")
    return await http.post(
        base + "/masuk",
        data={
            "username": username,
            "password": password,
            "_csrf_token": http.cookies.get("csrftoken"),
        },
    )


async def test_a_session_from_one_process_is_valid_on_the_other(two_servers):
    a, b = two_servers
    await make_user("rt.dua.proses")
    async with httpx.AsyncClient(follow_redirects=False) as browser:
        response = await _sign_in(browser, a.url, "rt.dua.proses", PASSWORD)
        assert response.status_code == 303, a.output()
        token = browser.cookies.get(cookie_name())
        assert token
        on_b = await browser.get(b.url + "/akun")
        assert on_b.status_code == 200 and "rt.dua.proses" in on_b.text
        # Sign out on B: A refuses the same cookie at once.
        out = await browser.post(
            b.url + "/keluar", data={"_csrf_token": browser.cookies.get("csrftoken")}
        )
        assert out.status_code == 303
        replay = await browser.get(a.url + "/akun", headers={"Cookie": f"{cookie_name()}={token}"})
        assert replay.status_code == 303 and replay.headers["location"].startswith("/masuk")


async def test_throttling_counts_attempts_on_every_process(two_servers):
    a, b = two_servers
    await make_user("rt.diserbu")
    async with httpx.AsyncClient(follow_redirects=False) as attacker:
        for attempt in range(5):
            server = (a, b)[attempt % 2]
            wrong = await _sign_in(attacker, server.url, "rt.diserbu", f"tebakan-ke-{attempt}-xx")
            assert wrong.status_code == 400
        for server in (a, b):
            blocked = await _sign_in(attacker, server.url, "rt.diserbu", PASSWORD)
            assert blocked.status_code == 429, server.output()
            assert int(blocked.headers["retry-after"]) > 0

"""Browser-test harness: the real server in a subprocess, Debian's Chromium, phone viewport.

A session-scoped fixture migrates a fresh SQLite database, loads the demo data, starts
``portal serve`` on a free port, waits for ``/readyz`` (printing the server's output if it
dies) and always stops it. Screenshots of failures go to ``e2e/artifacts/`` (ignored).
"""

from __future__ import annotations

import os
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "e2e" / "artifacts"
CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
PHONE = {"width": 360, "height": 740}
# How long an `expect(...)` waits for the page to show what it should: Playwright's 5 s is
# short where the browser tests share the machine with the other suites (`make test` runs
# them side by side) or with other people's work. A page that is right passes as soon as
# it is; only a failure waits the whole time.
expect.set_options(timeout=15_000)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    message = f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)"
    if IN_CI:
        raise pytest.UsageError(f"FAIL (CI=true): {message}")
    print(f"\n*** SKIPPING ALL BROWSER TESTS: {message} ***\n", file=sys.stderr)
    skip = pytest.mark.skip(reason=message)
    for item in items:
        item.add_marker(skip)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# One process makes every session cookie (e2e/make_session.py's ``main`` per line read):
# a Python start per sign-in cost more CPU than the rest of most of those tests.
SESSION_MAKER = """
import asyncio, contextlib, io, sys
from e2e.make_session import main

async def serve():
    for line in sys.stdin:
        out = io.StringIO()
        try:
            with contextlib.redirect_stdout(out):
                await main(line.strip())
            answer = "cookie " + out.getvalue().strip()
        except SystemExit as exc:
            answer = f"error {exc}"
        print(answer, flush=True)

asyncio.run(serve())
"""


class Server:
    def __init__(self, env: dict[str, str], port: int, log_path: Path):
        self.env, self.port, self.log_path = env, port, log_path
        self.url = f"http://127.0.0.1:{port}"
        self.proc: subprocess.Popen | None = None
        self._sessions: subprocess.Popen | None = None

    def portal(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "portal.cli", *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if done.returncode != 0:
            raise RuntimeError(f"portal {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def session_cookie(self, username: str) -> dict:
        """A Playwright cookie that signs the browser in as ``username``."""
        if self._sessions is None or self._sessions.poll() is not None:
            self._sessions = subprocess.Popen(
                [sys.executable, "-c", SESSION_MAKER],
                env=self.env,
                cwd=ROOT,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
        assert self._sessions.stdin is not None and self._sessions.stdout is not None
        self._sessions.stdin.write(username + "\n")
        self._sessions.stdin.flush()
        ready, _, _ = select.select([self._sessions.stdout], [], [], 60)
        answer = self._sessions.stdout.readline().strip() if ready else ""
        kind, _, value = answer.partition(" ")
        if kind != "cookie" or not value:
            raise RuntimeError(f"no session for {username}: {answer or 'no answer in 60 s'}")
        from portal.auth.sessions import cookie_name

        return {"name": cookie_name(), "value": value, "url": self.url}

    def start(self) -> None:
        self.log = self.log_path.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "portal.cli", "serve", "--port", str(self.port)],
            env=self.env,
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server died:\n{self.output()}")
            try:
                with urllib.request.urlopen(self.url + "/readyz", timeout=2) as resp:
                    if resp.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"server not ready after 30 s:\n{self.output()}")

    def output(self) -> str:
        self.log.flush()
        return self.log_path.read_text()

    def stop(self) -> None:
        if self._sessions is not None:
            try:
                self._sessions.communicate(timeout=10)  # end of input: it exits
            except subprocess.TimeoutExpired:
                self._sessions.kill()
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        if hasattr(self, "log"):
            self.log.close()


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    tmp = Path(tempfile.mkdtemp(prefix="portal-e2e-"))
    port = free_port()
    env = {
        **os.environ,
        # Links the portal writes out (activation links, share links) point at this server.
        "PORTAL_BASE_URL": f"http://127.0.0.1:{port}",
        # Every browser test signs in from 127.0.0.1: the per-address limit (tested in
        # tests/integration) would make the suite depend on its own speed.
        "PORTAL_LOGIN_ATTEMPTS_PER_MINUTE": "1000",
        # The import job runs when a test says so (`portal jobs --once`), so a test can
        # see an import waiting, then read, as staff would on a slow day.
        "PORTAL_JOBS": "off",
        "PORTAL_ENV": "development",
        "PORTAL_DATABASE_URL": f"sqlite:///{tmp / 'e2e.sqlite3'}",
        "PORTAL_SECRET_KEY": "e2e-secret-" + "y" * 40,
        "PICCOLO_CONF": "portal.piccolo_conf",
    }
    srv = Server(env, port, tmp / "server.log")
    srv.portal("migrate")
    srv.demo_output = srv.portal("demo-data")
    try:
        srv.start()
        yield srv
    finally:
        srv.stop()
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="session")
def base_url(server: Server) -> str:
    return server.url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "viewport": PHONE,
        "locale": "id-ID",
        "timezone_id": "Asia/Jakarta",
    }


@pytest.fixture
def sign_in(server: Server, context):
    """``sign_in("rt03.surodinawan")`` signs the test's browser context in."""

    def _sign_in(username: str) -> None:
        context.add_cookies([server.session_cookie(username)])

    return _sign_in


@pytest.fixture(autouse=True)
def _screenshot_on_failure(request, page):
    yield
    rep = getattr(request.node, "rep_call", None)
    if rep is not None and rep.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, "rep_" + rep.when, rep)

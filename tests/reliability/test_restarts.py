"""Stopping and replacing workers loses no request: SIGTERM lets an in-flight request
finish — one waiting for the database, or a coordinator's upload whose body is still coming
in; a rolling restart (SIGHUP to the `portal serve --workers N` supervisor: uvicorn starts
each replacement before it retires the old worker) under steady load fails none."""

from __future__ import annotations

import asyncio
import csv
import io
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from portal.coordinator.import_template import template_csv
from tests.flows import (
    Coordinator,
    Submission,
    find_form,
    hidden_of,
    list_id_of,
    session_cookie,
)
from tests.pgcluster import PgCluster
from tests.portalserver import PortalServer

# The upload comes from its own loopback address, so the test can tell its connection from
# the load's and find the worker process that holds it.
UPLOADER_ADDRESS = "127.0.0.2"
BOUNDARY = "----portal-reliability-upload"
ESTABLISHED, LISTEN = "01", "0A"  # TCP states as /proc/net/tcp writes them


@pytest.fixture
def signed_in(dev_site) -> tuple[PgCluster, dict[str, str], str]:
    """The demo site and a signed-in coordinator's session token."""
    cluster, env = dev_site
    return cluster, env, session_cookie(env, "rt03.surodinawan")


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
        granted = (
            "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
            f"WHERE c.relname = '{self.table}' AND l.mode = 'AccessExclusiveLock' AND l.granted"
        )
        wait_until(lambda: self.pg.psql(granted, "portal") == "1", "lock not taken", timeout=10)
        return self

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
    waiting = (
        "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
        f"WHERE c.relname = '{table}' AND NOT l.granted"
    )
    wait_until(
        lambda: pg.psql(waiting, "portal") != "0",
        "the request never reached the database",
        timeout=10,
    )


def wait_until(condition: Callable[[], object], what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(what)
        time.sleep(0.05)


def residents_csv(rows: int) -> bytes:
    """The downloadable template filled with ``rows`` residents, as a coordinator sends it."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    for n in range(1, rows + 1):
        name, sex, address = f"Warga Unggah {n:03d}", "LP"[n % 2], f"Jl. Uji No. {n}"
        writer.writerow([name, "", "17-08-1980", sex, address, "03", "01", "", "dewasa", "", ""])
    return template_csv() + out.getvalue().encode()


def multipart(fields: dict[str, str], filename: str, content: bytes) -> bytes:
    """A browser's multipart/form-data body: the form's fields, then the file."""
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    ]
    parts.append(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"'
        "\r\nContent-Type: text/csv\r\n\r\n"
    )
    return "".join(parts).encode() + content + f"\r\n--{BOUNDARY}--\r\n".encode()


class SlowUpload:
    """A coordinator uploads a CSV of ``rows`` residents into a new draft list, as a browser
    without JavaScript does (multipart form, CSRF token as a form field), over a slow link:
    after its first part the body trickles in until ``finish()``, then keeps coming for
    ``tail`` more seconds. A signal sent between ``sending`` and ``finish()`` therefore
    reaches the server in the middle of the upload, and the body is still arriving
    ``tail`` seconds later."""

    def __init__(self, url: str, session: str, rows: int = 300, tail: float = 1.5) -> None:
        self.rows, self.tail, self.filename = rows, tail, f"warga-{rows}.csv"
        self.client = httpx.Client(
            base_url=url,
            cookies={"portal_session": session},
            transport=httpx.HTTPTransport(local_address=UPLOADER_ADDRESS),
            timeout=30,
        )
        self.list_url = asyncio.run(draft_list(url, session))
        form = self.client.get(self.list_url + "/unggah")
        assert form.status_code == 200, form.text[:500]
        self.action, fields = find_form(form.text, "/unggah")
        self.body = multipart(hidden_of(fields), self.filename, residents_csv(rows))
        self.sending = threading.Event()
        self._finish = threading.Event()
        self.finished_at = self.last_part_at = 0.0

    def start(self) -> SlowUpload:
        self.thread, self.result = in_background(
            self.client.post,
            self.action,
            content=self._trickle(),
            headers={
                "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
                "Content-Length": str(len(self.body)),  # as browsers send it: not chunked
            },
        )
        assert self.sending.wait(timeout=10), self.result
        return self

    def _trickle(self) -> Iterator[bytes]:
        body = self.body
        sent = body.index(b"\r\n\r\n", body.index(b'name="file"')) + 100
        yield body[:sent]
        self.sending.set()
        while not self._finish.is_set():
            time.sleep(0.05)
            if sent < len(body) // 2:  # the rest is kept for after finish()
                yield body[sent : sent + 8]
                sent += 8
        # More pieces than the tail has tenths of a second: the tail ends by time, never
        # because the body ran out.
        rest = body[sent:]
        step = -(-len(rest) // 20)
        pieces = [rest[i : i + step] for i in range(0, len(rest), step)]
        while len(pieces) > 1 and time.monotonic() - self.finished_at < self.tail:
            time.sleep(0.1)
            yield pieces.pop(0)
        self.last_part_at = time.monotonic()
        yield b"".join(pieces)

    def served_by(self, pids: set[str], port: int) -> str:
        """Which of the server processes ``pids`` holds the upload's connection (waiting
        until one does: the server has accepted it)."""
        holders: set[str] = set()

        def found() -> bool:
            holders.update(socket_holders(pids, port, UPLOADER_ADDRESS))
            return bool(holders)

        wait_until(found, "no server process holds the upload's connection", timeout=10)
        assert len(holders) == 1, holders
        return holders.pop()

    def finish(self) -> None:
        self.finished_at = time.monotonic()
        self._finish.set()

    def join(self) -> httpx.Response:
        """The answer to a complete upload: the redirect to its preview."""
        self.thread.join(timeout=30)
        self.client.close()
        assert "error" not in self.result, self.result
        response = self.result["response"]
        assert response.status_code == 303, response.text[:500]
        assert response.headers["location"].startswith("/koordinator/impor/")
        # The body was still being sent `tail` seconds after the signal.
        assert self.last_part_at - self.finished_at >= self.tail
        return response

    def assert_stored(self, pg: PgCluster, response: httpx.Response) -> None:
        """Every row of the file is in the preview batch, first to last, in its list."""
        batch_id = response.headers["location"].rsplit("/", 1)[-1]
        stored = pg.psql(
            "SELECT b.source, b.filename, jsonb_array_length(b.rows::jsonb), "
            "b.rows::jsonb -> 0 -> 'fields' ->> 'full_name', "
            "b.rows::jsonb -> -1 -> 'fields' ->> 'full_name' "
            "FROM import_batch b JOIN resident_list l ON l.id = b.resident_list "
            f"WHERE b.public_id = '{batch_id}' AND l.public_id = '{list_id_of(self.list_url)}'",
            "portal",
        )
        assert stored == (
            f"csv|{self.filename}|{self.rows}|Warga Unggah 001|Warga Unggah {self.rows:03d}"
        )


async def draft_list(url: str, session: str) -> str:
    coordinator = Coordinator(url, session)
    try:
        return await coordinator.create_list(Submission(), "Daftar unggahan")
    finally:
        await coordinator.close()


def socket_holders(pids: set[str], port: int, client_address: str) -> set[str]:
    """Which of ``pids`` hold the server end of an established connection to ``port`` from
    ``client_address``."""
    connection = tcp_sockets(port, ESTABLISHED, client_address)
    return {pid for pid in pids if open_files(pid) & connection}


def listens(pid: str, port: int) -> bool:
    """Whether ``pid`` still has the listening socket of ``port``: a uvicorn worker closes it
    as soon as it gets SIGTERM."""
    return bool(open_files(pid) & tcp_sockets(port, LISTEN))


def tcp_sockets(port: int, state: str, remote_address: str = "") -> set[str]:
    """The IPv4 sockets on local ``port`` in ``state``, as /proc/<pid>/fd links name them."""
    # /proc/net/tcp writes an IPv4 address as a native-endian hex number.
    remote = socket.inet_aton(remote_address)[::-1].hex().upper() if remote_address else ""
    found = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        cols = line.split()
        if (
            cols[3] == state
            and int(cols[1].split(":")[1], 16) == port
            and cols[2].startswith(remote)
        ):
            found.add(f"socket:[{cols[9]}]")
    return found


def open_files(pid: str) -> set[str]:
    """What the file descriptors of ``pid`` point to ("socket:[inode]" for a socket)."""
    fds = Path(f"/proc/{pid}/fd")
    links = set()
    try:
        for fd in fds.iterdir():
            try:
                links.add(str(fd.readlink()))
            except OSError:  # closed meanwhile
                continue
    except OSError:  # the process is gone
        pass
    return links


def refuses_new_connections(server: PortalServer) -> bool:
    time.sleep(0.5)  # the server's event loop handles the signal and closes its socket
    try:
        httpx.get(server.url + "/healthz", timeout=2)
    except httpx.HTTPError:
        return True
    return False


def test_sigterm_lets_an_in_flight_request_finish(signed_in):
    pg, env, session = signed_in
    server = PortalServer(env, "--graceful-timeout", "15").start()
    try:
        server.wait_for("/readyz", 200, timeout=10)
        with HeldLock(pg, "user_session", seconds=3):
            thread, result = in_background(
                httpx.get,
                server.url + "/",
                headers={"Cookie": f"portal_session={session}"},
                timeout=30,
            )
            wait_until_blocked(pg, "user_session")
            server.signal(signal.SIGTERM)
            # Shutting down: no new connection is accepted...
            assert refuses_new_connections(server)
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


def test_sigterm_lets_an_upload_in_flight_finish(signed_in):
    pg, env, session = signed_in
    server = PortalServer(env, "--graceful-timeout", "15").start()
    try:
        server.wait_for("/readyz", 200, timeout=10)
        upload = SlowUpload(server.url, session).start()
        upload.served_by({str(server.proc.pid)}, server.port)
        server.signal(signal.SIGTERM)
        upload.finish()
        assert refuses_new_connections(server)
        # The upload, still arriving, is read to its end, parsed and stored.
        upload.assert_stored(pg, upload.join())
        assert server.proc.wait(timeout=20) in (0, -signal.SIGTERM)
    finally:
        server.stop()


def test_rolling_restart_under_load_fails_no_request(signed_in):
    pg, env, session = signed_in
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
        upload = SlowUpload(server.url, session)
        visitors = [threading.Thread(target=visitor, daemon=True) for _ in range(4)]
        for thread in visitors:
            thread.start()
        time.sleep(1)
        old_workers = worker_pids(server)
        assert len(old_workers) == 2, old_workers
        # In flight while the workers are replaced: an upload still coming in...
        uploading_worker = upload.start().served_by(old_workers, server.port)
        assert listens(uploading_worker, server.port)  # until it is told to stop
        # ...and a signed-in request waiting for the database.
        with HeldLock(pg, "user_session", seconds=3):
            slow, result = in_background(
                httpx.get,
                server.url + "/",
                headers={"Cookie": f"portal_session={session}"},
                timeout=30,
            )
            wait_until_blocked(pg, "user_session")
            server.signal(signal.SIGHUP)
            slow.join(timeout=30)
        # Workers are replaced one after the other: the upload's may be the second.
        wait_until(
            lambda: not listens(uploading_worker, server.port),
            "the upload's worker was never told to stop",
        )
        upload.finish()
        uploaded = upload.join()
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
        upload.assert_stored(pg, uploaded)
        # The new workers show the preview of the upload the old one took in.
        preview = server.get(
            uploaded.headers["location"], headers={"Cookie": f"portal_session={session}"}
        )
        assert preview.status_code == 200
        assert f"{upload.rows} baris terbaca dari <strong>{upload.filename}</strong>" in (
            preview.text
        )
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

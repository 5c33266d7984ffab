"""How long the office's 100,000-row "belum rekam" export takes to import, through HTTP
(docs/drive.md §11), and what other requests wait meanwhile.

    python bench/office_import.py [--rows 100000] [--engines postgres,sqlite]

For each engine: a fresh database (PostgreSQL as a temporary database on
PORTAL_BENCH_POSTGRES_URL, default the local server, skipped with a note when none answers;
SQLite in a temporary folder), migrated, the reference content loaded and one staff officer
of the Kota with a password and TOTP; then one ``portal serve`` worker with the job loop
inside it (PORTAL_JOBS=on), as in production.

The officer signs in through /masuk and /masuk/kode (a TOTP code), uploads a CSV of
``--rows`` fictitious people (names from portal.demo_office_list, NIKs by ``nik_for`` that
agree with kecamatan, birth date and sex) with the upload form (multipart, CSRF token),
polls the import's htmx progress block until the job has read it, confirms with the page's
form (its version) and polls until applied. Then the next month's export: 3 % new, 5 %
changed, 2 % gone, the same way; and that export once more as XLSX, read only, then
cancelled with the page's form. Polls come every 0.25 s. The job loop looks for work every
2 s, so "read s" (upload answered → parsed) and "apply s" (confirm → applied) each include
up to 2 s of waiting to be picked up; "first chunk in s" is that wait plus the first chunk
(the import shows "Menunggu dibaca" until then).

Meanwhile another thread requests /healthz and the staff import list one at a time: their
p50/p99/max while the worker is idle, reads and applies is what other users of the same
worker wait behind the job. Diff counts are read off the import page. Asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import io
import re
import secrets
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import postgres_reachable, serving
from bench.harness import figures, percentile
from bench.office_list_page import POSTGRES, portal_env, postgres_database, run

USERNAME = "petugas.bench"
HEADER = "NIK;NAMA_LGKP;TGL_LHR;JENIS_KLMIN;ALAMAT;RT;RW;KEL_NAME;KEC_NAME"
IMPORTS = "/petugas/sisir"
PROBED = ("/healthz", IMPORTS)
# The import page's counts (import_change codes) as the table's columns.
CHANGES = {"baru": "new", "berubah": "changed", "tetap": "unchanged", "hilang": "gone"}
CHANGES["galat"] = "errors"
POLL_SECONDS = 0.25
TIMEOUT_SECONDS = 600

# --- The office's exports: fictitious people -------------------------------------------

Serials = dict[tuple[str, date, str], int]


def people(
    count: int, villages: list[tuple[str, str, str]], serials: Serials, start: int = 0
) -> list[list[str]]:
    """``count`` fictitious people spread over the office's villages; NIKs never repeat
    while ``serials`` (the last serial of each kecamatan, birth date and sex) is shared."""
    from portal.demo_office_list import MEN, STREETS, VILLAGE_STREETS, WOMEN, nik_for

    today = date.today()
    rows = []
    for i in range(start, start + count):
        code, name, kecamatan = villages[i % len(villages)]
        sex = "P" if i % 2 else "L"
        names = WOMEN if sex == "P" else MEN
        birth = today - timedelta(days=17 * 366 + (i * 7919) % 22000)
        key = (code.rsplit(".", 1)[0], birth, sex)  # what a NIK tells apart
        serial = serials[key] = serials.get(key, -1) + 1
        streets = STREETS.get(name, VILLAGE_STREETS)
        rows.append(
            [
                nik_for(code.rsplit(".", 1)[0], birth, sex, serial),
                f"{names[i % len(names)]} {('Wibowo', 'Lestari', 'Santoso', 'Rahayu')[i % 4]}",
                birth.strftime("%d-%m-%Y"),
                sex,
                f"{streets[i % len(streets)]} No. {i % 97 + 1}",
                f"{i % 9 + 1:02d}",
                f"{i % 5 + 1:02d}",
                name,
                kecamatan,
            ]
        )
    return rows


def csv_of(rows: list[list[str]]) -> bytes:
    return ("\r\n".join([HEADER, *(";".join(r) for r in rows)]) + "\r\n").encode()


def xlsx_of(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Data")
    sheet.append(HEADER.split(";"))
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- Set-up, in the server's environment (its database) --------------------------------


async def setup(folder: Path, count: int, secret: str, password: str) -> None:
    """The reference content, the officer (password and TOTP enabled) and the exports:
    ``a.csv``, then next month's as ``b.csv`` and ``b.xlsx``."""
    from portal.accounts_cli import create_account
    from portal.content.load import load_content
    from portal.tables.regions import Office, Village

    await load_content()
    await create_account(
        role="staff",
        username=USERNAME,
        full_name="Petugas Bench",
        office_slug="kota",
        password=password,
        check_password=False,
        totp_secret=secret,
        totp_enabled=True,
    )
    kota = await Office.objects().where(Office.slug == "kota").first()
    if kota is None:
        raise SystemExit("no Kota office: the reference content did not load")
    villages = [
        (v["code"], v["name"], v["kec"])
        for v in await Village.select(
            Village.code, Village.name, Village.kecamatan.name.as_alias("kec")
        )
        .where(Village.kecamatan._.office == kota.id)
        .order_by(Village.code)
    ]
    serials: Serials = {}
    first = people(count, villages, serials)
    (folder / "a.csv").write_bytes(csv_of(first))
    # The next month: 2 % gone, 5 % with a new address, 3 % new people.
    gone, changed = count * 2 // 100, count * 5 // 100
    kept = first[gone:]
    for row in kept[:changed]:
        row[4] = row[4] + " (pindah rumah)"
    second = kept + people(count * 3 // 100, villages, serials, start=count)
    (folder / "b.csv").write_bytes(csv_of(second))
    (folder / "b.xlsx").write_bytes(xlsx_of(second))


# --- What other users wait: a probe thread -----------------------------------------------


@dataclass
class Probe:
    """Cheap pages requested one at a time (keep-alive, 50 a second at most) in a thread of
    the bench: the bench's main thread only sleeps and polls, so it barely competes."""

    base: str
    cookie: str
    # (started at, path, ms); ms -1 for an answer other than 200
    samples: list[tuple[float, str, float]] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def __enter__(self) -> Probe:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def _run(self) -> None:
        host, port = self.base.removeprefix("http://").split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=60)
        headers = {"Cookie": f"portal_session={self.cookie}"}
        n = 0
        while not self._stop.is_set():
            path = PROBED[n % len(PROBED)]
            started = time.monotonic()
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            ms = 1000 * (time.monotonic() - started)
            self.samples.append((started, path, ms if response.status == 200 else -1.0))
            n += 1
            time.sleep(0.02)
        conn.close()

    def during(self, phase: str, start: float, end: float) -> list[dict]:
        """One row per probed page: its latencies of requests started in [start, end)."""
        rows = []
        for path in PROBED:
            seen = [v for at, p, v in self.samples if p == path and start <= at < end]
            ms = [v for v in seen if v >= 0]
            rows.append(
                {
                    "while": phase,
                    "page": path,
                    "n": len(ms),
                    "not 200": len(seen) - len(ms),
                    "p50 ms": round(percentile(ms, 50), 1),
                    "p99 ms": round(percentile(ms, 99), 1),
                    "max ms": round(max(ms, default=float("nan")), 1),
                }
            )
        return rows


# --- A staff officer's browser, without JavaScript except the progress poll -------------


def sign_in(client, secret: str, password: str) -> None:
    """Password, then a TOTP code, through the real forms."""
    import pyotp

    from tests.flows import find_form, hidden_of

    action, fields = find_form(client.get("/masuk").text, "/masuk")
    data = {**hidden_of(fields), "username": USERNAME, "password": password}
    step = client.post(action, data=data)
    assert step.status_code == 303 and "/masuk/kode" in step.headers["location"], step
    action, fields = find_form(client.get(step.headers["location"]).text, "/masuk/kode")
    done = client.post(action, data={**hidden_of(fields), "code": pyotp.TOTP(secret).now()})
    assert done.status_code == 303 and "portal_session" in client.cookies, done


def post_form(client, page: str, action_suffix: str, **kwargs):
    """Submit the page's form whose action ends with ``action_suffix`` (its hidden fields:
    CSRF token, version) without following the redirect."""
    from tests.flows import find_form, hidden_of

    action, fields = find_form(page, action_suffix)
    return client.post(action, data=hidden_of(fields), **kwargs)


def state_of(page: str) -> str:
    from portal.domain.vocabulary import OFFICE_IMPORT_STATES

    label = re.search(r"<dt>Status</dt><dd><span[^>]*>([^<]+)</span>", page)
    codes = {v: k for k, v in OFFICE_IMPORT_STATES.items()}
    return codes.get(label[1].strip(), label[1]) if label else "?"


def counts_of(page: str) -> dict[str, int]:
    found = re.findall(r'class="count-(\w+)">.*?<strong>([\d.]+)</strong>', page, re.S)
    return {kind: int(number.replace(".", "")) for kind, number in found}


def until_done(client, path: str) -> tuple[str, float | None]:
    """Poll the htmx progress block until the job is done with the import (the block
    answers with HX-Redirect): the full page then, and when a poll first saw the import
    no longer waiting, i.e. its first chunk committed (None when no poll did: a small file
    is read between two polls)."""
    from portal.domain.vocabulary import OFFICE_IMPORT_STATES

    waiting = f">{OFFICE_IMPORT_STATES['uploaded']}<"
    picked = None
    deadline = time.monotonic() + TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        block = client.get(path, headers={"HX-Request": "true"})
        assert block.status_code == 200, block.status_code
        if "hx-redirect" in block.headers:
            return client.get(path).text, picked
        if picked is None and waiting not in block.text:
            picked = time.monotonic()
        time.sleep(POLL_SECONDS)
    raise TimeoutError(f"{path} still running after {TIMEOUT_SECONDS} s")


def upload(client, name: str, data: bytes, kind: str) -> tuple[str, float]:
    """The upload form posted with the file; the import page's path and the request's
    seconds."""
    from tests.flows import find_form, hidden_of

    action, fields = find_form(client.get(IMPORTS).text, "/sisir/unggah")
    started = time.perf_counter()
    response = client.post(
        action,
        data={**hidden_of(fields), "tanggal": date.today().isoformat()},
        files={"berkas": (name, data, kind)},
    )
    took = time.perf_counter() - started
    assert response.status_code == 303, (response.status_code, response.text[:2000])
    return response.headers["location"].split("?", 1)[0], took


def one_import(
    client, probe: Probe, label: str, name: str, data: bytes, kind: str, apply: bool
) -> tuple[dict, list[dict]]:
    """Upload, read, then confirm and apply (or cancel): seconds and counts, and the probe's
    latencies while the job read and applied it."""
    started = time.monotonic()
    path, upload_s = upload(client, name, data, kind)
    uploaded = time.monotonic()
    page, picked = until_done(client, path)
    read = time.monotonic()
    state, counts = state_of(page), counts_of(page)
    row: dict = {
        "import": label,
        "MB": round(len(data) / 1e6, 1),
        "upload s": round(upload_s, 2),
        "read s": round(read - uploaded, 2),
        "first chunk in s": round(picked - uploaded, 2) if picked else "",
    }
    latencies = probe.during(f"{label} read", uploaded, read)
    if state == "parsed" and apply:
        confirm = post_form(client, page, "/simpan")
        assert confirm.status_code == 303, confirm.status_code
        state = state_of(until_done(client, path)[0])
        applied = time.monotonic()
        row |= {"apply s": round(applied - read, 2), "total s": round(applied - started, 2)}
        latencies += probe.during(f"{label} apply", read, applied)
    elif state == "parsed":
        cancelled = post_form(client, page, "/batal")
        assert cancelled.status_code == 303, cancelled.status_code
        state = "cancelled"
    for code, column in CHANGES.items():
        row[column] = counts.get(code, 0)
    return row | {"state": state}, latencies


# --- Per engine: database, server, the imports ------------------------------------------


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# This month's export, next month's, and next month's as XLSX (read only, then cancelled).
RUNS = {"A": ("a.csv", "text/csv", True), "B": ("b.csv", "text/csv", True)}
RUNS["B as XLSX"] = ("b.xlsx", XLSX, False)


def measure(engine: str, database_url: str, count: int) -> tuple[list[dict], list[dict]]:
    """The imports' rows and the probe's rows, labelled with ``engine``."""
    import httpx
    import pyotp

    env = portal_env(database_url) | {"PORTAL_JOBS": "on"}
    secret, password = pyotp.random_base32(), secrets.token_hex(16)
    imports: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="portal-bench-import-") as tmp:
        folder = Path(tmp)
        run(env, "-m", "portal.cli", "migrate")
        run(env, str(Path(__file__)), "--setup", str(folder), str(count), secret, password)
        log = folder / "server.log"
        try:
            with serving(env, log) as base, httpx.Client(base_url=base, timeout=120) as client:
                sign_in(client, secret, password)
                with Probe(base, client.cookies["portal_session"]) as probe:
                    # The idle worker first (after a first request of each page: caches).
                    idle = time.monotonic() + 0.5
                    time.sleep(3.5)
                    latencies = probe.during("idle", idle, time.monotonic())
                    for label, (name, kind, apply) in RUNS.items():
                        data = (folder / name).read_bytes()
                        row, seen = one_import(client, probe, label, name, data, kind, apply)
                        imports.append(row)
                        latencies += seen
        except Exception:
            sys.stderr.write(log.read_text()[-5000:])
            raise
    for row in imports:
        row["import"] = f"{engine} {row['import']}"
    for row in latencies:
        row["while"] = f"{engine} {row['while']}"
    return imports, latencies


def table(rows: list[dict]) -> None:
    """``rows`` as columns: the first left-aligned, the figures right-aligned."""
    columns = list(dict.fromkeys(k for row in rows for k in row))
    lines = [columns, *([str(row.get(c, "")) for c in columns] for row in rows)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(columns))]
    for line in lines:
        cells = enumerate(zip(line, widths, strict=True))
        print("  ".join(cell.rjust(w) if i else cell.ljust(w) for i, (cell, w) in cells))
    print()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--engines", default="postgres")
    parser.add_argument("--setup", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup:
        folder, count, secret, password = args.setup
        asyncio.run(setup(Path(folder), int(count), secret, password))
        return
    imports: list[dict] = []
    latencies: list[dict] = []
    notes: dict[str, str] = {}
    for engine in args.engines.split(","):
        if engine == "sqlite":
            with tempfile.TemporaryDirectory(prefix="portal-bench-") as tmp:
                found = measure(engine, f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", args.rows)
        elif engine != "postgres":
            raise SystemExit(f"unknown engine {engine!r}: postgres, sqlite")
        elif not postgres_reachable(POSTGRES):
            notes[engine] = f"skipped: no server at {POSTGRES}"
            continue
        else:
            url, drop = postgres_database()
            try:
                found = measure(engine, url, args.rows)
            finally:
                drop()
        imports += found[0]
        latencies += found[1]
    print(f"{args.rows} rows; one worker, job loop inside it; seconds and diff counts")
    table(imports)
    print("latency of pages other users request meanwhile (same worker)")
    table(latencies)
    values: dict = {"rows": args.rows, **notes}
    for row in imports:
        values |= {f"{row['import']} {k}": v for k, v in row.items() if k != "import"}
    for row in latencies:
        name = f"{row['while']} {row['page']}"
        values |= {f"{name} {k}": row[k] for k in ("p50 ms", "p99 ms", "max ms")}
    figures("office_import", values)


if __name__ == "__main__":
    main()

"""How long the office's 100,000-row "belum rekam" export takes to import (docs/drive.md §11).

    python bench/office_import.py [--rows 100000] [--engines postgres,sqlite]

For each engine: a fresh database (PostgreSQL as a temporary database on
PORTAL_BENCH_POSTGRES_URL, default the local server, skipped with a note when none answers;
SQLite in a temporary folder), migrated, the reference content loaded, one staff officer.
A CSV of ``--rows`` fictitious people of the Kota (names from portal.demo_office_list, NIKs
by ``nik_for`` that agree with kecamatan, birth date and sex) is uploaded through the
service (the upload page is the pages' branch), the job run until ``parsed``, confirmed,
run until ``applied``. Then a re-import with 3 % new, 5 % changed and 2 % gone, and that
second export once more as XLSX, read only (then cancelled).
Reports seconds of each step, the longest single chunk, how late the worker's event loop
woke a 10 ms sleeper meanwhile (what its other requests wait behind the job) and the diff
counts. Asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, postgres_reachable
from bench.harness import figures, percentile

POSTGRES = os.environ.get(
    "PORTAL_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
HEADER = "NIK;NAMA_LGKP;TGL_LHR;JENIS_KLMIN;ALAMAT;RT;RW;KEL_NAME;KEC_NAME"


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


async def xlsx_read(access, data: bytes) -> dict[str, float]:
    """The same export as XLSX: uploaded and read (then cancelled; the register has it)."""
    from portal.staff import office_imports
    from portal.staff.office_imports import UploadInput

    started = time.perf_counter()
    public_id = await office_imports.upload(
        access, UploadInput("a.xlsx", io.BytesIO(data), len(data), date.today())
    )
    uploaded = time.perf_counter()
    await until_rest("bench")
    read = time.perf_counter()
    view = await office_imports.import_view(access, public_id)
    assert view.state == "parsed", (view.state, view.problem)
    await office_imports.cancel(access, public_id, view.version)
    return {
        "MB": round(len(data) / 1e6, 1),
        "upload s": round(uploaded - started, 2),
        "read s": round(read - uploaded, 2),
        "unchanged": view.counts.unchanged,
    }


async def until_rest(worker: str) -> float:
    """Run the job until no import is runnable; the longest chunk in seconds."""
    from portal.staff import office_import_job as job

    longest = 0.0
    while (import_id := await job.claim(worker, job.now())) is not None:
        while True:
            started = time.perf_counter()
            more = await job.step(import_id, worker)
            longest = max(longest, time.perf_counter() - started)
            if not more:
                break
    return longest


async def lag_probe(lags: list[float], stop: asyncio.Event) -> None:
    """How late the event loop wakes a 10 ms sleeper: what a request served by the same
    worker would wait behind the job."""
    while not stop.is_set():
        started = time.perf_counter()
        await asyncio.sleep(0.01)
        lags.append(time.perf_counter() - started - 0.01)


async def one_import(access, data: bytes, name: str) -> dict[str, float]:
    from portal.staff import office_imports
    from portal.staff.office_imports import UploadInput

    lags: list[float] = []
    stop = asyncio.Event()
    probe = asyncio.create_task(lag_probe(lags, stop))
    started = time.perf_counter()
    public_id = await office_imports.upload(
        access, UploadInput(name, io.BytesIO(data), len(data), date.today())
    )
    uploaded = time.perf_counter()
    read_chunk = await until_rest("bench")
    view = await office_imports.import_view(access, public_id)
    assert view.state == "parsed", (view.state, view.problem)
    read = time.perf_counter()
    await office_imports.confirm(access, public_id, view.version)
    apply_chunk = await until_rest("bench")
    done = await office_imports.import_view(access, public_id)
    assert done.state == "applied", done.state
    applied = time.perf_counter()
    stop.set()
    await probe
    c = view.counts
    return {
        "MB": round(len(data) / 1e6, 1),
        "upload s": round(uploaded - started, 2),
        "read s": round(read - uploaded, 2),
        "apply s": round(applied - read, 2),
        "total s": round(applied - started, 2),
        "longest chunk s": round(max(read_chunk, apply_chunk), 2),
        "loop lag p99 ms": round(percentile(lags, 99) * 1000, 1),
        "loop lag max ms": round(max(lags) * 1000, 1),
        "new": c.new,
        "changed": c.changed,
        "unchanged": c.unchanged,
        "gone": c.gone,
        "errors": c.errors,
    }


async def inner(count: int) -> dict[str, float]:
    """In the bench's own process, with PORTAL_DATABASE_URL pointing at the fresh database."""
    from datetime import UTC, datetime

    from portal.content.load import load_content
    from portal.domain.scope import scope_for
    from portal.tables.accounts import User
    from portal.tables.regions import Office, Village

    await load_content()
    kota = await Office.objects().where(Office.slug == "kota").first()
    officer = User(
        username="petugas.bench",
        full_name="Petugas Bench",
        role="staff",
        office=kota.id,
        created_at=datetime.now(UTC),
    )
    await officer.save()
    access = await scope_for(officer)
    villages = [
        (v["code"], v["name"], v["kec"])
        for v in await Village.select(
            Village.code, Village.name, Village.kecamatan.name.as_alias("kec")
        )
        .where(Village.kecamatan.office == kota.id)
        .order_by(Village.code)
    ]
    serials: Serials = {}
    first = people(count, villages, serials)
    results = {f"A {k}": v for k, v in (await one_import(access, csv_of(first), "a.csv")).items()}
    # The next month: 2 % gone, 5 % with a new address, 3 % new people.
    gone, changed = count * 2 // 100, count * 5 // 100
    kept = first[gone:]
    for row in kept[:changed]:
        row[4] = row[4] + " (pindah rumah)"
    second = kept + people(count * 3 // 100, villages, serials, start=count)
    results |= {f"B {k}": v for k, v in (await one_import(access, csv_of(second), "b.csv")).items()}
    results |= {f"B as XLSX {k}": v for k, v in (await xlsx_read(access, xlsx_of(second))).items()}
    return results


def measure(engine: str, database_url: str, count: int) -> dict[str, float | str]:
    env = {
        **os.environ,
        "PORTAL_ENV": "development",
        "PORTAL_DATABASE_URL": database_url,
        "PORTAL_LOG_LEVEL": "WARNING",
        "PORTAL_JOBS": "off",
        "PICCOLO_CONF": "portal.piccolo_conf",
        "PYTHONPATH": str(ROOT),
    }
    for args in (["-m", "portal.cli", "migrate"], [__file__, "--inner", str(count)]):
        done = subprocess.run(
            [sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=900
        )
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    import json

    line = done.stdout.strip().splitlines()[-1]
    return {f"{engine} {k}": v for k, v in json.loads(line).items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--engines", default="postgres")
    parser.add_argument("--inner", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner:
        import json

        print(json.dumps(asyncio.run(inner(args.inner))))
        return
    from bench.office_list_page import postgres_database

    results: dict[str, float | str] = {"rows": args.rows}
    for engine in args.engines.split(","):
        if engine == "sqlite":
            with tempfile.TemporaryDirectory(prefix="portal-bench-") as tmp:
                url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
                results |= measure(engine, url, args.rows)
        elif engine == "postgres":
            if not postgres_reachable(POSTGRES):
                results["postgres"] = f"skipped: no server at {POSTGRES}"
                continue
            url, drop = postgres_database()
            try:
                results |= measure(engine, url, args.rows)
            finally:
                drop()
    width = max(len(k) for k in results)
    for key, value in results.items():
        print(f"{key:<{width}}  {value}")
    figures("office_import", results)


if __name__ == "__main__":
    main()

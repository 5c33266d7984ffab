"""How long a coordinator waits for a 1,000-row upload: upload → preview, confirm → stored.

Runs the real app through Litestar's test client on a fresh temporary database, once on
SQLite and once on PostgreSQL (skipped with a note when no server answers), with 5,000
residents already in other lists so the duplicate checks have something to search.

    .venv/bin/python bench/upload_1000.py [--rounds 3] [--engines sqlite,postgres]

Prints one line per engine and file type: the median and the worst of the rounds.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import postgres_reachable  # noqa: E402

ROWS = 1000
EXISTING = 5000
POSTGRES_SERVER = os.environ.get(
    "PORTAL_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def nik(n: int, birth) -> str:
    return f"357601{birth.day:02d}{birth.month:02d}{birth.year % 100:02d}{n % 9999 + 1:04d}"


def rows(start: int, count: int) -> list[list[str]]:
    from datetime import date, timedelta

    out = []
    for i in range(start, start + count):
        birth = date(1960, 1, 1) + timedelta(days=(i * 37) % 15000)
        out.append(
            [
                f"Warga Uji {i}",
                nik(i, birth),
                birth.strftime("%d-%m-%Y"),
                "L" if i % 2 else "P",
                f"Jl. Contoh {i % 50}",
                "03",
                "02",
                "",
                "",
                "",
                "",
            ]
        )
    return out


HEADER = [
    "Nama lengkap",
    "NIK",
    "Tanggal lahir",
    "Jenis kelamin",
    "Alamat",
    "RT",
    "RW",
    "No. HP",
    "Kategori",
    "Catatan",
    "Persetujuan orang tua/wali",
]


def xlsx_bytes(data: list[list[str]]) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True})
    ws = wb.add_worksheet("Data warga")
    for r, row in enumerate([HEADER, *data]):
        for c, value in enumerate(row):
            ws.write_string(r, c, value)
    wb.close()
    return out.getvalue()


def csv_bytes(data: list[list[str]]) -> bytes:
    import csv

    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows([HEADER, *data])
    return out.getvalue().encode("utf-8")


async def seed_existing(user_id: int, count: int = EXISTING) -> None:
    """``count`` residents already submitted ("diterima") in another list of the same RT
    (RW 02 / RT 03 of Surodinawan, Kota office). bench/filter_action.py seeds with it too."""
    import uuid
    from datetime import UTC, date, datetime

    from portal.rules.names import name_key
    from portal.tables.regions import Kecamatan, Village
    from portal.tables.residents import Resident, ResidentList

    village = await Village.objects().where(Village.code == "35.76.01.1007").first()
    kec = await Kecamatan.objects().where(Kecamatan.id == village.kecamatan).first()
    now = datetime.now(UTC)
    other = ResidentList(
        public_id=uuid.uuid4(),
        coordinator=user_id,
        office=kec.office,
        village=village.id,
        rw="02",
        rt="03",
        state="submitted",
        created_at=now,
        updated_at=now,
    )
    await other.save()
    batch = []
    for row in rows(100_000, count):
        d, m, y = (int(x) for x in row[2].split("-"))
        batch.append(
            Resident(
                resident_list=other.id,
                office=kec.office,
                kecamatan=kec.id,
                village=village.id,
                full_name=row[0],
                name_key=name_key(row[0]),
                nik=row[1][:12] + f"{int(row[1][12:]) % 9000 + 1000:04d}",
                birth_date=date(y, m, d),
                rw="02",
                rt="03",
                status="diterima",
                created_at=now,
                updated_at=now,
                submitted_at=now,
            )
        )
        if len(batch) == 200:
            await Resident.insert(*batch)
            batch = []
    if batch:
        await Resident.insert(*batch)


async def run_engine(rounds: int) -> list[dict]:
    from datetime import UTC, datetime

    from litestar.testing import AsyncTestClient
    from piccolo.apps.migrations.commands.forwards import run_forwards

    from portal.app import create_app
    from portal.auth.sessions import cookie_name, start_session
    from portal.content.load import load_content
    from portal.db import prepare_sqlite
    from portal.settings import get_settings
    from portal.tables.accounts import User
    from portal.tables.regions import Office, Village
    from portal.tables.residents import Resident

    settings = get_settings()
    if settings.engine == "sqlite":
        prepare_sqlite(str(settings.sqlite_path))
    result = await run_forwards(app_name="all")
    assert result.success, result.message
    await load_content()
    village = await Village.objects().where(Village.code == "35.76.01.1007").first()
    office = await Office.objects().where(Office.slug == "kota").first()
    user = User(
        username="bench.rt03",
        full_name="Bench",
        role="coordinator",
        office=office.id,
        scope_kecamatan=village.kecamatan,
        scope_village=village.id,
        scope_rw="02",
        scope_rt="03",
        created_at=datetime.now(UTC),
    )
    await user.save()
    await seed_existing(user.id)
    results = []
    async with AsyncTestClient(app=create_app(), base_url="http://testserver.local") as client:
        client.cookies.set(cookie_name(), (await start_session(user)).value)
        await client.get("/koordinator")
        headers = {"x-csrftoken": client.cookies.get("csrftoken")}
        for kind, make in (("xlsx", xlsx_bytes), ("csv", csv_bytes)):
            to_preview, to_stored, list_page = [], [], []
            for r in range(rounds):
                created = await client.post(
                    "/koordinator/daftar/baru",
                    data={"_token": secrets.token_hex(8), "title": f"Bench {kind} {r}"},
                    headers=headers,
                    follow_redirects=False,
                )
                list_url = created.headers["location"].split("?")[0]
                payload = make(rows(r * ROWS, ROWS))
                start = time.perf_counter()
                uploaded = await client.post(
                    list_url + "/unggah",
                    files={"file": (f"daftar.{kind}", payload, "application/octet-stream")},
                    headers=headers,
                    follow_redirects=False,
                )
                assert uploaded.status_code == 303, uploaded.text[-500:]
                preview = await client.get(uploaded.headers["location"])
                assert preview.status_code == 200 and "Simpan 1000 warga" in preview.text
                to_preview.append(time.perf_counter() - start)
                start = time.perf_counter()
                stored = await client.post(
                    uploaded.headers["location"] + "/simpan",
                    headers=headers,
                    follow_redirects=False,
                )
                assert stored.status_code == 303
                to_stored.append(time.perf_counter() - start)
                start = time.perf_counter()
                page = await client.get(stored.headers["location"])
                assert page.status_code == 200
                list_page.append(time.perf_counter() - start)
                page_bytes = len(page.content)
            count = await Resident.count()
            results.append(
                {
                    "engine": settings.engine,
                    "kind": kind,
                    "bytes": len(payload),
                    "preview_median": statistics.median(to_preview),
                    "preview_max": max(to_preview),
                    "stored_median": statistics.median(to_stored),
                    "stored_max": max(to_stored),
                    "page_median": statistics.median(list_page),
                    "page_kb": page_bytes / 1024,
                    "residents": count,
                }
            )
    return results


def child(engine: str, rounds: int) -> None:
    """Runs in a fresh process: settings and the database engine are read once."""
    tmp = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    db_name = f"portal_bench_{secrets.token_hex(4)}"
    if engine == "postgres":
        url = POSTGRES_SERVER.rsplit("/", 1)[0] + "/" + db_name
    else:
        url = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ.update(
        {
            "PORTAL_ENV": "test",
            "PORTAL_DATABASE_URL": url,
            "PORTAL_SECRET_KEY": "bench-" + "z" * 40,
            "PORTAL_ALLOWED_HOSTS": '["testserver.local"]',
            "PICCOLO_CONF": "portal.piccolo_conf",
            "PORTAL_LOG_LEVEL": "WARNING",
        }
    )
    sys.path.insert(0, str(ROOT))

    async def main() -> list[dict]:
        import asyncpg

        if engine == "postgres":
            conn = await asyncpg.connect(POSTGRES_SERVER, timeout=5)
            await conn.execute(f'CREATE DATABASE "{db_name}"')
            await conn.close()
        try:
            return await run_engine(rounds)
        finally:
            if engine == "postgres":
                from portal.piccolo_conf import DB

                await DB.close_connection_pool()
                conn = await asyncpg.connect(POSTGRES_SERVER, timeout=5)
                await conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
                await conn.close()

    print(json.dumps(asyncio.run(main())))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--engines", default="sqlite,postgres")
    parser.add_argument("--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.rounds)
        return
    print(
        f"upload_1000: {ROWS} rows per file, {EXISTING} residents already listed, "
        f"{args.rounds} rounds; seconds (median / worst)"
    )
    print(
        f"{'engine':<9} {'file':<5} {'size':>8}  {'upload→preview':>16}  {'confirm→stored':>16}"
        "  list page (first 50 rows)"
    )
    for engine in args.engines.split(","):
        if engine == "postgres" and not postgres_reachable(POSTGRES_SERVER):
            print(f"{engine:<9} skipped: no PostgreSQL at {POSTGRES_SERVER}")
            continue
        done = subprocess.run(
            [sys.executable, __file__, "--child", engine, "--rounds", str(args.rounds)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=1800,
        )
        if done.returncode != 0:
            print(f"{engine:<9} failed:\n{done.stderr[-3000:]}")
            continue
        for r in json.loads(done.stdout.strip().splitlines()[-1]):
            print(
                f"{r['engine']:<9} {r['kind']:<5} {r['bytes'] / 1024:>6.0f}KB  "
                f"{r['preview_median']:>7.2f} / {r['preview_max']:<6.2f}  "
                f"{r['stored_median']:>7.2f} / {r['stored_max']:<6.2f}  "
                f"{r['page_median']:.2f} s, {r['page_kb']:.0f} KB"
            )


if __name__ == "__main__":
    main()

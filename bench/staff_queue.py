"""How fast the staff queue answers with a whole regency in the database.

    python bench/staff_queue.py [--residents 100000] [--runs 30] [--office kabupaten]

Creates a temporary PostgreSQL database (server from PORTAL_BENCH_POSTGRES_URL, default the
local one), migrates it, loads the demo data, seeds ``--residents`` residents with COPY
(spread over both offices' villages, statuses, categories, warnings and six months of
submissions), serves the portal with one worker, and requests each main queue view ``--runs``
times as a signed-in officer over HTTP (keep-alive). Prints p50/p95 per view and drops the
database at the end. Asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, serving

SERVER = os.environ.get(
    "PORTAL_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
DB_NAME = f"portal_bench_{secrets.token_hex(4)}"
DB_URL = SERVER.rsplit("/", 1)[0] + "/" + DB_NAME

FIRST = (
    "Sri",
    "Siti",
    "Dewi",
    "Nur",
    "Ani",
    "Rina",
    "Eka",
    "Dian",
    "Putri",
    "Wahyu",
    "Agus",
    "Budi",
    "Eko",
    "Joko",
    "Slamet",
    "Bambang",
    "Heru",
    "Hadi",
    "Rudi",
    "Tri",
    "Dwi",
    "Yuli",
    "Lilik",
    "Endang",
    "Sugeng",
    "Puji",
    "Rizky",
    "Fajar",
    "Aditya",
    "Bayu",
    "Citra",
    "Indah",
    "Ayu",
)
LAST = (
    "Wahyuni",
    "Rahayu",
    "Lestari",
    "Susanti",
    "Handayani",
    "Santoso",
    "Setiawan",
    "Prasetyo",
    "Saputra",
    "Hidayat",
    "Kurniawan",
    "Wulandari",
    "Anggraini",
    "Purnomo",
    "Nugroho",
    "Utomo",
    "Sulistyowati",
    "Maulana",
    "Ramadhan",
    "Firmansyah",
    "Kusuma",
    "Permata",
    "Safitri",
    "Hartono",
    "Sutrisno",
    "Mulyadi",
    "Rohmah",
    "Fauzi",
    "Aini",
)
STATUSES = (
    ("diterima", 30),
    ("diverifikasi", 15),
    ("perlu_perbaikan", 4),
    ("dijadwalkan", 14),
    ("sudah_rekam", 25),
    ("ditolak", 5),
    ("duplikat", 2),
    ("tidak_hadir", 3),
    ("draft", 2),
)
CATEGORIES = (
    ("pemula", 45),
    ("dewasa", 25),
    ("lansia", 10),
    ("disabilitas", 4),
    ("luar_kota", 10),
    ("lainnya", 6),
)


def weighted(pairs):
    values, weights = zip(*pairs, strict=True)
    return lambda rng: rng.choices(values, weights)[0]


async def create_database() -> None:
    import asyncpg

    conn = await asyncpg.connect(SERVER)
    try:
        await conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    finally:
        await conn.close()


async def drop_database() -> None:
    import asyncpg

    conn = await asyncpg.connect(SERVER)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
    finally:
        await conn.close()


def portal(env: dict, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "portal.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"portal {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


async def seed(total: int, rng: random.Random) -> dict:
    """Coordinators and submitted lists per village, then residents by COPY."""
    import asyncpg

    from portal.tables.accounts import User
    from portal.tables.regions import Kecamatan, Office, Village
    from portal.tables.residents import Resident, ResidentList

    offices = {o["id"]: o for o in await Office.select()}
    kecamatan = {k["id"]: k for k in await Kecamatan.select()}
    villages = await Village.select()
    now = datetime.now(UTC)
    # A regency: most people live in the kabupaten's 300 desa, fewer in the city's 18.
    weights = [
        1 if offices[kecamatan[v["kecamatan"]]["office"]]["slug"] == "kabupaten" else 4
        for v in villages
    ]
    users = [
        User(
            username=f"bench.koor.{v['code']}",
            full_name=f"Koordinator {v['name']}",
            role="coordinator",
            office=kecamatan[v["kecamatan"]]["office"],
            title="ketua_rt",
            scope_kecamatan=v["kecamatan"],
            scope_village=v["id"],
            created_at=now,
        )
        for v in villages
    ]
    await User.insert(*users)
    coordinator = {
        r["scope_village"]: r["id"]
        for r in await User.select(User.id, User.scope_village).where(
            User.username.like("bench.koor.%")
        )
    }
    lists = []
    for v in villages:
        for _ in range(3):
            at = now - timedelta(days=rng.uniform(0, 180))
            lists.append(
                ResidentList(
                    public_id=uuid.uuid4(),
                    coordinator=coordinator[v["id"]],
                    office=kecamatan[v["kecamatan"]]["office"],
                    village=v["id"],
                    title="Daftar uji",
                    state="submitted",
                    created_at=at,
                    updated_at=at,
                    submitted_at=at,
                )
            )
    await ResidentList.insert(*lists)
    by_village: dict[int, list[dict]] = {}
    for row in await ResidentList.select(
        ResidentList.id, ResidentList.village, ResidentList.submitted_at
    ):
        by_village.setdefault(row["village"], []).append(row)

    status_of, category_of = weighted(STATUSES), weighted(CATEGORIES)
    columns = [c for c in Resident._meta.columns if c._meta.name != "id"]
    names = [c._meta.db_column_name for c in columns]
    defaults = {c._meta.name: c.get_default_value() for c in columns}
    records = []
    chosen = rng.choices(villages, weights, k=total)
    for i, v in enumerate(chosen):
        lst = rng.choice(by_village[v["id"]])
        full = f"{rng.choice(FIRST)} {rng.choice(FIRST)} {rng.choice(LAST)}"
        status = status_of(rng)
        born = date(2009, 1, 1) - timedelta(days=rng.randint(0, 60 * 365))
        submitted = lst["submitted_at"] + timedelta(minutes=rng.randint(0, 600))
        row = {
            **defaults,
            "resident_list": lst["id"],
            "office": kecamatan[v["kecamatan"]]["office"],
            "kecamatan": v["kecamatan"],
            "village": v["id"],
            "full_name": full,
            "name_key": full.lower(),
            "nik": v["code"].replace(".", "")[:6] + f"{born:%d%m%y}" + f"{i % 10000:04d}",
            "birth_date": born,
            "sex": rng.choice("LP"),
            "address": f"Jl. Contoh {rng.randint(1, 200)}",
            "rw": f"{rng.randint(1, 12):02d}",
            "rt": f"{rng.randint(1, 15):02d}",
            "category": category_of(rng),
            "status": status,
            "warnings": "[]",
            "warn_nik": rng.random() < 0.04,
            "warn_duplicate": rng.random() < 0.03,
            "warn_under_age": rng.random() < 0.05,
            "recorded_on": (submitted + timedelta(days=rng.randint(1, 30))).date()
            if status == "sudah_rekam"
            else None,
            "created_at": submitted,
            "updated_at": submitted,
            "submitted_at": None if status == "draft" else submitted,
            "version": 1,
        }
        records.append(tuple(row[c._meta.name] for c in columns))
    conn = await asyncpg.connect(DB_URL)
    try:
        await conn.copy_records_to_table("resident", records=records, columns=names)
        # What autovacuum does for data that arrived over months: statistics, and a
        # visibility map so counts can be answered from indexes alone.
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()
    return {"villages": villages, "kecamatan": kecamatan, "offices": offices}


def views(office_slug: str, data: dict, rng: random.Random) -> dict[str, str]:
    office = next(o for o in data["offices"].values() if o["slug"] == office_slug)
    kec = [k for k in data["kecamatan"].values() if k["office"] == office["id"]]
    some_kec = sorted(kec, key=lambda k: k["code"])[len(kec) // 2]
    village = next(v for v in data["villages"] if v["kecamatan"] == some_kec["id"])
    since = (date.today() - timedelta(days=30)).isoformat()
    return {
        "no filter": "",
        "status=diterima": "status=diterima",
        "kecamatan": f"kecamatan={some_kec['code']}",
        "kelurahan/desa": f"desa={village['code']}",
        "rw": "rw=3",
        "kategori=disabilitas": "kategori=disabilitas",
        "koordinator": "koordinator={coordinator}",
        "dikirim 30 hari": f"dari={since}",
        "peringatan duplikat": "peringatan=warn_duplicate",
        "belum diambil": "ditugaskan=belum",
        "urut terlama": "urut=terlama",
        "urut nama": "urut=nama",
        "cari nama (sri wah)": "q=sri+wah",
        "cari nama awal (bu)": "q=bu",
        "cari NIK lengkap": "q={nik}",
        "cari NIK 4 akhir": "q={nik4}",
        "halaman 2 (keyset)": "{page2}",
        "htmx fragment": "status=diverifikasi&urut=terlama",
    }


def percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def measure(args) -> None:
    rng = random.Random(20261125)
    env = {
        **os.environ,
        "PORTAL_ENV": "development",
        "PORTAL_DATABASE_URL": DB_URL,
        "PORTAL_LOG_LEVEL": "WARNING",
        "PICCOLO_CONF": "portal.piccolo_conf",
    }
    os.environ.update({k: env[k] for k in ("PORTAL_ENV", "PORTAL_DATABASE_URL", "PICCOLO_CONF")})
    asyncio.run(create_database())
    tmp = Path(tempfile.mkdtemp(prefix="portal-bench-staff-"))
    try:
        started = time.perf_counter()
        portal(env, "migrate")
        portal(env, "demo-data")
        data = asyncio.run(seed(args.residents, rng))
        print(f"seeded {args.residents} residents in {time.perf_counter() - started:.1f} s")
        with serving(env, tmp / "server.log") as base:
            username = "petugas.kab" if args.office == "kabupaten" else "petugas.kota"
            cookie = subprocess.run(
                [sys.executable, "-m", "e2e.make_session", username],
                env=env,
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
            asyncio.run(report(base, cookie, args, data, rng))
    finally:
        if args.keep:
            print(f"kept database {DB_URL}")
        else:
            asyncio.run(drop_database())
            print(f"dropped database {DB_NAME}")


async def report(base: str, cookie: str, args, data: dict, rng: random.Random) -> None:
    import httpx

    from portal.tables.regions import Office
    from portal.tables.residents import Resident

    office = await Office.select(Office.id).where(Office.slug == args.office).first()
    sample = (
        await Resident.select(Resident.nik, Resident.resident_list.coordinator)
        .where(Resident.office == office["id"], Resident.status == "diterima")
        .first()
    )
    coordinator = sample["resident_list.coordinator"]
    total = await Resident.count().where(Resident.office == office["id"])
    cookies = {"portal_session": cookie}
    async with httpx.AsyncClient(base_url=base, cookies=cookies, timeout=30) as client:
        first = await client.get("/petugas/antrian")
        assert first.status_code == 200, first.status_code
        match = re.search(r'href="(/petugas/antrian\?setelah=[^"]+)"', first.text)
        page2 = urllib.parse.urlsplit(match.group(1).replace("&amp;", "&")).query
        print(
            f"office {args.office}: {total} residents in the office, "
            f"{args.residents} in the database; {args.runs} runs per view"
        )
        print(f"{'view':<24} {'p50 ms':>8} {'p95 ms':>8} {'rows':>5} {'bytes':>8}")
        for name, query in views(args.office, data, rng).items():
            query = query.format(
                coordinator=coordinator, nik=sample["nik"], nik4=sample["nik"][-4:], page2=page2
            )
            headers = {"HX-Request": "true"} if name == "htmx fragment" else {}
            url = "/petugas/antrian" + (f"?{query}" if query else "")
            for _ in range(3):  # warm up (prepared statements, caches)
                await client.get(url, headers=headers)
            samples = []
            for _ in range(args.runs):
                t = time.perf_counter()
                response = await client.get(url, headers=headers)
                samples.append((time.perf_counter() - t) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            rows = response.text.count('name="pilih"')
            print(
                f"{name:<24} {statistics.median(samples):8.1f} {percentile(samples, 95):8.1f} "
                f"{rows:5d} {len(response.content):8d}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--residents", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--office", choices=("kabupaten", "kota"), default="kabupaten")
    parser.add_argument(
        "--keep", action="store_true", help="keep the database afterwards (prints its URL)"
    )
    measure(parser.parse_args())


if __name__ == "__main__":
    main()

"""How heavy and how fast the coordinator's "Daftar dari kantor" is with 300 names in the area.

    python bench/office_list_page.py [--people 300] [--runs 30] [--engines sqlite,postgres]

For each engine: a fresh database (SQLite in a temporary folder; PostgreSQL as a temporary
database on PORTAL_BENCH_POSTGRES_URL, default the local server, skipped with a note when
none answers), migrated, with the demo data, and the demo RT 03 Surodinawan filled up to
``--people`` office people; one `portal serve` worker; the demo coordinator signed in over
HTTP with keep-alive. Reports p50/p95 of the first page (100 names, all shown), a name
search, the last page, the page's size (raw and gzip) and a 20-person mark. Asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, postgres_reachable, serving
from bench.harness import figures, percentile

POSTGRES = os.environ.get(
    "PORTAL_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
COORDINATOR = "rt03.surodinawan"
LIST = "/koordinator/daftar-kantor"
PICK = re.compile(r'name="pilih" value="(\d+\.\d+)"')
TOKEN = re.compile(r'name="_token" value="([^"]+)"')
MARK_SIZE = 20


async def seed(people: int) -> None:
    """Fill the demo coordinator's RT up to ``people`` office people (in the server's env)."""
    from datetime import date

    from portal import demo_office_list as demo
    from portal.tables.accounts import User
    from portal.tables.office_lists import OfficeImport, OfficePerson
    from portal.tables.regions import Village

    user = await User.objects().where(User.username == COORDINATOR).first()
    village = await Village.objects().where(Village.id == user.scope_village).first()
    have = await OfficePerson.count().where(
        OfficePerson.village == village.id, OfficePerson.rw == "02", OfficePerson.rt == "03"
    )
    imported = (
        await OfficeImport.select(OfficeImport.id)
        .where(OfficeImport.office == user.office, OfficeImport.state == "applied")
        .first()
    )
    more = demo.fake_people(
        people - have,
        kecamatan_code=village.code.rsplit(".", 1)[0],
        village_name=village.name,
        rw="02",
        rts=("03",),
        today=date.today(),
        seed=77,
    )
    await demo.add_people(imported["id"], village.code, more)


def portal_env(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "PORTAL_ENV": "development",
        "PORTAL_DATABASE_URL": database_url,
        "PORTAL_LOG_LEVEL": "WARNING",
        "PICCOLO_CONF": "portal.piccolo_conf",
        "PYTHONPATH": str(ROOT),
    }


def run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def timed(client, method: str, url: str, runs: int, **kwargs) -> tuple[list[float], bytes]:
    times, body = [], b""
    for _ in range(runs):
        started = time.perf_counter()
        response = client.request(method, url, **kwargs)
        times.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
        body = response.content
    return times, body


def measure(engine: str, database_url: str, people: int, runs: int) -> dict[str, float]:
    import httpx

    env = portal_env(database_url)
    run(env, "-m", "portal.cli", "migrate")
    run(env, "-m", "portal.cli", "demo-data")
    run(env, str(Path(__file__)), "--seed-only", str(people))
    with serving(env) as base:
        cookie = run(env, "-m", "e2e.make_session", COORDINATOR).strip()
        with httpx.Client(base_url=base, cookies={"portal_session": cookie}, timeout=30) as client:
            client.get(LIST)  # warm up, and the CSRF cookie
            first, body = timed(client, "GET", LIST + "?tampil=semua", runs)
            search, _ = timed(client, "GET", LIST + "?tampil=semua&cari=sri", runs)
            last, _ = timed(client, "GET", LIST + "?tampil=semua&halaman=3", runs)
            marks = []
            for _ in range(min(5, runs)):
                page = client.get(LIST).text
                data = {"pilih": PICK.findall(page)[:MARK_SIZE], "hasil": "rumah_kosong"}
                data["_token"] = TOKEN.search(page)[1]
                headers = {"X-CSRFToken": client.cookies.get("csrftoken", "")}
                started = time.perf_counter()
                done = client.post(LIST + "/tandai", data=data, headers=headers)
                marks.append((time.perf_counter() - started) * 1000)
                assert done.status_code == 303, done.status_code
    names = len(PICK.findall(body.decode()))
    return {
        f"{engine} names on page": names,
        f"{engine} page KB": round(len(body) / 1024, 1),
        f"{engine} page gzip KB": round(len(gzip.compress(body)) / 1024, 1),
        f"{engine} first page p50 ms": round(statistics.median(first), 1),
        f"{engine} first page p95 ms": round(percentile(first, 95), 1),
        f"{engine} search p50 ms": round(statistics.median(search), 1),
        f"{engine} last page p50 ms": round(statistics.median(last), 1),
        f"{engine} mark {MARK_SIZE} p50 ms": round(statistics.median(marks), 1),
    }


def postgres_database() -> tuple[str, Callable[[], None]]:
    import asyncpg

    name = f"portal_bench_{secrets.token_hex(4)}"

    async def execute(sql: str) -> None:
        conn = await asyncpg.connect(POSTGRES, timeout=5)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(execute(f'CREATE DATABASE "{name}"'))
    return POSTGRES.rsplit("/", 1)[0] + "/" + name, lambda: asyncio.run(
        execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--engines", default="sqlite,postgres")
    parser.add_argument("--seed-only", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed_only:
        asyncio.run(seed(args.seed_only))
        return
    results: dict[str, float | str] = {"people in the area": args.people}
    for engine in args.engines.split(","):
        if engine == "sqlite":
            with tempfile.TemporaryDirectory(prefix="portal-bench-") as tmp:
                url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
                results |= measure(engine, url, args.people, args.runs)
        elif engine == "postgres":
            if not postgres_reachable(POSTGRES):
                results["postgres"] = f"skipped: no server at {POSTGRES}"
                continue
            url, drop = postgres_database()
            try:
                results |= measure(engine, url, args.people, args.runs)
            finally:
                drop()
    width = max(len(k) for k in results)
    for key, value in results.items():
        print(f"{key:<{width}}  {value}")
    figures("office_list_page", results)


if __name__ == "__main__":
    main()

"""How long a 2,000-resident filter-wide bulk action holds the write lock, and what a
coordinator saving a resident and a public reader wait meanwhile, on SQLite and PostgreSQL.

    python bench/filter_action.py [--engines sqlite,postgres] [--residents 2000]

Per engine: a fresh database (SQLite: a file in a temporary folder; PostgreSQL: a throwaway
database on the local server, PORTAL_BENCH_POSTGRES_URL as in bench/staff_queue.py, skipped
with a note when none answers), ``portal migrate`` and ``portal demo-data``, then
``--residents`` submitted ("diterima") residents in RT 03 of Surodinawan (the seeding of
bench/upload_1000.py) so that the queue filter "kelurahan Surodinawan, status Diterima"
matches exactly that many. ``portal serve`` with one worker; petugas.kota asks for "verify
all" on that filter over HTTP (the count confirmation page, then the action), while the demo
coordinator rt03.surodinawan saves a resident into a draft list every ~50 ms (one client,
waiting for each answer) and two public readers keep loading public pages. Every request's
latency is recorded; figures are for the requests that overlapped the action's request.
Asserts nothing; the database and temporary files are removed at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx

from bench.common import PUBLIC_PATHS, ROOT, postgres_reachable
from bench.harness import PortalServer, figures, percentile
from tests.flows import (
    Coordinator,
    Submission,
    find_form,
    hidden_of,
    resident_fields,
    session_cookie,
)
from tests.portalserver import portal, portal_env

VILLAGE = "35.76.01.1007"  # Surodinawan, Kota office; the demo coordinator's RT is there
FILTER = f"desa={VILLAGE}&status=diterima"
STAFF = "petugas.kota"
COORDINATOR = "rt03.surodinawan"
PACE = 0.05  # seconds between one coordinator answer and the next save
READERS = 2
READER_PAUSE = 0.05
BEFORE, AFTER = 3.0, 2.0  # seconds of background traffic around the action
TIMEOUT = 60.0  # client timeout: long enough to see the whole wait, not cut it short


@dataclass
class Sample:
    kind: str  # "coordinator" or "public"
    started: float
    ms: float
    status: int  # 0: no answer
    error: str = ""


@dataclass
class Run:
    samples: list[Sample] = field(default_factory=list)
    stop: asyncio.Event = field(default_factory=asyncio.Event)


# --- Seeding (runs in a child process with the engine's environment) --------------------------


async def seed(total: int) -> None:
    """Top the filter up to ``total`` residents (demo data may already have some)."""
    from bench.upload_1000 import seed_existing
    from portal.tables.accounts import User
    from portal.tables.regions import Village
    from portal.tables.residents import Resident

    user = await User.objects().where(User.username == COORDINATOR).first()
    village = await Village.objects().where(Village.code == VILLAGE).first()
    there = await Resident.count().where(
        Resident.village == village.id, Resident.status == "diterima"
    )
    await seed_existing(user.id, count=total - there)


def run_seed(env: dict[str, str], total: int) -> None:
    subprocess.run(
        [sys.executable, __file__, "--seed", str(total)],
        env=env,
        cwd=ROOT,
        check=True,
        timeout=180,
        capture_output=True,
    )


# --- Traffic -----------------------------------------------------------------------------------


async def timed(run: Run, kind: str, request) -> httpx.Response | None:
    started = time.monotonic()
    try:
        response = await request
    except httpx.HTTPError as exc:
        ms = 1000 * (time.monotonic() - started)
        run.samples.append(Sample(kind, started, ms, 0, f"{type(exc).__name__}: {exc}"[:300]))
        return None
    ms = 1000 * (time.monotonic() - started)
    error = "" if response.status_code < 400 else _error_text(response)
    run.samples.append(Sample(kind, started, ms, response.status_code, error))
    return response


def _error_text(response: httpx.Response) -> str:
    from bs4 import BeautifulSoup

    page = BeautifulSoup(response.text, "html.parser")
    main = page.find("main") or page
    text = main.get_text(" ", strip=True)[:240]
    return f"{response.status_code} {response.request.url.path}: {text}"


async def reader(url: str, run: Run, seed_: int) -> None:
    rng = random.Random(seed_)
    paths = list(PUBLIC_PATHS.values())
    async with httpx.AsyncClient(base_url=url, timeout=TIMEOUT) as client:
        while not run.stop.is_set():
            await timed(run, "public", client.get(rng.choice(paths)))
            await asyncio.sleep(READER_PAUSE)


async def coordinator(url: str, session: str, run: Run, ready: asyncio.Event) -> None:
    """Saves residents one after the other into a draft list of its own, as the list page's
    add form does (a fresh one-time token each time); only the save POSTs are timed."""
    c = Coordinator(url, session, seed=7)
    try:
        sub = Submission()
        list_url = await c.create_list(sub, "Bench simpan selama tindakan massal")
        action, fields = find_form(await c._page(list_url, sub), "/warga")
        hidden = hidden_of(fields)
        n = 0
        ready.set()
        while not run.stop.is_set():
            n += 1
            values = {
                k: v for k, v in resident_fields(c.rng, n).items() if fields.get(k, "") is None
            }
            data = {**hidden, **values, "_token": secrets.token_hex(16)}
            headers = {"X-CSRFToken": c.client.cookies.get("csrftoken", "")}
            await timed(run, "coordinator", c.client.post(action, data=data, headers=headers))
            await asyncio.sleep(PACE)
    finally:
        ready.set()
        await c.close()


async def verify_all(url: str, session: str) -> dict:
    """The officer's path: the filtered queue, "all results of this filter" + Verifikasi,
    the confirmation page (count), then "Ya, verifikasi N warga" (timed)."""
    async with httpx.AsyncClient(
        base_url=url, cookies={"portal_session": session}, timeout=TIMEOUT * 3
    ) as client:
        queue = await client.get(f"/petugas/antrian?{FILTER}")
        queue.raise_for_status()
        action, fields = find_form(queue.text, "/antrian/massal")
        headers = {"X-CSRFToken": client.cookies.get("csrftoken", "")}
        started = time.monotonic()
        confirm = await client.post(
            action,
            data={**hidden_of(fields), "cakupan": "saringan", "aksi": "verifikasi"},
            headers=headers,
        )
        confirm_s = time.monotonic() - started
        if confirm.status_code != 200:
            return {"status": confirm.status_code, "error": _error_text(confirm)}
        action, fields = find_form(confirm.text, "/antrian/massal")
        started = time.monotonic()
        try:
            done = await client.post(action, data=hidden_of(fields), headers=headers)
        except httpx.HTTPError as exc:
            ended = time.monotonic()
            return {"started": started, "ended": ended, "status": 0, "error": repr(exc)}
        ended = time.monotonic()
        outcome = parse_qs(urlsplit(done.headers.get("location", "")).query)
        return {
            "started": started,
            "ended": ended,
            "confirm_s": confirm_s,
            "confirmed": int(fields.get("jumlah") or 0),
            "status": done.status_code,
            "error": "" if done.status_code == 303 else _error_text(done),
            "changed": int(outcome.get("ok", ["0"])[0]),
            "skipped": int(outcome.get("lewat", ["0"])[0]),
            "conflicts": int(outcome.get("bentrok", ["0"])[0]),
        }


async def drive(url: str, staff_session: str, coordinator_session: str) -> tuple[dict, Run]:
    run = Run()
    ready = asyncio.Event()
    tasks = [asyncio.create_task(coordinator(url, coordinator_session, run, ready))]
    tasks += [asyncio.create_task(reader(url, run, i)) for i in range(READERS)]
    try:
        await asyncio.wait_for(ready.wait(), 30)
        await asyncio.sleep(BEFORE)
        action = await verify_all(url, staff_session)
        await asyncio.sleep(AFTER)
    finally:
        run.stop.set()
        await asyncio.wait(tasks, timeout=TIMEOUT + 10)
        for task in tasks:
            task.cancel()
    return action, run


# --- One engine --------------------------------------------------------------------------------


def summarise(engine: str, action: dict, run: Run, server: PortalServer) -> dict:
    a0, a1 = action.get("started", 0.0), action.get("ended", 0.0)
    during = [s for s in run.samples if s.started < a1 and s.started + s.ms / 1000 > a0]
    before = [s for s in run.samples if s.started + s.ms / 1000 <= a0]
    coord = [s.ms for s in during if s.kind == "coordinator" and s.status]
    coord_before = [s.ms for s in before if s.kind == "coordinator" and s.status]
    public = [s.ms for s in during if s.kind == "public" and s.status]
    bad = [s for s in run.samples if s.status == 0 or s.status >= 400]
    if action.get("status") != 303:
        bad.append(Sample("action", a0, 0, action.get("status", 0), action.get("error", "")))
    log_errors = [
        f"{r.get('level', '')}: {r.get('message', r.get('event', ''))}"[:300]
        for r in server.log_records()
        if str(r.get("level", "")).upper() in ("ERROR", "CRITICAL")
    ]
    out = {
        "residents changed": action.get("changed", 0),
        "action status": action.get("status"),
        "action s": round(a1 - a0, 2),
        "confirm step s": round(action.get("confirm_s", float("nan")), 2),
        "coordinator saves during": len(coord),
        "coordinator max ms during": round(max(coord, default=float("nan")), 1),
        "coordinator p50 ms during": round(percentile(coord, 50), 1),
        "coordinator p99 ms during": round(percentile(coord, 99), 1),
        "coordinator p50 ms before": round(percentile(coord_before, 50), 1),
        "public reads during": len(public),
        "public p99 ms during": round(percentile(public, 99), 1),
        "errors": len(bad),
    }
    if action.get("skipped") or action.get("conflicts"):
        out["skipped/conflicts"] = f"{action['skipped']}/{action['conflicts']}"
    if bad:
        out["first errors"] = sorted({f"{s.kind} {s.status} {s.error}" for s in bad})[:3]
    if log_errors:
        out["server log errors"] = len(log_errors)
        out["first server log error"] = log_errors[0]
    return {f"{engine}: {k}": v for k, v in out.items()}


def one_engine(engine: str, residents: int) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="portal-bench-filter-"))
    pg = None
    try:
        if engine == "postgres":
            from bench import staff_queue as pg  # its throwaway database on the local server

            asyncio.run(pg.create_database())
            url = pg.DB_URL
        else:
            url = f"sqlite:///{tmp / 'bench.sqlite3'}"
        env = portal_env(url, PORTAL_ENV="development", PORTAL_LOG_LEVEL="WARNING")
        portal(env, "migrate")
        portal(env, "demo-data")
        started = time.monotonic()
        run_seed(env, residents)
        seeded_s = time.monotonic() - started
        staff_session = session_cookie(env, STAFF)
        coordinator_session = session_cookie(env, COORDINATOR)
        with PortalServer(env, "--host", "127.0.0.1", "--workers", "1") as server:
            server.wait_for("/readyz", 200, timeout=30)
            action, run = asyncio.run(drive(server.url, staff_session, coordinator_session))
            result = summarise(engine, action, run, server)
        print(f"{engine}: seeded {residents} in {seeded_s:.1f} s", file=sys.stderr)
        return result
    finally:
        if pg is not None:
            asyncio.run(pg.drop_database())
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engines", default="sqlite,postgres")
    parser.add_argument("--residents", type=int, default=2000, help="at most the cap, 2,000")
    parser.add_argument("--seed", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed is not None:
        asyncio.run(seed(args.seed))
        return
    from bench.staff_queue import SERVER  # the server its throwaway databases live on

    values: dict = {"residents matched": args.residents}
    for engine in args.engines.split(","):
        if engine == "postgres" and not postgres_reachable(SERVER):
            values["postgres"] = "skipped: no PostgreSQL server answers"
            continue
        try:
            values.update(one_engine(engine, args.residents))
        except Exception as exc:  # report the other engine's figures all the same
            values[f"{engine}: FAILED"] = f"{type(exc).__name__}: {exc}"[-800:]
    figures("filter_action", values)


if __name__ == "__main__":
    main()

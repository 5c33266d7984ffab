"""Mixed load with writes on two worker processes and PostgreSQL (a throwaway cluster):
public readers, coordinators submitting lists, staff verifying residents, all at once for a
bounded time. Prints requests, errors by status, p50/p99 latency and submissions
acknowledged versus stored (must be equal), and no half-stored list.

    python bench/load_mixed.py [--seconds 20] [--restart-db]

``--restart-db`` stops PostgreSQL a third of the way in and starts it 3 s later: requests in
the outage must get a fast 503 (or a public page's last good copy), the app must recover by
itself within 5 s, and no acknowledged submission may be lost.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import PUBLIC_PATHS
from bench.harness import PortalServer, figures, percentile, site
from tests.flows import Coordinator, FlowError, find_form, hidden_of, list_id_of, session_cookie

COORDINATORS = ["rt03.surodinawan", "pkk.wates", "rw01.trowulan", "rt05.mojosari"]
STAFF = ["petugas.kota", "petugas.kab"]
READERS = 6
QUEUE_SQL = {
    "kota": "SELECT r.id FROM resident r JOIN office o ON o.id = r.office "
    "WHERE r.status = 'diterima' AND o.slug = 'kota' LIMIT 20",
    "kabupaten": "SELECT r.id FROM resident r JOIN office o ON o.id = r.office "
    "WHERE r.status = 'diterima' AND o.slug = 'kabupaten' LIMIT 20",
}


@dataclass
class Record:
    started: float
    kind: str
    status: int  # 0: no answer (connection error, timeout)
    ms: float


@dataclass
class Run:
    records: list[Record] = field(default_factory=list)
    acknowledged: list[str] = field(default_factory=list)
    staff_done: int = 0
    staff_conflicts: int = 0
    stop: asyncio.Event = field(default_factory=asyncio.Event)


class TimedTransport(httpx.AsyncBaseTransport):
    """Every request's status and time to response headers, by kind of actor."""

    def __init__(self, run: Run, kind: str) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.run, self.kind = run, kind

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        started = time.monotonic()
        try:
            response = await self.inner.handle_async_request(request)
        except httpx.HTTPError:
            self.run.records.append(
                Record(started, self.kind, 0, 1000 * (time.monotonic() - started))
            )
            raise
        self.run.records.append(
            Record(started, self.kind, response.status_code, 1000 * (time.monotonic() - started))
        )
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


async def reader(url: str, run: Run, seed: int) -> None:
    rng = random.Random(seed)
    paths = list(PUBLIC_PATHS.values())
    async with httpx.AsyncClient(
        base_url=url, transport=TimedTransport(run, "public"), timeout=10
    ) as client:
        while not run.stop.is_set():
            try:
                await client.get(rng.choice(paths))
            except httpx.HTTPError:
                await asyncio.sleep(0.05)


async def coordinator(url: str, session: str, run: Run, seed: int) -> None:
    c = Coordinator(url, session, seed=seed)
    c.client._transport = TimedTransport(run, "coordinator")
    n = 0
    try:
        while not run.stop.is_set():
            n += 1
            try:
                sub = await c.submit_list(2, f"Beban {seed}-{n}")
            except (FlowError, httpx.HTTPError):
                await asyncio.sleep(0.2)
                continue
            if sub.acknowledged:
                run.acknowledged.append(list_id_of(sub.list_url))
    finally:
        await c.close()


async def staff(url: str, session: str, run: Run, pg, office: str, seed: int) -> None:
    rng = random.Random(seed)
    transport = TimedTransport(run, "staff")
    async with httpx.AsyncClient(
        base_url=url, cookies={"portal_session": session}, transport=transport, timeout=10
    ) as client:
        while not run.stop.is_set():
            try:
                ids = await asyncio.to_thread(pg.psql, QUEUE_SQL[office], "portal")
            except Exception:  # the database is down (--restart-db): try again shortly
                await asyncio.sleep(0.5)
                continue
            if not ids:
                await asyncio.sleep(0.3)
                continue
            rid = rng.choice(ids.split())
            try:
                page = await client.get(f"/petugas/warga/{rid}")
                if page.status_code != 200:
                    await asyncio.sleep(0.2)
                    continue
                action, fields = find_form(page.text, "/verifikasi")
                token = client.cookies.get("csrftoken", "")
                done = await client.post(
                    action, data=hidden_of(fields), headers={"X-CSRFToken": token}
                )
            except (FlowError, httpx.HTTPError):
                await asyncio.sleep(0.2)
                continue
            if done.status_code == 303:
                run.staff_done += 1
            elif done.status_code == 409:
                run.staff_conflicts += 1


async def outage(pg, server: PortalServer, run: Run, at: float, result: dict) -> None:
    await asyncio.sleep(at)
    result["outage_from"] = time.monotonic()
    await asyncio.to_thread(pg.stop, "fast")
    await asyncio.sleep(3)
    await asyncio.to_thread(pg.start)
    back = time.monotonic()
    result["outage_to"] = back
    async with httpx.AsyncClient(timeout=2) as client:
        while time.monotonic() - back < 30:
            try:
                if (await client.get(server.url + "/readyz")).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.05)
    result["recovered_s"] = round(time.monotonic() - back, 2)


def stored(pg) -> tuple[set[str], int]:
    rows = pg.psql(
        "SELECT l.public_id, count(r.id) FILTER (WHERE r.status = 'draft') "
        "FROM resident_list l LEFT JOIN resident r ON r.resident_list = l.id "
        "WHERE l.state = 'submitted' GROUP BY l.public_id",
        "portal",
    )
    lists, half = set(), 0
    for line in rows.splitlines():
        public_id, drafts = line.split("|")
        lists.add(public_id)
        half += int(drafts) > 0
    return lists, half


async def drive(server: PortalServer, pg, env, seconds: int, restart_db: bool) -> dict:
    run = Run()
    coordinator_sessions = [session_cookie(env, n) for n in COORDINATORS]
    staff_sessions = [session_cookie(env, n) for n in STAFF]
    outage_result: dict = {}
    tasks = [asyncio.create_task(reader(server.url, run, i)) for i in range(READERS)]
    tasks += [
        asyncio.create_task(coordinator(server.url, s, run, i))
        for i, s in enumerate(coordinator_sessions)
    ]
    tasks += [
        asyncio.create_task(staff(server.url, s, run, pg, office, i))
        for i, (s, office) in enumerate(zip(staff_sessions, ("kota", "kabupaten"), strict=True))
    ]
    if restart_db:
        tasks.append(asyncio.create_task(outage(pg, server, run, seconds / 3, outage_result)))
    started = time.monotonic()
    await asyncio.sleep(seconds)
    run.stop.set()
    await asyncio.wait(tasks, timeout=30)
    took = time.monotonic() - started

    lists, half = stored(pg)
    acked = set(run.acknowledged)
    answered = [r for r in run.records if r.status]
    statuses = Counter(r.status for r in run.records)
    out = {
        "seconds": round(took, 1),
        "requests": len(run.records),
        "requests/s": round(len(run.records) / took, 1),
        "by status": dict(sorted(statuses.items())),
        "errors (5xx or no answer)": sum(n for s, n in statuses.items() if s == 0 or s >= 500),
        "p50 ms": round(percentile([r.ms for r in answered], 50), 1),
        "p99 ms": round(percentile([r.ms for r in answered], 99), 1),
        "public p99 ms": round(percentile([r.ms for r in answered if r.kind == "public"], 99), 1),
        "lists acknowledged": len(acked),
        "lists stored": len(lists),
        "acknowledged but missing": len(acked - lists),
        "half-stored lists": half,
        "staff verifications": run.staff_done,
        "staff conflicts (409)": run.staff_conflicts,
    }
    if restart_db and "outage_to" in outage_result:
        during = [
            r
            for r in run.records
            if outage_result["outage_from"] <= r.started <= outage_result["outage_to"]
        ]
        out["outage requests"] = len(during)
        out["outage by status"] = dict(sorted(Counter(r.status for r in during).items()))
        out["outage slowest answer ms"] = round(max((r.ms for r in during), default=0), 1)
        public = [r for r in during if r.kind == "public"]
        out["outage public pages served 200"] = sum(1 for r in public if r.status == 200)
        out["outage public pages 503"] = sum(1 for r in public if r.status == 503)
        out["recovered after DB start (s)"] = outage_result.get("recovered_s")
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--restart-db", action="store_true")
    args = parser.parse_args()
    with site() as (pg, env), PortalServer(env, "--workers", "2") as server:
        server.wait_for("/readyz", 200, timeout=30)
        result = asyncio.run(drive(server, pg, env, args.seconds, args.restart_db))
    name = "load_mixed" + (" (DB restart)" if args.restart_db else "")
    figures(name, result)


if __name__ == "__main__":
    main()

"""Acknowledged means durable: every list the server acknowledged is there, whole, after
PostgreSQL crashes (``pg_ctl stop -m immediate``: no shutdown checkpoint, WAL replay on
start) — including when the crash hits in the middle of submissions."""

from __future__ import annotations

import asyncio

import httpx

from tests.flows import Coordinator, FlowError, list_id_of, session_cookie
from tests.portalserver import PortalServer
from tests.reliability.conftest import require_routes

COORDINATORS = ["rt03.surodinawan", "pkk.wates", "rw01.trowulan", "rt05.mojosari"]


async def submit_many(url: str, sessions: list[str], count: int, residents: int) -> list:
    """Submit ``count`` lists, four coordinators at a time; return every Submission."""
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(count):
        queue.put_nowait(n)
    results: list = []

    async def worker(index: int) -> None:
        coordinator = Coordinator(url, sessions[index % len(sessions)], seed=index)
        try:
            while not queue.empty():
                n = queue.get_nowait()
                try:
                    results.append(await coordinator.submit_list(residents, f"Daftar uji {n}"))
                except (FlowError, httpx.HTTPError) as exc:  # refused or cut off by a crash
                    results.append(exc)
        finally:
            await coordinator.close()

    await asyncio.gather(*(worker(i) for i in range(len(sessions))))
    return results


def stored_lists(pg) -> dict[str, tuple[str, int, int]]:
    """public_id → (state, residents, residents still in draft)."""
    rows = pg.psql(
        "SELECT l.public_id, l.state, count(r.id), count(r.id) FILTER (WHERE r.status = 'draft') "
        "FROM resident_list l LEFT JOIN resident r ON r.resident_list = l.id "
        # Only the lists this test sent: the demo data has submitted lists of its own.
        "WHERE l.title LIKE 'Daftar uji %' "
        "GROUP BY l.public_id, l.state",
        "portal",
    )
    out = {}
    for line in rows.splitlines():
        public_id, state, total, draft = line.split("|")
        out[public_id] = (state, int(total), int(draft))
    return out


def assert_whole(stored: dict, acknowledged: list) -> None:
    for sub in acknowledged:
        state, total, draft = stored[list_id_of(sub.list_url)]
        assert (state, total, draft) == ("submitted", sub.residents, 0), sub.list_url
    # No half-stored list anywhere: a submitted list has no resident left in draft.
    half = {k: v for k, v in stored.items() if v[0] == "submitted" and v[2]}
    assert half == {}


def test_acknowledged_lists_survive_a_database_crash(dev_site):
    require_routes("/koordinator/daftar/baru", "/koordinator/daftar/{list_id:str}/kirim")
    pg, env = dev_site
    sessions = [session_cookie(env, name) for name in COORDINATORS]
    with PortalServer(env, "--workers", "2") as server:
        server.wait_for("/readyz", 200, timeout=20)
        results = asyncio.run(submit_many(server.url, sessions, count=100, residents=1))
        failures = [str(r) for r in results if isinstance(r, Exception)]
        assert failures == []
        acknowledged = [r for r in results if r.acknowledged]
        assert len(acknowledged) == 100

        pg.stop("immediate")
        pg.start()
        stored = stored_lists(pg)
        assert sum(1 for v in stored.values() if v[0] == "submitted") == 100
        assert_whole(stored, acknowledged)
        server.wait_for("/readyz", 200, timeout=10)


def test_a_crash_in_the_middle_of_submissions_loses_no_acknowledged_list(dev_site):
    require_routes("/koordinator/daftar/baru", "/koordinator/daftar/{list_id:str}/kirim")
    pg, env = dev_site
    sessions = [session_cookie(env, name) for name in COORDINATORS]
    with PortalServer(env, "--workers", "2") as server:
        server.wait_for("/readyz", 200, timeout=20)

        async def run() -> list:
            load = asyncio.create_task(submit_many(server.url, sessions, count=40, residents=1))
            while not load.done():  # crash once some lists are in, with more in flight
                await asyncio.sleep(0.2)
                stored = await asyncio.to_thread(stored_lists, pg)
                if sum(1 for v in stored.values() if v[0] == "submitted") >= 10:
                    break
            await asyncio.to_thread(pg.stop, "immediate")
            await asyncio.sleep(1)
            await asyncio.to_thread(pg.start)
            return await load

        results = asyncio.run(run())
        acknowledged = [r for r in results if not isinstance(r, Exception) and r.acknowledged]
        refused = [r for r in results if isinstance(r, Exception)]
        assert acknowledged and refused, "the crash did not fall in the middle of the run"
        stored = stored_lists(pg)
        assert_whole(stored, acknowledged)
        # Commits that landed just before the crash, unanswered, may exist too: never fewer.
        assert sum(1 for v in stored.values() if v[0] == "submitted") >= len(acknowledged)

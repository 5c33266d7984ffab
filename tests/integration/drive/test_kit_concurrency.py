"""Two officers plan overlapping sessions on one kit at the same moment: exactly one is
stored. Each save is held just before its clash lookup until the other arrives (or 1.5 s
pass), so without the lock both would look before either writes.

On PostgreSQL the kit's row lock (``SELECT … FOR UPDATE``) is what keeps them apart: with it
patched out both saves succeed, which shows the test can fail. On SQLite the IMMEDIATE write
transaction already runs them one after the other, lock or not."""

from __future__ import annotations

import asyncio
from contextlib import suppress

import pytest

from portal.domain.errors import Invalid
from portal.staff import session, session_plans
from portal.staff.session import SessionInput
from portal.tables.kits import SessionOperator, SessionPlan
from portal.tables.outreach import OutreachSession
from portal.web.forms import parse
from tests.conftest import ENGINE
from tests.integration import staff_fixtures as fx
from tests.integration.drive import kit_fixtures as kf
from tests.integration.drive.kit_fixtures import session_form

WAIT = 1.5


@pytest.fixture
def rendezvous(monkeypatch):
    """Hold each clash lookup until two have arrived (or WAIT seconds); count arrivals."""
    state = {"arrived": 0}
    both = asyncio.Event()
    real = session_plans.bookings

    async def meet(*args, **kwargs):
        state["arrived"] += 1
        if state["arrived"] >= 2:
            both.set()
        with suppress(TimeoutError):
            await asyncio.wait_for(both.wait(), WAIT)
        return await real(*args, **kwargs)

    monkeypatch.setattr(session_plans, "bookings", meet)
    return state


async def save_both(forms: list[dict]) -> list[int | Invalid]:
    officers = [await fx.staff("kota"), await fx.staff("kota")]

    async def one(officer, form):
        try:
            return await session.save(await fx.scope_of(officer), parse(SessionInput, form))
        except Invalid as exc:
            return exc

    return list(await asyncio.gather(*[one(o, f) for o, f in zip(officers, forms, strict=True)]))


def two_overlapping(kit_id: int, **more) -> list[dict]:
    return [
        session_form(title="Sesi petugas A", kit=str(kit_id), **more),
        session_form(title="Sesi petugas B", kit=str(kit_id), starts="10:00", ends="13:00", **more),
    ]


async def test_two_concurrent_overlapping_sessions_on_one_kit_store_one(db, rendezvous):
    kit = await kf.kit("kota", "Alat rekam keliling")
    results = await save_both(two_overlapping(kit.id))
    stored = [r for r in results if isinstance(r, int)]
    refused = [r for r in results if isinstance(r, Invalid)]
    assert len(stored) == 1 and len(refused) == 1
    assert "sudah dipakai untuk sesi “Sesi petugas" in refused[0].errors["kit"]
    assert await OutreachSession.count() == 1 and await SessionPlan.count() == 1
    assert (await SessionPlan.select().first())["session"] == stored[0]


async def test_two_concurrent_sessions_sharing_an_operator_store_one(db, rendezvous):
    kit_a = await kf.kit("kota", "Alat rekam keliling")
    kit_b = await kf.kit("kota", "Alat rekam MPP")
    rina = await kf.operator("kota", "Bu Rina")
    forms = [
        session_form(title="Sesi A", kit=str(kit_a.id), operators=[str(rina.id)]),
        session_form(title="Sesi B", kit=str(kit_b.id), operators=[str(rina.id)]),
    ]
    results = await save_both(forms)
    refused = [r for r in results if isinstance(r, Invalid)]
    assert (
        len(refused) == 1 and "Operator “Bu Rina” sudah bertugas" in refused[0].errors["operators"]
    )
    assert await SessionOperator.count() == 1


async def test_without_the_row_lock_postgresql_would_double_book(db, rendezvous, monkeypatch):
    kit = await kf.kit("kota", "Alat rekam keliling")
    monkeypatch.setattr(session_plans, "for_update", lambda query: query)
    results = await save_both(two_overlapping(kit.id))
    stored = [r for r in results if isinstance(r, int)]
    if ENGINE == "postgres":
        # Both looked before either wrote: the lock is what the first test relies on.
        assert rendezvous["arrived"] == 2 and len(stored) == 2
    else:
        # SQLite's IMMEDIATE transaction alone runs the writers one after the other.
        assert len(stored) == 1

"""Factories for the kit tests: kits, operators and session plans written straight into the
tables, and the session form as the staff form posts it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from portal.clock import today_local
from portal.tables.kits import KitOperator, RecordingKit, SessionOperator, SessionPlan
from tests.integration import staff_fixtures as fx

DAY = today_local() + timedelta(days=10)


def now() -> datetime:
    return datetime.now(UTC)


async def kit(office: str = "kota", name: str = "Alat rekam keliling", **extra) -> RecordingKit:
    office_row = await fx.office(office)
    row = RecordingKit(office=office_row.id, name=name, created_at=now(), updated_at=now(), **extra)
    await row.save()
    return row


async def operator(office: str = "kota", name: str = "Rina Operator", **extra) -> KitOperator:
    office_row = await fx.office(office)
    row = KitOperator(
        office=office_row.id, full_name=name, created_at=now(), updated_at=now(), **extra
    )
    await row.save()
    return row


async def plan(session, kit_row=None, *, target=None, operators=(), walk_ins=0) -> SessionPlan:
    row = SessionPlan(
        session=session.id,
        kit=kit_row.id if kit_row else None,
        target_students=target,
        walk_in_recorded=walk_ins,
        created_at=now(),
        updated_at=now(),
    )
    await row.save()
    for o in operators:
        await SessionOperator(session=session.id, operator=o.id).save()
    return row


def session_form(**changes) -> dict:
    """A kelurahan session on ``DAY`` 08:00–12:00 in Kec. Prajuritkulon."""
    data = {
        "kind": "kelurahan",
        "title": "Perekaman di Balai RW 02",
        "place": "Balai RW 02 Surodinawan",
        "day": DAY.isoformat(),
        "starts": "08:00",
        "ends": "12:00",
        "capacity": "40",
        "areas": ["35.76.01"],
        "public": "",
    }
    data.update(changes)
    return data

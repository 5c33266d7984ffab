"""Act as staff on the e2e server's database, for coordinator browser tests that need a
status set before the staff screens exist: ``python -m e2e.coordinator_db status NAME
STATUS [REASON]``, ``python -m e2e.coordinator_db note NAME TEXT`` or ``python -m
e2e.coordinator_db schedule NAME TITLE`` (into a new session of that title in a week's
time, in Surodinawan). Runs in the server's
environment (same database); NAME is a resident's full name (unique per test)."""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime


async def _new_session(title: str) -> int:
    from datetime import time, timedelta

    from portal.clock import today_local
    from portal.tables.outreach import OutreachSession
    from portal.tables.regions import Office

    office = await Office.objects().where(Office.slug == "kota").first()
    session = OutreachSession(
        office=office.id,
        kind="kelurahan",
        title=title,
        place="Balai Kelurahan Surodinawan",
        day=today_local() + timedelta(days=7),
        starts=time(8, 0),
        ends=time(12, 0),
        updated_at=datetime.now(UTC),
    )
    await session.save()
    return session.id


async def main(command: str, name: str, *rest: str) -> None:
    from portal.tables.residents import Resident, ResidentNote

    resident = (
        await Resident.objects()
        .where(Resident.full_name == name)
        .order_by(Resident.id, ascending=False)
        .first()
    )
    if resident is None:
        raise SystemExit(f"no resident named {name!r}")
    if command == "status":
        status, reason = rest[0], (rest[1] if len(rest) > 1 else "")
        await Resident.update({Resident.status: status, Resident.status_reason: reason}).where(
            Resident.id == resident.id
        )
    elif command == "schedule":
        await Resident.update(
            {Resident.status: "dijadwalkan", Resident.outreach_session: await _new_session(rest[0])}
        ).where(Resident.id == resident.id)
    elif command == "note":
        await ResidentNote(
            resident=resident.id,
            at=datetime.now(UTC),
            body=rest[0],
            visible_to_coordinator=rest[1] == "visible" if len(rest) > 1 else True,
        ).save()
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:]))

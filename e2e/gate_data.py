"""Data for the whole-site crawl: a submitted list of rt03.surodinawan (via e2e.staff_data)
with two of its residents scheduled into the first Kota session, so the roster, the
coordinator's status lines and the charts all have rows. ``python -m e2e.gate_data``."""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import uuid
from datetime import UTC, datetime
from zoneinfo import ZoneInfo


async def main() -> None:
    from e2e.staff_data import main as seed_list
    from portal.content.load import bump_revision
    from portal.tables.outreach import OutreachSession
    from portal.tables.regions import Office
    from portal.tables.residents import Resident, ResidentList

    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        await seed_list("6a7e")
    ids = list(json.loads(printed.getvalue()).values())[:2]
    kota = await Office.objects().where(Office.slug == "kota").first()
    session = (
        await OutreachSession.objects()
        .where(OutreachSession.office == kota.id)
        .order_by(OutreachSession.day)
        .first()
    )
    await Resident.update(
        {Resident.status: "dijadwalkan", Resident.outreach_session: session.id}
    ).where(Resident.id.is_in(ids))
    # Today, so the roster shows its attendance form too.
    today = datetime.now(ZoneInfo("Asia/Jakarta")).date()
    await OutreachSession.update(
        {OutreachSession.booked: OutreachSession.booked + len(ids), OutreachSession.day: today}
    ).where(OutreachSession.id == session.id)
    # A draft too, so the crawl reaches the add-resident form.
    submitted = await ResidentList.objects().where(ResidentList.title.like("%6a7e%")).first()
    now = datetime.now(UTC)
    await ResidentList(
        public_id=uuid.uuid4(),
        coordinator=submitted.coordinator,
        office=submitted.office,
        village=submitted.village,
        rw=submitted.rw,
        rt=submitted.rt,
        title="Draf pemeriksaan situs",
        state="draft",
        created_at=now,
        updated_at=now,
    ).save()
    await bump_revision()
    print(session.id)


if __name__ == "__main__":
    asyncio.run(main())

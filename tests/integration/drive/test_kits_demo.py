"""`portal demo-data` gives both offices their kits, plans the demo sessions without a clash
and shows the Kota's nine-school programme (S000: 1,423 students)."""

from __future__ import annotations

from datetime import date

from portal import demo
from portal.content.seed import load_seed
from portal.demo_kits import load_kits_demo
from portal.rules.booking import Slot, find_clash
from portal.staff.session_plans import bookings
from portal.staff.session_progress import school_summary
from portal.tables.kits import KitOperator, RecordingKit, SessionPlan
from portal.tables.outreach import OutreachSession
from tests.integration import staff_fixtures as fx

S001_SCHOOLS = ("SMAN 1", "SMAN 3", "SMKN 2", "SMA Katholik", "SMK PGRI", "SMK Taman Siswa")


async def test_demo_kits_plans_and_the_nine_schools(db):
    today = date(2025, 10, 20)  # S000's programme; the school year holds every demo session
    await demo._demo_sessions(load_seed(), today)
    for _ in range(2):  # idempotent
        await load_kits_demo(today)
    kota, kab = await fx.office("kota"), await fx.office("kabupaten")
    kits = await RecordingKit.select()
    assert sum(k["office"] == kota.id for k in kits) == 2
    assert sum(k["office"] == kab.id for k in kits) == 4
    assert all(k["serial"].startswith("DEMO-") and "demo" in k["notes"] for k in kits)
    assert await KitOperator.count() == 4

    sessions = await OutreachSession.select()
    plans = {p["session"]: p for p in await SessionPlan.select()}
    assert all(plans[s["id"]]["kit"] for s in sessions), "every demo session has a kit"
    for s in sessions:
        slot = Slot(s["day"], s["starts"], s["ends"])
        found = await bookings("kit", plans[s["id"]]["kit"], s["day"])
        assert find_clash(slot, found, exclude_session=s["id"]) is None, s["title"]

    schools = [s for s in sessions if s["kind"] == "sekolah" and s["office"] == kota.id]
    assert len(schools) == 9
    assert sum(plans[s["id"]]["target_students"] for s in schools) == 1423
    titles = " ".join(s["title"] for s in schools)
    assert all(name in titles for name in S001_SCHOOLS)
    assert sum("Sekolah demo" in s["title"] for s in schools) == 3

    summary = await school_summary(await fx.scope_of(await fx.staff("kota")), today)
    assert (summary.sessions, summary.target, summary.recorded) == (9, 1423, 150 + 70 + 61)

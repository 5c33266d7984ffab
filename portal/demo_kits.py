"""Demo recording kits, operators and session plans for `portal demo-data` (development only).

- Kits: the Kota two (the MPP Gajah Mada counter's and a mobile one), the Kabupaten four, one
  per service point of S004 ("empat lokasi di wilayah eks pembantu bupati": Dispendukcapil/
  MPP in Sooko and the kecamatan offices of Mojosari, Gondang and Jetis, Rp160 juta each).
  Serials and notes say "demo": the real inventory is the offices' to enter.
- The Kota's school programme of S000: about 1,423 students in nine schools, none named. Six
  of the schools S001 names are used (three already in the seed's demo sessions), the other
  three are "Sekolah demo …"; the split of 1,423 between them is a demo estimate. Three of
  the school sessions lie in the past with counts recorded on the spot, so the sessions list
  shows recorded against target.
- The seed's demo sessions get kits and operators without a clash (each is checked with the
  same rule as a save), so the session form refuses what a real clash would be.

Idempotent: kits, operators and sessions are found by name or title; a session that already
has a plan keeps it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from portal.domain.transactions import write_transaction
from portal.rules.booking import Slot, find_clash
from portal.staff.session_plans import SCHOOL, bookings
from portal.tables.kits import KitOperator, RecordingKit, SessionOperator, SessionPlan
from portal.tables.outreach import OutreachArea, OutreachSession
from portal.tables.regions import Office

DEMO = "Data demo, bukan inventaris resmi."
KITS = {
    "kota": (
        ("Alat rekam MPP Gajah Mada", "DEMO-KOTA-01", f"{DEMO} Di loket Dispendukcapil MPP."),
        ("Alat rekam keliling", "DEMO-KOTA-02", f"{DEMO} Dibawa ke sekolah dan kelurahan."),
    ),
    "kabupaten": (
        (
            "Alat rekam Dispendukcapil/MPP Sooko",
            "DEMO-KAB-01",
            f"{DEMO} Sooko, Puri, Trowulan, Bangsal, Mojoanyar (S004).",
        ),
        (
            "Alat rekam Kecamatan Mojosari",
            "DEMO-KAB-02",
            f"{DEMO} Ngoro, Mojosari, Pungging, Kutorejo (S004).",
        ),
        (
            "Alat rekam Kecamatan Gondang",
            "DEMO-KAB-03",
            f"{DEMO} Trawas, Pacet, Gondang, Jatirejo (S004).",
        ),
        (
            "Alat rekam Kecamatan Jetis",
            "DEMO-KAB-04",
            f"{DEMO} Jetis, Dawarblandong, Gedeg, Kemlagi (S004).",
        ),
    ),
}
OPERATORS = {
    "kota": ("Rina (operator demo)", "Agus (operator demo)"),
    "kabupaten": ("Sari (operator demo)", "Bambang (operator demo)"),
}
TARGET_NOTE = "Target siswa: perkiraan demo (sembilan sekolah, 1.423 siswa, S000)."
# The Kota school sessions the seed lacks: title, place, in days, hours, walk-ins recorded.
SCHOOLS = (
    ("Perekaman KTP-el di SMAN 3 Kota Mojokerto", "SMAN 3 Kota Mojokerto", -12, (8, 12), 150),
    ("Perekaman KTP-el di SMA Katholik Kota Mojokerto", "SMA Katholik", -8, (8, 11), 70),
    ("Perekaman KTP-el di SMK Taman Siswa Kota Mojokerto", "SMK Taman Siswa", -5, (8, 12), 61),
    ("Perekaman KTP-el di Sekolah demo 1", "Sekolah demo 1 (Kota Mojokerto)", 17, (8, 12), 0),
    ("Perekaman KTP-el di Sekolah demo 2", "Sekolah demo 2 (Kota Mojokerto)", 24, (8, 12), 0),
    ("Perekaman KTP-el di Sekolah demo 3", "Sekolah demo 3 (Kota Mojokerto)", 28, (8, 12), 0),
)
# Session title → (kit, operators, students expected).
PLANS: dict[str, tuple[str, tuple[str, ...], int | None]] = {
    "Perekaman KTP-el di SMAN 1 Kota Mojokerto": (
        "Alat rekam keliling",
        ("Rina (operator demo)", "Agus (operator demo)"),
        210,
    ),
    "Perekaman KTP-el dan aktivasi IKD di SMKN 2 Kota Mojokerto": (
        "Alat rekam keliling",
        ("Rina (operator demo)",),
        245,
    ),
    "Perekaman KTP-el di SMK PGRI Kota Mojokerto": ("Alat rekam keliling", (), 130),
    "Perekaman KTP-el di SMAN 3 Kota Mojokerto": ("Alat rekam keliling", (), 190),
    "Perekaman KTP-el di SMA Katholik Kota Mojokerto": ("Alat rekam keliling", (), 85),
    "Perekaman KTP-el di SMK Taman Siswa Kota Mojokerto": ("Alat rekam keliling", (), 95),
    "Perekaman KTP-el di Sekolah demo 1": ("Alat rekam keliling", (), 160),
    "Perekaman KTP-el di Sekolah demo 2": ("Alat rekam keliling", (), 168),
    "Perekaman KTP-el di Sekolah demo 3": ("Alat rekam keliling", (), 140),
    "Perekaman kolektif di Kantor Kelurahan Surodinawan": (
        "Alat rekam MPP Gajah Mada",
        ("Agus (operator demo)",),
        None,
    ),
    "Perekaman kolektif di Kantor Kelurahan Kedundung": ("Alat rekam MPP Gajah Mada", (), None),
    "Perekaman kolektif di Kantor Kelurahan Meri": ("Alat rekam MPP Gajah Mada", (), None),
    "Perekaman di rumah warga yang tidak bisa datang": ("Alat rekam MPP Gajah Mada", (), None),
    "Layanan perekaman KTP-el di Kantor Kecamatan Mojosari": (
        "Alat rekam Kecamatan Mojosari",
        ("Sari (operator demo)",),
        None,
    ),
    "Layanan perekaman KTP-el di Kantor Kecamatan Gondang": (
        "Alat rekam Kecamatan Gondang",
        (),
        None,
    ),
    "Layanan perekaman KTP-el di Kantor Kecamatan Jetis": (
        "Alat rekam Kecamatan Jetis",
        ("Bambang (operator demo)",),
        None,
    ),
    "Perekaman KTP-el keliling di Balai Desa Trowulan": (
        "Alat rekam Dispendukcapil/MPP Sooko",
        (),
        None,
    ),
}


def now() -> datetime:
    return datetime.now(UTC)


async def load_kits_demo(today: date) -> None:
    async with write_transaction():
        offices = {r["slug"]: r["id"] for r in await Office.select(Office.slug, Office.id)}
        kits = await _kits(offices)
        operators = await _operators(offices)
        walk_ins = await _schools(offices["kota"], today)
        await _plans(kits, operators, walk_ins)


async def _kits(offices: dict[str, int]) -> dict[tuple[int, str], int]:
    """(office id, name) → kit id, making the demo kits that are missing."""
    for slug, rows in KITS.items():
        for name, serial, notes in rows:
            if not await RecordingKit.exists().where(
                RecordingKit.office == offices[slug], RecordingKit.name == name
            ):
                await RecordingKit(
                    office=offices[slug],
                    name=name,
                    serial=serial,
                    notes=notes,
                    created_at=now(),
                    updated_at=now(),
                ).save()
    saved = await RecordingKit.select(RecordingKit.id, RecordingKit.office, RecordingKit.name)
    return {(r["office"], r["name"]): r["id"] for r in saved}


async def _operators(offices: dict[str, int]) -> dict[tuple[int, str], int]:
    for slug, names in OPERATORS.items():
        for name in names:
            if not await KitOperator.exists().where(
                KitOperator.office == offices[slug], KitOperator.full_name == name
            ):
                await KitOperator(
                    office=offices[slug], full_name=name, created_at=now(), updated_at=now()
                ).save()
    saved = await KitOperator.select(KitOperator.id, KitOperator.office, KitOperator.full_name)
    return {(r["office"], r["full_name"]): r["id"] for r in saved}


async def _schools(kota: int, today: date) -> dict[str, int]:
    """The school sessions the seed lacks (not on the public schedule: demo names);
    returns the walk-ins of each by title."""
    known = {r["title"] for r in await OutreachSession.select(OutreachSession.title)}
    for title, place, in_days, (starts, ends), _ in SCHOOLS:
        if title in known:
            continue
        row = OutreachSession(
            office=kota,
            kind=SCHOOL,
            title=title,
            place=place,
            day=today + timedelta(days=in_days),
            starts=time(starts),
            ends=time(ends),
            audience=f"Siswa berusia 16 tahun 8 bulan ke atas. {TARGET_NOTE}",
            registration_via_rt=False,
            capacity=0,
            public=False,
            updated_at=now(),
        )
        await row.save()
        await OutreachArea(session=row.id, region_code="35.76").save()
    return {title: walk_ins for title, *_, walk_ins in SCHOOLS}


async def _plans(
    kits: dict[tuple[int, str], int],
    operators: dict[tuple[int, str], int],
    walk_ins: dict[str, int],
) -> None:
    for title, (kit_name, operator_names, target) in PLANS.items():
        session = await OutreachSession.select().where(OutreachSession.title == title).first()
        if session is None or await SessionPlan.exists().where(
            SessionPlan.session == session["id"]
        ):
            continue
        office = session["office"]
        slot = Slot(session["day"], session["starts"], session["ends"])
        kit = kits.get((office, kit_name))
        # The same rule as a save: a demo loaded on another day must not make a clash.
        if kit is not None and find_clash(slot, await bookings("kit", kit, slot.day)):
            kit = None
        await SessionPlan(
            session=session["id"],
            kit=kit,
            target_students=target,
            walk_in_recorded=walk_ins.get(title, 0),
            created_at=now(),
            updated_at=now(),
        ).save()
        for name in operator_names:
            operator = operators.get((office, name))
            if operator is not None and not find_clash(
                slot, await bookings("operator", operator, slot.day)
            ):
                await SessionOperator(session=session["id"], operator=operator).save()

"""Demo data for after recording (``portal demo-data``, development only, idempotent):

- blank-card stock for both offices: a delivery and the weeks of printing since, the Kota
  just under its reorder threshold so the dashboard warns, the Kabupaten well above it;
- targets for this year: the Kota's wajib KTP 103,272 and 25 % (S003); the Kabupaten's
  837,220, a 2014 newspaper figure, marked unverified; a few monthly office totals for the
  Kota, marked as example figures;
- recorded residents of two demo coordinators with a card in each state and some IKD.

Residents are recorded, printed and collected through the staff services (as a demo
officer), so the card states, the blanks they use and the audit lines are what the portal
itself would write. The stock history before today is written with ``move_stock`` too.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta

from portal.domain.actor import Actor
from portal.domain.scope import Scope, scope_for
from portal.domain.transactions import write_transaction
from portal.rules.ages import add_years
from portal.staff import after_recording, card_stock, triage
from portal.staff.after_recording import MoveInput
from portal.tables.accounts import User
from portal.tables.cards import CardStock
from portal.tables.regions import Office, Village
from portal.tables.residents import Resident, ResidentList
from portal.tables.targets import OfficeMonthTally, OfficeTarget

SYSTEM = Actor.system("portal demo-data")
EXAMPLE = "Data contoh (demo), bukan angka resmi"
LIST_TITLE = "Contoh pasca rekam (demo)"
# (office, blanks delivered, weeks ago, blanks printed at the counter each week since)
STOCK = (("kota", 4000, 12, 293), ("kabupaten", 1500, 6, 90))
TARGETS = {
    "kota": (
        103_272,
        "S003 (Surabaya Pagi, Januari 2023): wajib KTP 103.272, target IKD 25 %",
    ),
    "kabupaten": (
        837_220,
        "satujurnal.com, April 2014: wajib KTP 837.220. BELUM TERVERIFIKASI dan sudah lama; "
        "ganti dengan angka SIAK terbaru",
    ),
}
# name, years old, what becomes of the card, IKD activated
KOTA_PEOPLE = (
    ("Rina Wulandari", 17, "menunggu_cetak", False),
    ("Dimas Pratama", 16, "menunggu_cetak", True),  # under 17: waits to be printed
    ("Sari Puspita", 19, "dicetak", True),
    ("Yoga Saputra", 18, "dicetak", False),
    ("Lestari Handayani", 24, "diambil", True),
    ("Agus Salim", 31, "suket", False),
)
KAB_PEOPLE = (
    ("Fitri Nurhayati", 17, "dicetak", False),
    ("Bagus Wicaksono", 20, "diambil", True),
    ("Nanda Kurniawan", 18, "menunggu_cetak", False),
)
COORDINATORS = {"kota": "rt03.surodinawan", "kabupaten": "rw01.trowulan"}
OFFICERS = {"kota": "petugas.kota", "kabupaten": "petugas.kab"}


async def load_cards_demo(today: date) -> None:
    offices = {r["slug"]: r["id"] for r in await Office.select(Office.slug, Office.id)}
    await _stock(offices, today)
    await _targets(offices, today)
    for slug, people in (("kota", KOTA_PEOPLE), ("kabupaten", KAB_PEOPLE)):
        await _recorded(slug, people, today)


async def _stock(offices: dict[str, int], today: date) -> None:
    if await CardStock.exists().where(CardStock.office.is_in(list(offices.values()))):
        return
    for slug, delivered, weeks, weekly in STOCK:
        office_id = offices[slug]
        first = today - timedelta(weeks=weeks)
        async with write_transaction():
            await _move(office_id, "masuk", delivered, first, reference="B/470/DEMO (contoh)")
            for week in range(weeks):
                day = first + timedelta(weeks=week, days=6)
                if day < today:
                    await _move(office_id, "cetak", -weekly, day, note="Cetak di loket (contoh)")
            await _move(office_id, "rusak", -4, today - timedelta(days=3), note="Gagal cetak")


async def _move(
    office_id: int, kind: str, quantity: int, day: date, reference: str = "", note: str = EXAMPLE
) -> None:
    moment = datetime.combine(day, time(9, 0), tzinfo=UTC)
    await card_stock.move_stock(
        SYSTEM, office_id, kind, quantity, day=day, moment=moment, reference=reference, note=note
    )


async def _targets(offices: dict[str, int], today: date) -> None:
    if await OfficeTarget.exists().where(OfficeTarget.year == today.year):
        return
    moment = datetime.now(UTC)
    for slug, (wajib, source) in TARGETS.items():
        await OfficeTarget(
            office=offices[slug],
            year=today.year,
            wajib_ktp=wajib,
            ikd_percent=25,
            source=source,
            updated_at=moment,
        ).save()
    # The Kota's own totals for the last three months before this one.
    month = today.replace(day=1)
    for ikd, recordings in ((1_940, 612), (2_080, 655), (1_760, 540)):
        month = (month - timedelta(days=1)).replace(day=1)
        if month.year != today.year:
            break
        await OfficeMonthTally(
            office=offices["kota"],
            month=month,
            ikd_activations=ikd,
            recordings=recordings,
            source=EXAMPLE,
            updated_at=moment,
        ).save()


def _nik(region: str, born: date, serial: int) -> str:
    """A fictitious NIK that agrees with the birth date (female: day + 40)."""
    return f"{region}{born.day + 40:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"


async def _recorded(slug: str, people: tuple, today: date) -> None:
    if await ResidentList.exists().where(ResidentList.title == f"{LIST_TITLE} {slug}"):
        return
    coordinator = await User.objects().where(User.username == COORDINATORS[slug]).first()
    officer = await User.objects().where(User.username == OFFICERS[slug]).first()
    if coordinator is None or officer is None:
        return
    village = await Village.objects().where(Village.id == coordinator.scope_village).first()
    if village is None:
        return
    moment = datetime.now(UTC)
    lst = ResidentList(
        public_id=uuid.uuid4(),
        coordinator=coordinator.id,
        office=coordinator.office,
        village=village.id,
        rw=coordinator.scope_rw,
        rt=coordinator.scope_rt,
        title=f"{LIST_TITLE} {slug}",
        state="submitted",
        created_at=moment,
        updated_at=moment,
        submitted_at=moment,
    )
    await lst.save()
    region = village.code.replace(".", "")[:6]
    ids = {}
    for n, (name, age, _, _) in enumerate(people, start=1):
        born = add_years(today, -age) - timedelta(days=40)
        row = Resident(
            resident_list=lst.id,
            office=lst.office,
            kecamatan=village.kecamatan,
            village=village.id,
            full_name=name,
            name_key=name.lower(),
            nik=_nik(region, born, 9000 + n),
            birth_date=born,
            sex="P",
            address="Jl. Contoh Demo",
            rw=lst.rw or "01",
            rt=lst.rt or "01",
            category="pemula" if age < 18 else "dewasa",
            status="diverifikasi",
            created_at=moment,
            updated_at=moment,
            submitted_at=moment,
        )
        await row.save()
        ids[name] = row.id
    access = await scope_for(officer)
    place = "MPP Gajah Mada" if slug == "kota" else "Kantor Dispendukcapil Kabupaten Mojokerto"
    day = (today - timedelta(days=10)).isoformat()
    await triage.mark_recorded(access, [(i, 1) for i in ids.values()], day, place, today)
    await _cards(access, people, ids, today)


async def _cards(access: Scope, people: tuple, ids: dict[str, int], today: date) -> None:
    """Each card down its road: printed (one blank each), then collected; or a Suket."""
    roads = {
        "dicetak": ("dicetak",),
        "diambil": ("dicetak", "diambil"),
        "suket": ("suket",),
    }
    for name, _, end, ikd in people:
        steps = (*roads.get(end, ()), *(("ikd",) if ikd else ()))
        for version, action in enumerate(steps, start=1):
            form = MoveInput(tindakan=action, datang_sendiri=True)
            await after_recording.move(access, [(ids[name], version)], action, form, today)

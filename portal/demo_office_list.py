"""The office's verification lists ("sisir data") with people in them, written straight
into the register: the demo data of ``portal demo-data`` and the helper tests and bench
scripts use until the office import job fills ``office_person`` itself.

All people are fictitious: plausible Javanese names, addresses in the right kelurahan/desa,
and NIKs that ``portal.rules.nik`` accepts (region, birth date and sex agree).
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from portal.domain.actor import fk_id
from portal.rules.names import name_key
from portal.rules.office_rows import fingerprint
from portal.tables.accounts import User
from portal.tables.office_lists import OfficeImport, OfficeListVisit, OfficePerson
from portal.tables.regions import Kecamatan, Village

DEMO_FILENAME = "belum-rekam-demo.csv"

MEN = (
    "Slamet",
    "Budi Santoso",
    "Agus Setiawan",
    "Joko Susilo",
    "Bambang Hariyanto",
    "Sugeng",
    "Heru Prasetyo",
    "Wahyu Nugroho",
    "Eko Saputra",
    "Dwi Cahyono",
    "Rudi Hartono",
    "Hadi Suwarno",
    "Sutrisno",
    "Supriyadi",
    "Teguh Wibowo",
    "Yusuf Maulana",
    "Rizky Ramadhan",
    "Fajar Kurniawan",
    "Dimas Aditya",
    "Arif Hidayat",
    "Imam Syafii",
    "Muhammad Ilham",
    "Andi Firmansyah",
    "Suparman",
    "Kusnadi",
    "Gunawan",
)
WOMEN = (
    "Siti Aminah",
    "Sri Wahyuni",
    "Dewi Lestari",
    "Endang Susilowati",
    "Lilik Suryani",
    "Tutik Handayani",
    "Sulastri",
    "Suminah",
    "Wulan Sari",
    "Nur Aini",
    "Ayu Kusuma",
    "Rina Fitriani",
    "Puji Rahayu",
    "Yuli Astutik",
    "Indah Permatasari",
    "Nanik Sumarni",
    "Kartini",
    "Ernawati",
    "Siti Khotijah",
    "Dwi Anggraini",
    "Fitri Nurhayati",
    "Umi Kulsum",
)
STREETS = {
    "Surodinawan": ("Jl. Ketidur", "Jl. Surodinawan", "Gg. Mergelo", "Jl. Kenari"),
    "Wates": ("Jl. Wates Raya", "Jl. Empunala", "Perum Wates Indah Blok", "Gg. Melati"),
}
VILLAGE_STREETS = ("Dusun Krajan", "Dusun Kedungwulan", "Jl. Raya", "Dusun Sumberwaru")


@dataclass(frozen=True)
class Person:
    full_name: str
    nik: str | None
    birth_date: date | None
    sex: str | None
    address: str
    rw: str | None
    rt: str | None


def nik_for(kecamatan_code: str, birth: date, sex: str, serial: int) -> str:
    """A NIK of that kecamatan, birth date and sex (women: day + 40); ``serial`` 0–9998
    becomes 0001–9999."""
    day = birth.day + (40 if sex == "P" else 0)
    digits = kecamatan_code.replace(".", "")
    return f"{digits}{day:02d}{birth.month:02d}{birth.year % 100:02d}{serial % 9999 + 1:04d}"


def fake_people(
    count: int,
    *,
    kecamatan_code: str,
    village_name: str,
    rw: str | None,
    rts: tuple[str | None, ...],
    today: date,
    seed: int = 0,
) -> list[Person]:
    """``count`` people of one place, always the same for the same seed. Ages are those of
    people who never recorded: young people who just came of age, adults who work away,
    the elderly."""
    rng = random.Random(f"{seed}-{village_name}-{rw}")  # noqa: S311 (fictitious people)
    streets = STREETS.get(village_name, VILLAGE_STREETS)
    # Without repeats while the names last: two people of one name in an RT look like
    # one person listed twice.
    names = {"L": _shuffled(rng, MEN), "P": _shuffled(rng, WOMEN)}
    people = []
    for n in range(count):
        sex = "P" if n % 2 else "L"
        name = names[sex][(n // 2) % len(names[sex])]
        years = rng.choice((17, 17, 18, 19, 23, 27, 31, 36, 42, 48, 55, 63, 71, 78))
        birth = today - timedelta(days=round(years * 365.25) + rng.randint(1, 360))
        house = rng.randint(1, 60)
        street = rng.choice(streets)
        people.append(
            Person(
                full_name=name,
                nik=nik_for(kecamatan_code, birth, sex, seed * 100 + n),
                birth_date=birth,
                sex=sex,
                address=f"{street} No. {house}",
                rw=rw,
                rt=rts[n % len(rts)],
            )
        )
    return people


def _shuffled(rng: random.Random, names: tuple[str, ...]) -> list[str]:
    shuffled = list(names)
    rng.shuffle(shuffled)
    return shuffled


async def applied_import(
    office_id: int,
    *,
    by: int | None = None,
    data_as_of: date | None = None,
    filename: str = DEMO_FILENAME,
    applied_at: datetime | None = None,
) -> int:
    """An import that has gone all the way through (state ``applied``)."""
    moment = applied_at or datetime.now(UTC)
    row = OfficeImport(
        public_id=uuid.uuid4(),
        office=office_id,
        uploaded_by=by,
        filename=filename,
        source="csv",
        data_as_of=data_as_of,
        state="applied",
        created_at=moment - timedelta(minutes=5),
        parsed_at=moment - timedelta(minutes=4),
        confirmed_by=by,
        confirmed_at=moment - timedelta(minutes=1),
        applied_at=moment,
    )
    await row.save()
    return row.id


async def add_people(import_id: int, village_code: str, people: list[Person]) -> list[int]:
    """The people in the register of the import's office, listed by that import."""
    village = await Village.objects().where(Village.code == village_code).first()
    assert village is not None, village_code
    kecamatan = await Kecamatan.objects().where(Kecamatan.id == village.kecamatan).first()
    assert kecamatan is not None
    office_id = fk_id(kecamatan.office)
    moment = datetime.now(UTC)
    rows = []
    for p in people:
        # The fields the re-import diff compares, stored as the import job stores them.
        compared: dict[str, Any] = {
            "name_key": name_key(p.full_name),
            "birth_date": p.birth_date,
            "sex": p.sex,
            "address": p.address,
            "rw": p.rw,
            "rt": p.rt,
        }
        rows.append(
            OfficePerson(
                office=office_id,
                kecamatan=kecamatan.id,
                village=village.id,
                nik=p.nik,
                full_name=p.full_name,
                **compared,
                fingerprint=fingerprint({**compared, "village_id": village.id}),
                first_import=import_id,
                last_import=import_id,
                created_at=moment,
                updated_at=moment,
            )
        )
    made = await OfficePerson.insert(*rows).returning(OfficePerson.id)
    await OfficeImport.update(
        {
            OfficeImport.total_rows: OfficeImport.total_rows + len(rows),
            OfficeImport.read_rows: OfficeImport.read_rows + len(rows),
            OfficeImport.applied_rows: OfficeImport.applied_rows + len(rows),
            OfficeImport.new_count: OfficeImport.new_count + len(rows),
        }
    ).where(OfficeImport.id == import_id)
    return [row["id"] for row in made]


async def mark_as_found(
    person_id: int,
    outcome: str,
    by: int,
    *,
    detail: str = "",
    note: str = "",
    at: datetime | None = None,
    handled_by: int | None = None,
) -> None:
    """What a coordinator found, as the demo shows it already reported (no audit line:
    nobody did it)."""
    moment = at or datetime.now(UTC)
    await OfficePerson.update(
        {
            OfficePerson.outcome: outcome,
            OfficePerson.outcome_detail: detail,
            OfficePerson.outcome_note: note,
            OfficePerson.outcome_by: by,
            OfficePerson.outcome_at: moment,
            OfficePerson.handled_at: moment + timedelta(days=1) if handled_by else None,
            OfficePerson.handled_by: handled_by,
            OfficePerson.version: OfficePerson.version + 1,
        }
    ).where(OfficePerson.id == person_id)


# ---------------------------------------------------------------- the demo


@dataclass(frozen=True)
class DemoArea:
    coordinator: str  # the demo account whose area it is ("" = nobody's)
    village_code: str | None  # None: the coordinator's own village
    rw: str | None
    rts: tuple[str | None, ...]
    count: int
    marks: tuple[tuple[str, str], ...] = ()  # (outcome, detail) of the first people
    opened: bool = False


KOTA_AREAS = (
    DemoArea(
        "rt03.surodinawan",
        None,
        "02",
        ("03",),
        24,
        marks=(
            ("pindah", "Ke Surabaya, ikut anaknya"),
            ("meninggal", ""),
            ("rumah_kosong", ""),
            ("sudah_rekam", "Rekam di MPP Gajah Mada, Juli 2025"),
            ("pindah", "Kerja di Batam"),
        ),
        opened=True,
    ),
    # The next RT of the same RW: nobody covers it (coverage: "tanpa koordinator"), and the
    # RT 03 head never sees them.
    DemoArea("", "35.76.01.1007", "02", ("04",), 8),
    # A PKK cadre covers the whole kelurahan: two RWs of it here.
    DemoArea(
        "pkk.wates",
        None,
        "01",
        ("01", "02", "03"),
        16,
        marks=(("tidak_dikenal", ""), ("pindah", "Pindah ke Sidoarjo")),
        opened=True,
    ),
    DemoArea("pkk.wates", None, "02", ("01", "02"), 14, marks=(("sudah_rekam", ""),)),
)
KABUPATEN_AREAS = (
    DemoArea("rw01.trowulan", None, "01", ("01", "02", "03", "04"), 20),
    DemoArea("rt05.mojosari", None, "02", ("05",), 12),
)


async def load(today: date | None = None) -> None:
    """One applied import per office for the demo coordinators' areas (idempotent)."""
    day = today or date.today()
    await _office("petugas.kota", KOTA_AREAS, day)
    await _office("petugas.kab", KABUPATEN_AREAS, day)


async def _office(staff_name: str, areas: tuple[DemoArea, ...], day: date) -> None:
    officer = await User.objects().where(User.username == staff_name).first()
    if officer is None:
        return
    office_id = fk_id(officer.office)
    assert office_id is not None
    done = await OfficeImport.exists().where(
        OfficeImport.office == office_id, OfficeImport.filename == DEMO_FILENAME
    )
    if done:
        return
    import_id = await applied_import(
        office_id,
        by=officer.id,
        data_as_of=day - timedelta(days=10),
        applied_at=datetime.now(UTC) - timedelta(days=7),
    )
    listed = 0
    for n, area in enumerate(areas):
        listed += await _area(import_id, area, n, officer.id, day)
    # The counts an import applied through the job would carry, so the office's list of
    # past imports (staff:office-imports) shows what this one brought in.
    await OfficeImport.update(
        {
            OfficeImport.total_rows: listed,
            OfficeImport.read_rows: listed,
            OfficeImport.applied_rows: listed,
            OfficeImport.new_count: listed,
        }
    ).where(OfficeImport.id == import_id)


async def _area(import_id: int, area: DemoArea, n: int, officer: int, day: date) -> int:
    """The area's people; returns how many were added."""
    coordinator = None
    if area.coordinator:
        coordinator = await User.objects().where(User.username == area.coordinator).first()
    village_id = coordinator.scope_village if coordinator else None
    query = Village.select(Village.code, Village.name, Village.kecamatan.code.as_alias("kec"))
    village = await (
        query.where(Village.id == fk_id(village_id))
        if village_id
        else query.where(Village.code == area.village_code)
    ).first()
    assert village is not None, area
    people = fake_people(
        area.count,
        kecamatan_code=village["kec"],
        village_name=village["name"],
        rw=area.rw,
        rts=area.rts,
        today=day,
        seed=n + 1,
    )
    ids = await add_people(import_id, village["code"], people)
    if coordinator is None:
        return len(ids)
    for i, (outcome, detail) in enumerate(area.marks):
        when = datetime.now(UTC) - timedelta(days=5 - i % 5, hours=i)
        handled = officer if i == 0 else None  # staff took the first report in already
        await mark_as_found(
            ids[i], outcome, coordinator.id, detail=detail, at=when, handled_by=handled
        )
    if area.opened:
        moment = datetime.now(UTC) - timedelta(days=5)
        await OfficeListVisit(
            coordinator=coordinator.id,
            office_import=import_id,
            first_at=moment,
            last_at=moment + timedelta(days=1),
            views=3,
        ).save()
    return len(ids)

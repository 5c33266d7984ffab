"""The office's list in tests: an applied import and its people written straight into the
register (portal.demo_office_list), until the import job fills it through its own steps."""

from __future__ import annotations

import itertools
from datetime import date

from portal import demo_office_list as demo
from portal.clock import today_local
from portal.tables.office_lists import OfficePerson
from portal.tables.regions import Office

SURODINAWAN = "35.76.01.1007"  # Kel. Surodinawan, Kec. Prajuritkulon (Kota)
WATES = "35.76.02.1010"  # Kel. Wates, Kec. Magersari (Kota)
TAWANGREJO = "35.16.01.2001"  # Desa Tawangrejo, Kec. Jatirejo (Kabupaten)
_seeds = itertools.count(11)


async def office_import(office_slug: str = "kota") -> int:
    office = await Office.objects().where(Office.slug == office_slug).first()
    return await demo.applied_import(office.id, data_as_of=date(2026, 11, 1), filename="uji.csv")


async def people_in(
    import_id: int,
    village_code: str = SURODINAWAN,
    rw: str | None = "02",
    rt: str | None = "03",
    count: int = 3,
) -> list[int]:
    """``count`` fictitious people of one RT; ids in the order made. Each call draws
    other people (another seed), so NIKs never repeat within a test."""
    people = demo.fake_people(
        count,
        kecamatan_code=village_code.rsplit(".", 1)[0],
        village_name=village_code,
        rw=rw,
        rts=(rt,),
        today=today_local(),
        seed=next(_seeds),
    )
    return await demo.add_people(import_id, village_code, people)


async def person(person_id: int) -> dict:
    return await OfficePerson.select().where(OfficePerson.id == person_id).first()


async def picks(*person_ids: int) -> list[str]:
    """The checkbox values of these people as the list page shows them now."""
    rows = await OfficePerson.select(OfficePerson.id, OfficePerson.version).where(
        OfficePerson.id.is_in(list(person_ids))
    )
    versions = {r["id"]: r["version"] for r in rows}
    return [f"{i}.{versions[i]}" for i in person_ids]


def someone(
    full_name: str,
    birth: date,
    sex: str,
    *,
    serial: int,
    village_code: str = SURODINAWAN,
    address: str = "Jl. Ketidur No. 7",
    rw: str | None = "02",
    rt: str | None = "03",
) -> demo.Person:
    """One person as the office lists them, with a NIK that agrees with them."""
    nik = demo.nik_for(village_code.rsplit(".", 1)[0], birth, sex, serial)
    return demo.Person(full_name, nik, birth, sex, address, rw, rt)

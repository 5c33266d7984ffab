"""Factories for staff-area tests: accounts, submitted lists, residents and sessions, written
straight into the tables (the coordinator forms have tests of their own)."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, date, datetime, time, timedelta

from portal.clock import today_local
from portal.domain.rtrw import parse_rt_rw
from portal.domain.scope import Scope, scope_for
from portal.tables.accounts import User
from portal.tables.outreach import OutreachArea, OutreachSession
from portal.tables.regions import Kecamatan, Office, Village
from portal.tables.residents import Resident, ResidentList

KOTA_VILLAGE = "35.76.01.1007"  # Surodinawan, Kec. Prajurit Kulon
KOTA_OTHER_VILLAGE = "35.76.02.1010"  # Wates, Kec. Magersari
KAB_VILLAGE = "35.16.01.2001"  # Tawangrejo, Kec. Jatirejo

_counter = itertools.count(1)


def now() -> datetime:
    return datetime.now(UTC)


async def office(slug: str) -> Office:
    return await Office.objects().where(Office.slug == slug).first()


async def village(code: str) -> Village:
    return await Village.objects().where(Village.code == code).first()


async def make_user(role: str, office_slug: str | None, username: str | None = None, **extra):
    n = next(_counter)
    office_row = await office(office_slug) if office_slug else None
    user = User(
        username=username or f"{role}.{n}",
        full_name=extra.pop("full_name", f"{role.capitalize()} {n}"),
        role=role,
        office=office_row.id if office_row else None,
        created_at=now(),
        **extra,
    )
    await user.save()
    return user


async def staff(office_slug: str = "kota", **extra) -> User:
    return await make_user("staff", office_slug, **extra)


async def admin(**extra) -> User:
    return await make_user("admin", None, **extra)


async def coordinator(office_slug: str = "kota", village_code: str = KOTA_VILLAGE, **extra):
    v = await village(village_code)
    return await make_user(
        "coordinator",
        office_slug,
        scope_kecamatan=v.kecamatan,
        scope_village=v.id,
        **extra,
    )


async def submitted_list(
    coord: User, village_code: str | None = None, submitted_at: datetime | None = None
) -> ResidentList:
    v = await village(village_code or KOTA_VILLAGE)
    moment = submitted_at or now()
    lst = ResidentList(
        public_id=uuid.uuid4(),
        coordinator=coord.id,
        office=coord.office,
        village=v.id,
        title=f"Daftar {next(_counter)}",
        state="submitted",
        created_at=moment,
        updated_at=moment,
        submitted_at=moment,
    )
    await lst.save()
    return lst


async def resident(lst: ResidentList, **fields) -> Resident:
    v = await Village.objects().where(Village.id == lst.village).first()
    n = next(_counter)
    name = fields.pop("full_name", f"Warga Uji {n}")
    moment = fields.pop("submitted_at", lst.submitted_at or now())
    row = Resident(
        resident_list=lst.id,
        office=lst.office,
        kecamatan=v.kecamatan,
        village=v.id,
        full_name=name,
        name_key=" ".join(name.lower().split()),
        nik=fields.pop("nik", f"3576{n:012d}"),
        birth_date=fields.pop("birth_date", date(2008, 1, 1)),
        sex=fields.pop("sex", "P"),
        address=fields.pop("address", "Jl. Contoh 1"),
        # Stored as the app stores them: the one canonical form ("2" → "02").
        rw=parse_rt_rw(fields.pop("rw", "02")),
        rt=parse_rt_rw(fields.pop("rt", "03")),
        category=fields.pop("category", "pemula"),
        status=fields.pop("status", "diterima"),
        created_at=moment,
        updated_at=moment,
        submitted_at=moment,
        **fields,
    )
    await row.save()
    return row


async def residents(lst: ResidentList, count: int, **fields) -> list[Resident]:
    return [await resident(lst, **fields) for _ in range(count)]


async def session(
    office_slug: str = "kota",
    *,
    day: date | None = None,
    capacity: int = 0,
    areas: tuple[str, ...] = ("35.76.01",),
    public: bool = True,
    title: str | None = None,
    kind: str = "kelurahan",
) -> OutreachSession:
    office_row = await office(office_slug)
    row = OutreachSession(
        office=office_row.id,
        kind=kind,
        title=title or f"Sesi uji {next(_counter)}",
        place="Balai Kelurahan Surodinawan",
        day=day or (today_local() + timedelta(days=7)),
        starts=time(8, 0),
        ends=time(12, 0),
        capacity=capacity,
        public=public,
        updated_at=now(),
    )
    await row.save()
    if areas:
        await OutreachArea.insert(*[OutreachArea(session=row.id, region_code=c) for c in areas])
    return row


async def fresh(model_row) -> dict:
    """The current row as a dict (after the app changed it)."""
    table = type(model_row)
    return await table.select().where(table.id == model_row.id).first()


async def kecamatan_of(village_code: str) -> Kecamatan:
    v = await village(village_code)
    return await Kecamatan.objects().where(Kecamatan.id == v.kecamatan).first()


async def fresh_row(table, row_id: int) -> dict:
    return await table.select().where(table.id == row_id).first()


async def scope_of(user: User) -> Scope:
    """What ``user`` may see and do, as services receive it."""
    return await scope_for(user)


async def schedule(user: User, people: list, session_id: int):
    """``user`` schedules ``people`` (as they were saved) into a session, as the queue does."""
    from portal.staff.scheduling import schedule as put_in

    items = [(p.id, p.version) for p in people]
    return await put_in(await scope_of(user), items, session_id, today_local())

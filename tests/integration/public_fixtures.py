"""Helpers for the public-page integration tests: sessions, residents, a clean page cache."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta

import pytest

from portal.clock import today_local
from portal.public.cache import PAGE_CACHE
from portal.tables.accounts import User
from portal.tables.outreach import OutreachArea, OutreachSession
from portal.tables.regions import Office, Village
from portal.tables.residents import Resident, ResidentList


@pytest.fixture(autouse=True)
def fresh_page_cache():
    """Every test starts with an empty cache that re-reads the revision on each request."""
    PAGE_CACHE.clear()
    interval = PAGE_CACHE.check_interval
    PAGE_CACHE.check_interval = 0
    yield PAGE_CACHE
    PAGE_CACHE.check_interval = interval
    PAGE_CACHE.clear()


async def office_id(slug: str) -> int:
    return (await Office.select(Office.id).where(Office.slug == slug).first())["id"]


async def add_session(
    title: str,
    *,
    office: str = "kota",
    in_days: int = 3,
    serves: tuple[str, ...] = ("35.76",),
    public: bool = True,
    cancelled: bool = False,
    registration_via_rt: bool = False,
    starts: time = time(8),
    ends: time = time(12),
) -> OutreachSession:
    session = OutreachSession(
        office=await office_id(office),
        kind="kelurahan",
        title=title,
        place=f"Balai {title}",
        address="Jl. Contoh No. 1",
        day=today_local() + timedelta(days=in_days),
        starts=starts,
        ends=ends,
        audience="Warga berusia 16 tahun ke atas",
        registration_via_rt=registration_via_rt,
        capacity=80,
        public=public,
        cancelled=cancelled,
        updated_at=datetime(2026, 11, 20, 3, 0, tzinfo=UTC),
    )
    await session.save()
    await OutreachArea.insert(*[OutreachArea(session=session.id, region_code=c) for c in serves])
    return session


async def add_user(username: str = "koordinator.uji", office: str = "kota") -> User:
    user = User(
        username=username,
        full_name="Koordinator Uji",
        role="coordinator",
        office=await office_id(office),
        created_at=datetime.now(UTC),
    )
    await user.save()
    return user


async def add_residents(
    village_code: str, statuses: list[str], *, state: str = "submitted", names: str = "Warga"
) -> ResidentList:
    village = await Village.objects(Village.kecamatan).where(Village.code == village_code).first()
    coordinator = await User.objects().first() or await add_user()
    now = datetime.now(UTC)
    resident_list = ResidentList(
        public_id=uuid.uuid4(),
        coordinator=coordinator.id,
        office=village.kecamatan.office,
        village=village.id,
        state=state,
        created_at=now,
        updated_at=now,
        submitted_at=now if state == "submitted" else None,
    )
    await resident_list.save()
    await Resident.insert(
        *[
            Resident(
                resident_list=resident_list.id,
                office=village.kecamatan.office,
                kecamatan=village.kecamatan.id,
                village=village.id,
                full_name=f"{names} {i}",
                name_key=f"{names.lower()} {i}",
                nik=f"357601010{i:07d}",
                birth_date=date(2009, 1, 1),
                status=status,
                created_at=now,
                updated_at=now,
            )
            for i, status in enumerate(statuses)
        ]
    )
    return resident_list

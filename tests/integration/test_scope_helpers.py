"""portal.domain.scope on real rows: the one access rule every area builds its queries on
(moved here from the helpers of portal.auth.scope, with the same meaning)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from portal.domain.errors import Forbidden, NotFound
from portal.domain.scope import scope_for
from portal.tables.residents import ResidentList
from tests.integration.accounts_fixtures import kabupaten_village, make_user, village


async def _list(coordinator, village_row, office_id):
    row = ResidentList(
        public_id=uuid.uuid4(),
        coordinator=coordinator.id,
        office=office_id,
        village=village_row.id,
        created_at=datetime.now(UTC),
        updated_at=datetime.now(UTC),
    )
    await row.save()
    return row


def _can_see(access, row) -> None:
    access.check_can_see(owner_id=row.coordinator, office_id=row.office)


async def test_lists_are_visible_to_their_coordinator_their_office_and_admin(db):
    surodinawan = await village()
    trowulan = await kabupaten_village()
    owner_user = await make_user("rt.pemilik", rw="02", rt="03")
    owner = await scope_for(owner_user)
    neighbour = await scope_for(await make_user("rt.tetangga", rw="02", rt="04"))
    kota_staff = await scope_for(await make_user("petugas.kota", "staff"))
    kab_staff = await scope_for(await make_user("petugas.kab", "staff", office="kabupaten"))
    admin = await scope_for(await make_user("admin.satu", "admin"))
    kab_coord = await make_user("rt.kab", office="kabupaten", village_row=trowulan)
    mine = await _list(owner_user, surodinawan, owner_user.office)
    theirs = await _list(kab_coord, trowulan, kab_coord.office)

    _can_see(owner, mine)
    _can_see(kota_staff, mine)
    _can_see(admin, theirs)
    owner.check_can_see(owner_id={"id": owner_user.id}, office_id=owner_user.office)
    for access, row in (
        (neighbour, mine),
        (kab_staff, mine),
        (kota_staff, theirs),
        (owner, theirs),
    ):
        with pytest.raises(NotFound):
            _can_see(access, row)

    # Queries: a coordinator's where-clause finds only their own lists, staff only their
    # office's, admin every office's.
    own = await ResidentList.select(ResidentList.id).where(
        neighbour.owner_where(ResidentList.coordinator)
    )
    assert own == []
    kota = await ResidentList.select(ResidentList.id).where(
        kota_staff.office_where(ResidentList.office)
    )
    assert [r["id"] for r in kota] == [mine.id]
    every = await ResidentList.select(ResidentList.id).where(
        admin.office_where(ResidentList.office)
    )
    assert len(every) == 2
    # Staff-wide data is never handed to a coordinator, nor a coordinator's to staff.
    with pytest.raises(Forbidden):
        owner.require_staff()
    with pytest.raises(Forbidden):
        kota_staff.owner_where(ResidentList.coordinator)


async def test_coordinators_act_only_inside_their_area(db):
    surodinawan = await village()
    wates = await village("35.76.02.1010")
    ketua_rt = await scope_for(await make_user("rt.tiga", rw="02", rt="03"))
    ketua_rw = await scope_for(await make_user("rw.dua", rw="02"))
    kader = await scope_for(await make_user("pkk.kader"))
    assert ketua_rt.area is not None and ketua_rt.area.village_id == surodinawan.id
    assert ketua_rt.area_holds({"id": surodinawan.id}, "02", "03")
    assert not ketua_rt.area_holds(wates.id, "02", "03")
    assert ketua_rt.area_holds(surodinawan.id, "2", "003")
    assert not ketua_rt.area_holds(surodinawan.id, "02", "04")
    assert ketua_rw.area_holds(surodinawan.id, "02", "09")
    assert not ketua_rw.area_holds(surodinawan.id, "05", "01")
    assert kader.area_holds(surodinawan.id, "07", "01")
    staff = await scope_for(await make_user("petugas.kota", "staff"))
    assert not staff.area_holds(surodinawan.id)


async def test_staff_office_checks(db):
    kota_staff = await make_user("petugas.kota", "staff")
    kab_staff = await make_user("petugas.kab", "staff", office="kabupaten")
    admin = await make_user("admin.satu", "admin")
    coordinator = await make_user("rt.satu")
    kota, every = await scope_for(kota_staff), await scope_for(admin)
    assert kota.allowed_ids == [kota_staff.office]
    assert set(every.allowed_ids) == {kota_staff.office, kab_staff.office}
    with pytest.raises(Forbidden):
        (await scope_for(coordinator)).require_staff()
    kota.check_office(kota_staff.office)
    every.check_office(kab_staff.office)
    for office in (kab_staff.office, None):
        with pytest.raises(NotFound):
            kota.check_office(office)
    with pytest.raises(NotFound):
        (await scope_for(coordinator)).check_can_see(office_id=coordinator.office)

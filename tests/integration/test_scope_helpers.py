"""portal.auth.scope on real rows: the helpers other areas build their queries on."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from litestar.exceptions import NotFoundException, PermissionDeniedException

from portal.auth.scope import (
    assert_can_see_list,
    assert_same_office,
    coordinator_can_use_area,
    coordinator_can_use_village,
    coordinator_where,
    office_where,
    staff_office_id,
)
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


async def test_lists_are_visible_to_their_coordinator_their_office_and_admin(db):
    surodinawan = await village()
    trowulan = await kabupaten_village()
    owner = await make_user("rt.pemilik", rw="02", rt="03")
    neighbour = await make_user("rt.tetangga", rw="02", rt="04")
    kota_staff = await make_user("petugas.kota", "staff")
    kab_staff = await make_user("petugas.kab", "staff", office="kabupaten")
    admin = await make_user("admin.satu", "admin")
    kab_coord = await make_user("rt.kab", office="kabupaten", village_row=trowulan)
    mine = await _list(owner, surodinawan, owner.office)
    theirs = await _list(kab_coord, trowulan, kab_coord.office)

    assert_can_see_list(owner, mine)
    assert_can_see_list(kota_staff, mine)
    assert_can_see_list(admin, theirs)
    assert_can_see_list(owner, {"coordinator": owner.id, "office": owner.office})
    for user, row in ((neighbour, mine), (kab_staff, mine), (kota_staff, theirs), (owner, theirs)):
        with pytest.raises(NotFoundException):
            assert_can_see_list(user, row)

    # Queries: a coordinator's where-clause finds only their own lists, staff only their
    # office's, admin every office's.
    own = await ResidentList.select(ResidentList.id).where(
        coordinator_where(neighbour, ResidentList.coordinator)
    )
    assert own == []
    kota = await ResidentList.select(ResidentList.id).where(
        office_where(kota_staff, ResidentList.office)
    )
    assert [r["id"] for r in kota] == [mine.id]
    every = await ResidentList.select(ResidentList.id).where(
        office_where(admin, ResidentList.office)
    )
    assert len(every) == 2
    with pytest.raises(PermissionDeniedException):
        office_where(owner, ResidentList.office)
    with pytest.raises(PermissionDeniedException):
        coordinator_where(kota_staff, ResidentList.coordinator)


async def test_coordinators_act_only_inside_their_area(db):
    surodinawan = await village()
    wates = await village("35.76.02.1010")
    ketua_rt = await make_user("rt.tiga", rw="02", rt="03")
    ketua_rw = await make_user("rw.dua", rw="02")
    kader = await make_user("pkk.kader")
    assert coordinator_can_use_village(ketua_rt, surodinawan)
    assert coordinator_can_use_village(ketua_rt, {"id": surodinawan.id})
    assert not coordinator_can_use_village(ketua_rt, wates)
    assert coordinator_can_use_area(ketua_rt, surodinawan, "2", "003")
    assert not coordinator_can_use_area(ketua_rt, surodinawan, "02", "04")
    assert coordinator_can_use_area(ketua_rw, surodinawan, "02", "09")
    assert not coordinator_can_use_area(ketua_rw, surodinawan, "05", "01")
    assert coordinator_can_use_area(kader, surodinawan, "07", "01")
    staff = await make_user("petugas.kota", "staff")
    assert not coordinator_can_use_village(staff, surodinawan)


async def test_staff_office_checks(db):
    kota_staff = await make_user("petugas.kota", "staff")
    kab_staff = await make_user("petugas.kab", "staff", office="kabupaten")
    admin = await make_user("admin.satu", "admin")
    coordinator = await make_user("rt.satu")
    assert staff_office_id(kota_staff) == kota_staff.office
    assert staff_office_id(admin) is None
    with pytest.raises(PermissionDeniedException):
        staff_office_id(coordinator)
    assert_same_office(kota_staff, kota_staff.office)
    assert_same_office(admin, kab_staff.office)
    for office in (kab_staff.office, None):
        with pytest.raises(NotFoundException):
            assert_same_office(kota_staff, office)
    with pytest.raises(NotFoundException):
        assert_same_office(coordinator, coordinator.office)

"""`portal purge` minimises old closed cases and keeps counts and the audit trail;
`portal audit-nik` answers who saw a resident's NIK. Runs on both engines."""

from __future__ import annotations

import subprocess
import sys
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from portal.domain import audit
from portal.domain.audit import nik_access_detail
from portal.ops.privacy import PURGED_NAME, nik_access_log, purge_residents
from portal.tables.accounts import AuditEntry, User
from portal.tables.regions import Office, Village
from portal.tables.residents import Resident, ResidentEvent, ResidentList, ResidentNote


def cli(*args: str) -> subprocess.CompletedProcess:
    """The real command, in a process of its own, on this run's test database."""
    return subprocess.run(
        [sys.executable, "-m", "portal.cli", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
OLD = NOW - timedelta(days=400)


@pytest.fixture
async def place(db):
    village = await Village.objects(Village.kecamatan).first()
    office = await Office.objects().where(Office.id == village.kecamatan.office).first()
    user = User(username="rt.purge", full_name="Ketua RT", role="coordinator", office=office.id)
    await user.save()
    lst = ResidentList(
        public_id=uuid.uuid4(),
        coordinator=user.id,
        office=office.id,
        village=village.id,
        state="submitted",
        created_at=OLD,
        updated_at=OLD,
    )
    await lst.save()
    return {"list": lst, "village": village, "user": user}


async def make_resident(place, name: str, status: str, updated_at: datetime, **extra) -> Resident:
    village = place["village"]
    resident = Resident(
        resident_list=place["list"].id,
        office=place["list"].office,
        kecamatan=village.kecamatan.id,
        village=village.id,
        full_name=name,
        name_key=name.lower(),
        nik="3576014101060001",
        birth_date=date(2006, 1, 1),
        sex="P",
        address="Jl. Mawar 3",
        rw="001",
        rt="003",
        phone="+6281234567890",
        category="pemula",
        note="rumah dekat masjid",
        status=status,
        status_reason="sudah rekam di MPP",
        married=True,
        warnings='[{"code": "nik", "message": "tanggal lahir 01-01-2006"}]',
        created_at=updated_at,
        updated_at=updated_at,
        **extra,
    )
    await resident.save()
    return resident


async def test_purge_minimises_old_closed_cases_only(place):
    old_recorded = await make_resident(place, "Siti Aminah", "sudah_rekam", OLD)
    old_rejected = await make_resident(place, "Budi Santoso", "ditolak", OLD)
    old_but_open = await make_resident(place, "Ani Lestari", "dijadwalkan", OLD)
    recent_recorded = await make_resident(place, "Dewi Sartika", "sudah_rekam", NOW)
    # Old row, but its latest event is recent: the case was touched lately.
    reopened = await make_resident(place, "Eko Prasetyo", "duplikat", OLD)
    await ResidentEvent(resident=reopened.id, at=NOW - timedelta(days=3), action="status").save()
    await ResidentEvent(
        resident=old_recorded.id, at=OLD, action="status", reason="dijemput di rumah"
    ).save()
    await ResidentNote(resident=old_recorded.id, at=OLD, body="ibunya: Sumiati").save()
    await audit.record(
        None, "resident.view", actor_name="petugas", object_type="resident", object_id=1
    )
    audit_before = await AuditEntry.count()
    counts_before = await Resident.count()

    report = await purge_residents(180, now=NOW)

    assert sorted(report.resident_ids) == sorted([old_recorded.id, old_rejected.id])
    for resident_id in (old_recorded.id, old_rejected.id):
        row = await Resident.select().where(Resident.id == resident_id).first()
        assert row["full_name"] == PURGED_NAME and row["name_key"] == PURGED_NAME
        assert row["nik"] is None and row["phone"] is None and row["birth_date"] is None
        assert row["address"] == "" and row["note"] == "" and row["status_reason"] == ""
        assert row["warnings"] in ("[]", [])
        assert not row["married"]  # a minor's marriage is as personal as it gets
        assert row["purged_at"] is not None and row["version"] == 2
        # What the progress figures count stays.
        assert row["status"] in ("sudah_rekam", "ditolak")
        assert (row["category"], row["sex"], row["rw"], row["rt"]) == ("pemula", "P", "001", "003")
    note = await ResidentNote.select().where(ResidentNote.resident == old_recorded.id).first()
    assert note["body"] == PURGED_NAME
    event = await ResidentEvent.select().where(ResidentEvent.resident == old_recorded.id).first()
    assert event["reason"] == "" and event["action"] == "status"
    for kept in (old_but_open, recent_recorded, reopened):
        row = await Resident.select().where(Resident.id == kept.id).first()
        assert row["nik"] == "3576014101060001" and row["purged_at"] is None
    assert await Resident.count() == counts_before
    # The audit trail is kept, and the purge itself is recorded (without personal data).
    assert await AuditEntry.count() == audit_before + 1
    entry = await AuditEntry.select().where(AuditEntry.action == "resident.purge").first()
    assert "Siti" not in str(entry["detail"]) and "2" in str(entry["detail"])
    assert (entry["actor"], entry["actor_name"], entry["role"]) == (None, "portal purge", "")

    again = await purge_residents(180, now=NOW)
    assert again.purged == 0  # idempotent: safe to run every day


async def test_a_purge_whose_audit_line_fails_changes_nothing(place, monkeypatch):
    resident = await make_resident(place, "Siti Aminah", "sudah_rekam", OLD)
    await ResidentNote(resident=resident.id, at=OLD, body="ibunya: Sumiati").save()
    audit_before = await AuditEntry.count()

    async def broken(*args, **kwargs):
        await AuditEntry(action="half", actor_name="x", object_type="", object_id="").save()
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(RuntimeError, match="audit log unavailable"):
        await purge_residents(180, now=NOW)

    row = await Resident.select().where(Resident.id == resident.id).first()
    assert row["full_name"] == "Siti Aminah" and row["nik"] == "3576014101060001"
    assert row["purged_at"] is None and row["version"] == 1
    note = await ResidentNote.select().where(ResidentNote.resident == resident.id).first()
    assert note["body"] == "ibunya: Sumiati"
    assert await AuditEntry.count() == audit_before
    monkeypatch.undo()
    assert (await purge_residents(180, now=NOW)).purged == 1  # tomorrow's run does it


async def test_purge_dry_run_changes_nothing(place):
    await make_resident(place, "Siti Aminah", "sudah_rekam", OLD)
    report = await purge_residents(180, now=NOW, dry_run=True)
    assert report.purged == 1
    assert await Resident.count().where(Resident.purged_at.is_null()) == 1


async def test_purge_command(place):
    await make_resident(place, "Siti Aminah", "sudah_rekam", OLD)
    dry = cli("purge", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "1 resident(s)" in dry.stdout and "would be minimised" in dry.stdout
    done = cli("purge")
    assert done.returncode == 0 and "1 resident(s)" in done.stdout
    assert await Resident.count().where(Resident.nik.is_null()) == 1


async def test_who_saw_this_nik_in_one_query(place):
    target = await make_resident(place, "Siti Aminah", "diterima", NOW)
    other = await make_resident(place, "Budi Santoso", "diterima", NOW)
    await audit.record(
        None,
        "resident.nik_view",
        actor_name="petugas.kota",
        object_type="resident",
        object_id=target.id,
        detail=nik_access_detail([target.id]),
    )
    await audit.record(
        None,
        "roster.export",
        actor_name="petugas.kab",
        object_type="outreach_session",
        object_id=7,
        detail=nik_access_detail([other.id, target.id], rows=2),
    )
    # Not disclosures: a masked view, another resident's NIK, an id that merely contains
    # the target's digits.
    await audit.record(
        None, "resident.view", actor_name="x", object_type="resident", object_id=target.id
    )
    await audit.record(
        None,
        "resident.nik_view",
        actor_name="y",
        object_type="resident",
        object_id=other.id,
        detail=nik_access_detail([other.id]),
    )
    await audit.record(
        None,
        "roster.export",
        actor_name="z",
        object_type="outreach_session",
        object_id=8,
        detail=nik_access_detail([int(f"{target.id}0")]),
    )

    # The staff "show NIK" button: known by its action name.
    await audit.record(
        None, "nik_viewed", actor_name="admin", object_type="resident", object_id=target.id
    )

    rows = await nik_access_log(target.id)
    assert [(r["actor_name"], r["action"]) for r in rows] == [
        ("petugas.kota", "resident.nik_view"),
        ("petugas.kab", "roster.export"),
        ("admin", "nik_viewed"),
    ]

    output = cli("audit-nik", "--resident", str(target.id)).stdout
    assert "petugas.kota" in output and "roster.export" in output and "\tx\t" not in output
    none = cli("audit-nik", "--resident", "999999").stdout
    assert "No recorded view or export" in none

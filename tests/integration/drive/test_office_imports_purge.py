"""Privacy of the office's data (docs/drive.md §7, §8): ``portal purge`` minimises office
people whose case closed before the cutoff (gone from the export, a report staff handled,
linked to a resident) and cancels imports left unconfirmed for a week, deleting their
file; open cases, recent ones and audit entries stay as they are. ``portal audit-nik
--orang`` answers who saw an office person's full NIK."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from portal import demo_office_list as demo
from portal.ops.privacy import PURGED_NAME, office_person_nik_log, purge_office_people
from portal.staff import office_imports
from portal.tables.accounts import AuditEntry
from portal.tables.office_lists import OfficeImport, OfficePerson, OfficeUploadPart
from tests.integration import staff_fixtures as fx
from tests.integration.drive import import_fixtures as imp
from tests.integration.drive import office_fixtures as office

pytestmark = pytest.mark.usefixtures("db")


def cli(*args: str) -> subprocess.CompletedProcess:
    """The real command, in a process of its own, on this run's test database."""
    return subprocess.run(
        [sys.executable, "-m", "portal.cli", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


async def test_purge_minimises_closed_office_people_and_cancels_stale_imports():
    coordinator = await fx.coordinator()
    officer = await fx.staff()
    listed = await office.office_import()
    ids = await office.people_in(listed, count=5)
    gone, handled, unchecked, reported, recent = ids
    old = datetime.now(UTC) - timedelta(days=200)
    await OfficePerson.update({OfficePerson.gone_import: listed, OfficePerson.gone_at: old}).where(
        OfficePerson.id.is_in([gone, recent])
    )
    await demo.mark_as_found(
        handled, "pindah", coordinator.id, detail="Ke Surabaya", handled_by=officer.id
    )
    await demo.mark_as_found(reported, "meninggal", coordinator.id, note="Kata tetangga")
    await OfficePerson.update({OfficePerson.updated_at: old}).where(
        OfficePerson.id.is_in([gone, handled, unchecked, reported])
    )

    access = await imp.officer_scope()
    waiting = await imp.upload(access, imp.csv_of([imp.line(imp.people(1, seed=51)[0])]))
    await imp.run()
    await OfficeImport.update(
        {OfficeImport.parsed_at: datetime.now(UTC) - timedelta(days=8)}
    ).where(OfficeImport.public_id == waiting)

    dry = await purge_office_people(180, dry_run=True)
    assert (dry.people, dry.imports_cancelled) == (2, 1)
    assert not await AuditEntry.exists().where(AuditEntry.action == "office_person.purge")
    report = await purge_office_people(180)
    assert (report.people, report.imports_cancelled) == (2, 1)
    for person_id in (gone, handled):
        row = await office.person(person_id)
        assert row["nik"] is None and row["full_name"] == PURGED_NAME
        assert row["birth_date"] is None and row["address"] == "" and row["outcome_detail"] == ""
        assert row["purged_at"] is not None and row["village"] and row["rt"] == "03"
    assert (await office.person(handled))["outcome"] == "pindah"  # figures keep it
    for person_id in (unchecked, reported, recent):
        row = await office.person(person_id)
        assert row["nik"] and row["purged_at"] is None
    assert (await office.person(reported))["outcome_note"] == "Kata tetangga"
    entry = (
        await AuditEntry.select(AuditEntry.detail, AuditEntry.actor_name)
        .where(AuditEntry.action == "office_person.purge")
        .output(load_json=True)
        .first()
    )
    assert entry["detail"]["count"] == 2 and entry["actor_name"] == "portal purge"
    view = await office_imports.import_view(access, waiting)
    assert view.state == "cancelled"
    assert not await OfficeUploadPart.exists()
    again = await purge_office_people(180)
    assert (again.people, again.imports_cancelled) == (0, 0)


async def test_who_saw_an_office_persons_nik():
    access = await imp.officer_scope()
    people = imp.people(2, seed=52)
    await imp.imported(access, imp.csv_of([imp.line(p) for p in people]))
    register = await imp.register()
    gone, kept = register[people[0].nik]["id"], register[people[1].nik]["id"]
    later = await imp.upload(access, imp.csv_of([imp.line(people[1])]), "b.csv")
    await imp.run()
    await office_imports.import_rows(access, later, "hilang", "")  # masked: no disclosure
    assert await office_person_nik_log(gone) == []
    await office_imports.import_rows(access, later, "hilang", "", reveal=True)
    rows = await office_person_nik_log(gone)
    assert [r["action"] for r in rows] == ["office_import.view_rows"]
    assert await office_person_nik_log(kept) == []
    shown = cli("audit-nik", "--orang", str(gone))
    assert "office_import.view_rows" in shown.stdout, shown.stderr
    none = cli("audit-nik", "--orang", str(kept))
    assert "No recorded view or export of office person" in none.stdout

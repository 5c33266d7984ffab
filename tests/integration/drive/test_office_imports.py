"""Staff import the office's export: a CSV and an XLSX with bad rows, an unknown kelurahan
and a repeated NIK → counts and messages per row, the error CSV (audited, full NIK), a
confirm that applies only the good rows; the preview's NIKs masked and its views audited."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from portal.domain.errors import Conflict, NotFound
from portal.staff import office_imports
from portal.tables.accounts import AuditEntry
from portal.tables.office_lists import OfficeImportRow, OfficeUploadPart
from tests.integration.drive import import_fixtures as imp

pytestmark = pytest.mark.usefixtures("db")


def bad_file_rows() -> tuple[list[list[str]], list]:
    """Five good people, then: a bad NIK, a kelurahan the Kota has not, a sex that is no
    sex, and the first person again (a repeated NIK)."""
    good = imp.people(5, seed=1)
    rows = [imp.line(p) for p in good]
    broken = imp.line(imp.people(1, seed=2)[0])
    broken[0] = "35760112345"  # too short
    rows.append(broken)  # row 7
    elsewhere = imp.line(imp.people(1, seed=3)[0], village="Atlantis")
    rows.append(elsewhere)  # row 8
    sexless = imp.line(imp.people(1, seed=4)[0])
    sexless[3] = "X"
    rows.append(sexless)  # row 9
    rows.append(imp.line(good[0]))  # row 10: the first person again
    return rows, good


async def check_preview(access, public_id: str, good) -> None:
    view = await office_imports.import_view(access, public_id)
    assert view.state == "parsed", view.problem
    assert (view.read_rows, view.total_rows) == (9, 9)
    assert view.counts.new == 5 and view.counts.errors == 4
    assert view.counts.unreadable_nik == 1  # row 7; the others can still be matched
    assert view.counts.changed == view.counts.unchanged == view.counts.gone == 0
    assert view.columns[:2] == ("nik", "full_name")
    errors, pager = await office_imports.import_rows(access, public_id, "galat", "")
    assert pager.total == 4
    by_row = {r.n: r for r in errors}
    assert set(by_row) == {7, 8, 9, 10}
    assert "nik" in by_row[7].errors
    assert "Atlantis" in by_row[8].errors["village"]
    assert "L atau P" in by_row[9].errors["sex"]
    assert by_row[10].errors["nik"] == "NIK sama dengan baris 2"
    new, _ = await office_imports.import_rows(access, public_id, "baru", "1")
    assert [r.full_name for r in new] == [p.full_name for p in good]
    assert all(r.nik is None and "•" in r.nik_masked for r in new)
    assert good[1].nik not in repr(new)


@pytest.mark.parametrize("source", ["csv", "xlsx"])
async def test_an_import_with_errors_applies_only_the_good_rows(source):
    access = await imp.officer_scope()
    rows, good = bad_file_rows()
    data = imp.csv_of(rows) if source == "csv" else imp.xlsx_of(rows)
    public_id = await imp.upload(access, data, f"belum-rekam.{source}")
    assert (await office_imports.import_view(access, public_id)).state == "uploaded"
    await imp.run()
    await check_preview(access, public_id, good)

    export = await office_imports.errors_csv(access, public_id)
    lines = list(csv.reader(io.StringIO(export.body.decode("utf-8-sig"))))
    assert lines[0][0] == "Baris" and [line[0] for line in lines[1:]] == ["7", "8", "9", "10"]
    assert lines[1][1] == "35760112345"  # as the file had it, to fix and send again
    assert lines[4][1] == good[0].nik and "NIK sama dengan baris 2" in lines[4][-1]
    entry = (
        await AuditEntry.select(AuditEntry.detail)
        .where(AuditEntry.action == "office_import.export_errors")
        .output(load_json=True)
        .first()
    )
    assert entry["detail"]["nik_revealed"] is True and entry["detail"]["rows"] == 4
    assert good[0].nik not in str(entry["detail"])

    view = await office_imports.import_view(access, public_id)
    await office_imports.confirm(access, public_id, view.version)
    with pytest.raises(Conflict):  # the page's form again: stale
        await office_imports.cancel(access, public_id, view.version)
    await imp.run()
    done = await office_imports.import_view(access, public_id)
    assert done.state == "applied" and done.applied_at is not None
    register = await imp.register()
    assert set(register) == {p.nik for p in good}
    assert register[good[2].nik]["full_name"] == good[2].full_name
    assert register[good[2].nik]["rt"] == "03"
    iid = await imp.import_id(public_id)
    assert not await OfficeImportRow.exists().where(OfficeImportRow.office_import == iid)
    assert not await OfficeUploadPart.exists().where(OfficeUploadPart.office_import == iid)
    actions = [
        e["action"] for e in await AuditEntry.select(AuditEntry.action).order_by(AuditEntry.id)
    ]
    assert actions == [
        "office_import.upload",
        "office_import.parsed",
        "office_import.view_rows",
        "office_import.view_rows",
        "office_import.export_errors",
        "office_import.confirm",
        "office_import.applied",
    ]


async def test_another_office_sees_nothing():
    access = await imp.officer_scope()
    public_id = await imp.upload(access, imp.csv_of([imp.line(imp.people(1, seed=5)[0])]))
    other = await imp.officer_scope("kabupaten")
    with pytest.raises(NotFound):
        await office_imports.import_view(other, public_id)
    with pytest.raises(NotFound):
        await office_imports.errors_csv(other, public_id)
    assert (await office_imports.imports(other, ""))[0] == []
    listed, pager = await office_imports.imports(access, "")
    assert [s.public_id for s in listed] == [public_id] and pager.total == 1
    assert listed[0].is_open and listed[0].total_rows == 1


async def test_the_template_has_the_header_the_reader_understands():
    body = office_imports.template_csv().body.decode("utf-8-sig")
    access = await imp.officer_scope()
    person = imp.people(1, seed=6)[0]
    row = [person.nik, person.full_name, person.birth_date.isoformat(), "L", person.address]
    data = (body.strip() + "\r\n" + ",".join([*row, "03", "02", "Surodinawan", ""])).encode()
    public_id = await imp.upload(access, data, "templat.csv", data_as_of=date(2026, 11, 30))
    await imp.run()
    view = await office_imports.import_view(access, public_id)
    assert view.state == "parsed" and view.counts.new == 1, view.problem
    assert view.data_as_of == date(2026, 11, 30)


async def test_revealing_the_nik_of_a_preview_is_audited():
    access = await imp.officer_scope()
    person = imp.people(1, seed=7)[0]
    public_id = await imp.upload(access, imp.csv_of([imp.line(person)]))
    await imp.run()
    rows, _ = await office_imports.import_rows(access, public_id, "baru", "", reveal=True)
    assert [r.nik for r in rows] == [person.nik]
    entry = (
        await AuditEntry.select(AuditEntry.detail)
        .where(AuditEntry.action == "office_import.view_rows")
        .output(load_json=True)
        .first()
    )
    assert entry["detail"]["nik_revealed"] is True and entry["detail"]["kind"] == "baru"
    with pytest.raises(NotFound):
        await office_imports.import_rows(access, public_id, "semua", "")
    with pytest.raises(NotFound):
        await office_imports.import_view(access, "bukan-uuid")


async def test_an_xlsx_nik_stored_as_a_number_is_an_error_not_a_person():
    access = await imp.officer_scope()
    person, other = imp.people(2, seed=8)
    mangled = imp.line(person)
    mangled[0] = int(person.nik)  # what Excel does to a NIK column formatted as a number
    public_id = await imp.upload(access, imp.xlsx_of([mangled, imp.line(other)]), "a.xlsx")
    await imp.run()
    view = await office_imports.import_view(access, public_id)
    assert (view.counts.new, view.counts.errors, view.counts.unreadable_nik) == (1, 1, 1)
    [row], _ = await office_imports.import_rows(access, public_id, "galat", "")
    assert "sebagai angka di Excel" in row.errors["nik"] and row.n == 2

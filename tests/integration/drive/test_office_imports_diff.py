"""A re-import of the next month's export (docs/drive.md §6.3): A, then B with 5 new (one
of them someone gone before, who returns), 2 gone, 1 changed (moved to another RT: their
finding is cleared), 1 listed with a valid NIK but another error (held: not gone, data
kept); then C where someone changes address in the same RT (their finding is kept)."""

from __future__ import annotations

import pytest

from portal import demo_office_list as demo
from portal.rules.office_diff import diff
from portal.staff import office_imports
from portal.tables.office_lists import OfficeImportRow, OfficePerson
from tests.integration import staff_fixtures as fx
from tests.integration.drive import import_fixtures as imp

pytestmark = pytest.mark.usefixtures("db")


async def test_a_re_import_shows_and_applies_the_difference():
    access = await imp.officer_scope()
    coordinator = await fx.coordinator()
    p = imp.people(10, seed=31)
    returning = imp.people(1, seed=32)[0]
    newcomers = imp.people(4, seed=33)
    a = await imp.imported(access, imp.csv_of([imp.line(x) for x in [*p, returning]]))
    a2 = await imp.imported(access, imp.csv_of([imp.line(x) for x in p]))
    register = await imp.register()
    assert register[returning.nik]["gone_import"] == await imp.import_id(a2)
    assert register[p[0].nik]["first_import"] == await imp.import_id(a)
    for person, outcome in ((p[2], "pindah"), (p[4], "tidak_dikenal"), (p[5], "rumah_kosong")):
        await demo.mark_as_found(register[person.nik]["id"], outcome, coordinator.id)

    rows = [imp.line(x) for x in p[:8]]
    rows[2][5] = "04"  # p[2] moved to RT 04 of the same RW: changed
    rows[5][3] = "X"  # p[5]: a valid NIK, another error: held
    rows += [imp.line(x) for x in [*newcomers, returning]]
    b = await imp.upload(access, imp.csv_of(rows), "b.csv")
    await imp.run()
    view = await office_imports.import_view(access, b)
    c = view.counts
    assert (c.new, c.changed, c.unchanged, c.errors, c.gone) == (5, 1, 6, 1, 2)
    # The pure whole-file rule gives the same answer as the job's chunks and SQL.
    previous = {
        nik: r["fingerprint"] for nik, r in (await imp.register()).items() if not r["gone_import"]
    }
    staged = (
        await OfficeImportRow.select(
            OfficeImportRow.nik, OfficeImportRow.fingerprint, OfficeImportRow.change
        )
        .where(OfficeImportRow.office_import == await imp.import_id(b))
        .order_by(OfficeImportRow.n)
    )
    rule = diff(previous, [(r["nik"], r["fingerprint"] or None) for r in staged])
    assert rule.counts == {"baru": 5, "berubah": 1, "tetap": 6, "hilang": 2}
    assert rule.held == (p[5].nik,)
    gone_rows, _ = await office_imports.import_rows(access, b, "hilang", "")
    assert sorted(r.full_name for r in gone_rows) == sorted(x.full_name for x in p[8:])
    assert all(r.n is None and r.nik is None and r.nik_masked for r in gone_rows)
    changed_rows, _ = await office_imports.import_rows(access, b, "berubah", "")
    assert [(r.full_name, r.rt) for r in changed_rows] == [(p[2].full_name, "04")]

    await office_imports.confirm(access, b, view.version)
    await imp.run()
    b_id = await imp.import_id(b)
    register = await imp.register()
    assert len(register) == 15
    back = register[returning.nik]
    assert back["gone_import"] is None and back["gone_at"] is None
    assert back["last_import"] == b_id
    for gone in p[8:]:
        assert register[gone.nik]["gone_import"] == b_id
        assert register[gone.nik]["gone_at"] is not None
    held = register[p[5].nik]
    assert held["gone_import"] is None and held["sex"] == p[5].sex
    assert held["outcome"] == "rumah_kosong" and held["last_import"] == b_id
    moved = register[p[2].nik]
    assert moved["rt"] == "04" and moved["outcome"] is None and moved["outcome_by"] is None
    assert register[p[4].nik]["outcome"] == "tidak_dikenal"  # unchanged: kept
    assert {register[x.nik]["first_import"] for x in newcomers} == {b_id}
    # Gone people stay in the register for staff, and the rows' view still lists them.
    done, _ = await office_imports.import_rows(access, b, "hilang", "")
    assert sorted(r.full_name for r in done) == sorted(x.full_name for x in p[8:])

    rows[4][4] = "Jl. Baru No. 1"  # p[4] moved house in the same RT
    version = register[p[4].nik]["version"]
    await imp.imported(access, imp.csv_of(rows), "c.csv")
    person = await OfficePerson.select().where(OfficePerson.nik == p[4].nik).first()
    assert person["address"] == "Jl. Baru No. 1"
    assert person["outcome"] == "tidak_dikenal" and person["version"] == version + 1

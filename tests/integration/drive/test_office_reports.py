"""Coordinators' reports reach staff: the listing and its filters (office scope, NIK
masked, audited), marking reports as taken into the office's records (bulk, version-checked,
audited, all or nothing) and the CSV with full NIKs (audited as revealing them)."""

from __future__ import annotations

import csv
import io

from portal import demo_office_list as demo
from portal.domain import audit
from portal.tables.accounts import AuditEntry
from portal.tables.office_lists import OfficePerson
from tests.integration import staff_fixtures as fx
from tests.integration.coordinator.helpers import make_coordinator
from tests.integration.drive import office_fixtures as office
from tests.integration.staff_client import page, post, text

REPORTS = "/petugas/sisir/laporan"
HANDLE = REPORTS + "/proses"


async def reported() -> dict[str, int]:
    """Kota: a move and a death reported through the coordinator's page, one found still
    living here, one recorded elsewhere, one not checked; Kabupaten: one move."""
    kota = await office.office_import("kota")
    ids = await office.people_in(kota, count=5)
    coordinator = await make_coordinator("rt03.lapor")
    kab = await office.office_import("kabupaten")
    kab_ids = await office.people_in(kab, office.TAWANGREJO, count=1)
    kab_coordinator = await make_coordinator("rt03.kab", office.TAWANGREJO)
    for person_id, outcome, detail in (
        (ids[0], "pindah", "Ke Sidoarjo"),
        (ids[1], "meninggal", ""),
        (ids[2], "tinggal", ""),
        (ids[3], "sudah_rekam", "MPP Gajah Mada, Agustus"),
    ):
        await demo.mark_as_found(person_id, outcome, coordinator.id, detail=detail)
    await demo.mark_as_found(kab_ids[0], "pindah", kab_coordinator.id, detail="Ke Jombang")
    return {
        "pindah": ids[0],
        "meninggal": ids[1],
        "tinggal": ids[2],
        "sudah_rekam": ids[3],
        "unchecked": ids[4],
        "kab": kab_ids[0],
    }


def listed(response) -> list[str]:
    return [
        text(row.select_one("td[data-label=Nama] strong"))
        for row in page(response).select("tbody tr")
    ]


async def name(person_id: int) -> str:
    return (await office.person(person_id))["full_name"]


async def test_staff_see_their_office_reports_with_filters(client, login_as):
    ids = await reported()
    officer = await fx.staff("kota")
    await login_as(officer)
    shown = await client.get(REPORTS)
    assert shown.status_code == 200
    assert "tidak mengubah data kependudukan" in shown.text
    assert set(listed(shown)) == {
        await name(ids["pindah"]),
        await name(ids["meninggal"]),
        await name(ids["sudah_rekam"]),
    }
    for key in ("tinggal", "unchecked", "kab"):
        assert await name(ids[key]) not in listed(shown)
    assert (await office.person(ids["pindah"]))["nik"] not in shown.text
    assert "Ke Sidoarjo" in shown.text and "Ke Jombang" not in shown.text
    only_moves = await client.get(REPORTS + "?hasil=pindah")
    assert listed(only_moves) == [await name(ids["pindah"])]
    assert listed(await client.get(REPORTS + "?status=sudah")) == []
    by_village = await client.get(REPORTS + "?kecamatan=35.76.02&desa=" + office.WATES)
    assert listed(by_village) == []
    by_kecamatan = await client.get(REPORTS + "?kecamatan=35.76.01&hasil=meninggal")
    assert listed(by_kecamatan) == [await name(ids["meninggal"])]
    views = (
        await AuditEntry.select()
        .where(AuditEntry.action == "office_report.view")
        .output(load_json=True)
    )
    assert len(views) == 5 and views[0]["actor"] == officer.id
    assert sorted(views[0]["detail"]["office_person_ids"]) == sorted(
        [ids["pindah"], ids["meninggal"], ids["sudah_rekam"]]
    )

    # The other office sees only its own report, and cannot handle Kota's.
    await login_as(await fx.staff("kabupaten"))
    theirs = await client.get(REPORTS)
    assert listed(theirs) == [await name(ids["kab"])]
    version = (await office.person(ids["pindah"]))["version"]
    refused = await post(client, HANDLE, {"pilih": [f"{ids['pindah']}.{version}"]})
    assert refused.status_code == 404
    assert (await office.person(ids["pindah"]))["handled_at"] is None
    # Coordinators never reach staff pages.
    await login_as(await make_coordinator("rt03.bukan-petugas"))
    assert (await client.get(REPORTS)).status_code in (401, 403)


async def test_handling_several_reports_is_version_checked_and_audited(client, login_as):
    ids = await reported()
    officer = await fx.staff("kota")
    await login_as(officer)
    picks = await office.picks(ids["pindah"], ids["meninggal"])
    done = await post(client, HANDLE, {"pilih": picks, "kembali": "status=belum"})
    assert done.status_code == 303
    assert (
        "pesan=laporan-diproses" in done.headers["location"] and "n=2" in done.headers["location"]
    )
    assert "2 laporan ditandai sudah diproses" in (await client.get(done.headers["location"])).text
    for key in ("pindah", "meninggal"):
        row = await office.person(ids[key])
        assert row["handled_by"] == officer.id and row["handled_at"] is not None
        assert row["outcome"] == key  # the report itself is kept as the coordinator made it
    entry = (
        await AuditEntry.select()
        .where(AuditEntry.action == "office_report.handle")
        .output(load_json=True)
    )
    assert len(entry) == 1 and entry[0]["detail"]["count"] == 2
    assert listed(await client.get(REPORTS + "?status=sudah")) != []

    # A stale pick (the coordinator corrected the report meanwhile) refuses the whole form.
    fresh = (await office.picks(ids["sudah_rekam"]))[0]
    await demo.mark_as_found(ids["sudah_rekam"], "pindah", officer.id, detail="Ke Malang")
    refused = await post(client, HANDLE, {"pilih": [fresh], "kembali": ""})
    assert refused.status_code == 409 and "Tidak ada yang diproses" in refused.text
    assert (await office.person(ids["sudah_rekam"]))["handled_at"] is None
    # Handled already (the form sent twice): refused, nothing changes.
    twice = await post(client, HANDLE, {"pilih": picks})
    assert twice.status_code == 409
    nothing = await post(client, HANDLE, {"pilih": []})
    assert nothing.status_code == 400 and "Pilih minimal satu laporan" in nothing.text


async def test_the_export_reveals_niks_and_says_so_in_the_audit(client, login_as):
    ids = await reported()
    officer = await fx.staff("kota")
    await login_as(officer)
    exported = await client.get(REPORTS.replace("/laporan", "/laporan.csv") + "?status=semua")
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Nama", "NIK", "Tanggal lahir"]
    by_name = {row[0]: row for row in rows[1:]}
    moved = await office.person(ids["pindah"])
    assert by_name[moved["full_name"]][1] == moved["nik"]
    assert by_name[moved["full_name"]][9] == "Sudah pindah"
    assert by_name[moved["full_name"]][10] == "Ke Sidoarjo"
    assert len(rows) == 4
    entry = (
        await AuditEntry.select()
        .where(AuditEntry.action == "office_report.export")
        .output(load_json=True)
    )
    assert len(entry) == 1
    detail = entry[0]["detail"]
    assert detail["nik_revealed"] is True and detail["rows"] == 3
    assert sorted(detail["office_person_ids"]) == sorted(
        [ids["pindah"], ids["meninggal"], ids["sudah_rekam"]]
    )
    assert moved["nik"] not in str(detail)


async def test_a_handling_whose_audit_line_fails_stores_nothing(client, login_as, monkeypatch):
    ids = await reported()
    await login_as(await fx.staff("kota"))
    picks = await office.picks(ids["pindah"], ids["meninggal"])
    real = audit.record

    async def failing(actor, action, **kwargs):
        if action == "office_report.handle":
            raise RuntimeError("audit log unavailable")
        return await real(actor, action, **kwargs)

    monkeypatch.setattr(audit, "record", failing)
    failed = await post(client, HANDLE, {"pilih": picks})
    assert failed.status_code == 500
    monkeypatch.undo()
    assert await OfficePerson.count().where(OfficePerson.handled_at.is_not_null()) == 0


async def test_an_admin_chooses_the_office(client, login_as):
    ids = await reported()
    await login_as(await fx.admin())
    both = await client.get(REPORTS)
    assert await name(ids["kab"]) in listed(both) and await name(ids["pindah"]) in listed(both)
    kota = await client.get(REPORTS + "?kantor=kota")
    assert await name(ids["kab"]) not in listed(kota)
    picks = await office.picks(ids["kab"])
    done = await post(client, HANDLE, {"pilih": picks, "kembali": "kantor=kabupaten"})
    assert done.status_code == 303 and "kantor=kabupaten" in done.headers["location"]
    assert (await office.person(ids["kab"]))["handled_at"] is not None

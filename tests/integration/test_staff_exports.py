"""Queue exports: filtered rows, full NIK for staff, audit entry, formula neutralisation."""

import csv
import io

import openpyxl

from portal.tables.accounts import AuditEntry
from tests.integration import staff_fixtures as fx


async def test_queue_export_follows_filters_and_is_audited(client, login_as):
    officer = await fx.staff("kota")
    await login_as(officer)
    lst = await fx.submitted_list(await fx.coordinator("kota", full_name="Bu Sri"))
    keep = await fx.resident(
        lst, full_name="@SUM(A1:A9)", category="lansia", phone="+6281234567890", married=True
    )
    await fx.resident(lst, full_name="Tidak Ikut", category="pemula")
    kab = await fx.submitted_list(await fx.coordinator("kabupaten", fx.KAB_VILLAGE), fx.KAB_VILLAGE)
    await fx.resident(kab, full_name="Orang Kab", category="lansia")

    response = await client.get("/petugas/antrian/ekspor.csv?kategori=lansia")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 2
    header, row = rows
    record = dict(zip(header, row, strict=True))
    assert record["Nama"] == "'@SUM(A1:A9)"
    assert record["NIK"] == keep.nik
    assert record["Telepon"] == "'+6281234567890"
    assert record["Koordinator"] == "Bu Sri" and record["Kategori"] == "Lansia"
    assert record["Sudah/pernah kawin"] == "ya"

    xlsx = await client.get("/petugas/antrian/ekspor.xlsx?kategori=lansia")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    assert len(values) == 2
    name_cell = sheet.cell(row=2, column=2)
    assert name_cell.value == "@SUM(A1:A9)" and name_cell.data_type == "s"
    assert dict(zip(values[0], values[1], strict=True))["Sudah/pernah kawin"] == "ya"

    audits = await AuditEntry.select().where(AuditEntry.action == "export").order_by(AuditEntry.id)
    assert len(audits) == 2
    detail = audits[0]["detail"]
    if isinstance(detail, str):
        import json

        detail = json.loads(detail)
    assert detail == {
        "format": "csv",
        "filters": {"kategori": "lansia"},
        "rows": 1,
        "nik_revealed": True,
        "resident_ids": [keep.id],
    }
    assert audits[0]["actor"] == officer.id and audits[0]["object_type"] == "queue"
    # The breach question "who exported this resident's NIK" finds both exports.
    from portal.ops.privacy import nik_access_log

    log = await nik_access_log(keep.id)
    assert [entry["action"] for entry in log] == ["export", "export"]


async def test_coordinators_cannot_export(client, login_as):
    await login_as(await fx.coordinator("kota"))
    assert (await client.get("/petugas/antrian/ekspor.csv")).status_code == 403
    assert await AuditEntry.count().where(AuditEntry.action == "export") == 0

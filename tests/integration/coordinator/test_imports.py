"""Paste and upload through the routes: preview, fix, leave out, confirm once, bad files."""

import io
import zipfile

from portal.coordinator.import_template import template_xlsx
from portal.tables.accounts import AuditEntry
from portal.tables.residents import ImportBatch, Resident
from tests.integration.coordinator.helpers import (
    Browser,
    make_coordinator,
    page,
)

PASTE = """Nama\tNIK\tTanggal lahir\tJK\tAlamat
Budi Santoso\t3576011708900001\t17-08-1990\tL\tJl. Mawar 5
Siti Aminah\t\t01-02-1985\tP\tJl. Melati 2
Tanpa Tanggal\t\t\tL\tJl. Kenanga
"""


def xlsx_bytes(rows: list[list], *, nik_as_number=False) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Nama lengkap", "NIK", "Tanggal lahir", "Jenis kelamin", "RT", "RW"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


async def _preview_url(response) -> str:
    assert response.status_code == 303, response.text
    return response.headers["location"]


async def test_paste_preview_then_confirm(browser):
    url = await browser.new_list()
    preview_url = await _preview_url(await browser.post(url + "/tempel", {"rows": PASTE}))
    assert await Resident.count() == 0  # nothing stored before confirming
    preview = await browser.get(preview_url)
    assert preview.status_code == 200
    doc = page(preview)
    assert "dengan baris judul" in preview.text
    assert "Perlu diperbaiki (1)" in preview.text
    assert "Masukkan tanggal lahir" in preview.text
    assert "3576011708900001" not in preview.text
    assert doc.find("button", string="Simpan 2 warga ke draf")
    confirm = await browser.post(preview_url + "/simpan")
    assert confirm.status_code == 303
    names = sorted(r["full_name"] for r in await Resident.select(Resident.full_name))
    assert names == ["Budi Santoso", "Siti Aminah"]
    assert {r["rt"] for r in await Resident.select(Resident.rt)} == {"03"}  # from the list
    # A second confirm (double tap, resend) stores nothing more.
    again = await browser.post(preview_url + "/simpan")
    assert again.status_code == 303
    assert await Resident.count() == 2
    assert await AuditEntry.count().where(AuditEntry.action == "list.import") == 1


async def test_fix_a_row_in_the_preview(browser):
    url = await browser.new_list()
    preview_url = await _preview_url(await browser.post(url + "/tempel", {"rows": PASTE}))
    batch = await ImportBatch.objects().first()
    form = await browser.get(preview_url + "/baris/4")
    doc = page(form)
    assert doc.select_one("#b4-full_name")["value"] == "Tanpa Tanggal"
    fixed = await browser.post(
        preview_url + "/baris/4",
        {"full_name": "Tanpa Tanggal", "dob_day": "1", "dob_month": "1", "dob_year": "1970"},
    )
    assert fixed.status_code == 303
    preview = await browser.get(preview_url)
    assert "Perlu diperbaiki" not in preview.text
    await browser.post(preview_url + "/simpan")
    assert await Resident.count() == 3
    assert (await ImportBatch.objects().where(ImportBatch.id == batch.id).first()).stored_count == 3


async def test_leave_a_row_out(browser):
    url = await browser.new_list()
    preview_url = await _preview_url(await browser.post(url + "/tempel", {"rows": PASTE}))
    await browser.post(preview_url + "/baris/2/lewati", {"skip": "1"})
    preview = await browser.get(preview_url)
    assert "Dilewati (1)" in preview.text
    await browser.post(preview_url + "/simpan")
    assert [r["full_name"] for r in await Resident.select(Resident.full_name)] == ["Siti Aminah"]


async def test_confirm_uses_server_copy_not_client_data(browser):
    url = await browser.new_list()
    preview_url = await _preview_url(
        await browser.post(url + "/tempel", {"rows": "Ani, 01-01-1990"})
    )
    await browser.post(preview_url + "/simpan", {"full_name": "Disusupkan", "rows": "X, 1-1-1990"})
    assert [r["full_name"] for r in await Resident.select(Resident.full_name)] == ["Ani"]


async def test_paste_errors_come_back_with_the_text(browser):
    url = await browser.new_list()
    response = await browser.post(url + "/tempel", {"rows": "   \n  "})
    assert response.status_code == 400
    assert "Tidak ada baris data" in response.text
    too_many = "\n".join(f"Warga {i}, 01-01-1990" for i in range(1001))
    response = await browser.post(url + "/tempel", {"rows": too_many})
    assert response.status_code == 400
    assert "Paling banyak 1.000 baris" in response.text
    assert "Warga 1000, 01-01-1990" in response.text


async def test_upload_xlsx(browser):
    url = await browser.new_list()
    data = xlsx_bytes([["Ani", "3576014101900002", "1990-01-01", "P", "3", "2"]])
    response = await browser.post(
        url + "/unggah",
        files={"file": ("daftar.xlsx", data, "application/octet-stream")},
    )
    preview_url = await _preview_url(response)
    preview = await browser.get(preview_url)
    assert "daftar.xlsx" in preview.text
    await browser.post(preview_url + "/simpan")
    resident = await Resident.objects().first()
    assert (resident.full_name, resident.nik, resident.rt) == ("Ani", "3576014101900002", "03")


async def test_upload_xlsx_nik_stored_as_number_is_an_error(browser):
    url = await browser.new_list()
    data = xlsx_bytes([["Ani", 3576014101900002, "01-01-1990", "P", "03", "02"]])
    response = await browser.post(url + "/unggah", files={"file": ("d.xlsx", data, "x")})
    preview = await browser.get(await _preview_url(response))
    assert "berformat angka" in preview.text


async def test_upload_csv_windows_1252(browser):
    url = await browser.new_list()
    data = "Nama;Tanggal lahir\nJosé Müller;01-01-1980\n".encode("cp1252")
    response = await browser.post(url + "/unggah", files={"file": ("d.csv", data, "text/csv")})
    await browser.post(await _preview_url(response) + "/simpan")
    assert (await Resident.objects().first()).full_name == "José Müller"


async def test_templates_download(browser):
    csv_file = await browser.get("/koordinator/templat.csv")
    assert csv_file.status_code == 200
    assert csv_file.content.startswith(b"\xef\xbb\xbfNama lengkap;NIK;")
    xlsx = await browser.get("/koordinator/templat.xlsx")
    assert xlsx.content[:2] == b"PK"
    assert xlsx.content == template_xlsx() or len(xlsx.content) > 1000


BAD_FILES = [
    ("kosong.csv", b"", "File kosong"),
    ("bukan.xlsx", b"Nama;NIK\nAni;1\n", "bukan file XLSX"),
    ("zip.xlsx", None, "bukan lembar kerja Excel"),
    ("rusak.xlsx", b"PK\x03\x04rusak sekali", "rusak"),
    ("gambar.csv", bytes(range(256)) * 20, "bukan file teks"),
    ("daftar.pdf", b"%PDF-1.4", "Unggah file .csv atau .xlsx"),
    ("lama.xls", b"\xd0\xcf\x11\xe0", ".xls"),
]


async def test_broken_files_get_a_message_never_a_500(browser):
    url = await browser.new_list()
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("hello.txt", "hi")
    for name, data, message in BAD_FILES:
        body = plain_zip.getvalue() if data is None else data
        response = await browser.post(url + "/unggah", files={"file": (name, body, "x")})
        assert response.status_code == 400, name
        assert message in response.text, (name, response.text[-2000:])
    missing = await browser.post(url + "/unggah", {"nothing": "1"})
    assert missing.status_code == 400 and "Pilih file" in missing.text
    assert await ImportBatch.count() == 0


async def test_file_over_two_megabytes(browser):
    url = await browser.new_list()
    big = b"Nama\n" + b"A" * (2 * 1024 * 1024 + 10)
    response = await browser.post(url + "/unggah", files={"file": ("big.csv", big, "text/csv")})
    assert response.status_code == 400
    assert "paling banyak 2 MB" in response.text


async def test_someone_elses_preview_is_404(browser, client, login_as):
    url = await browser.new_list()
    preview_url = await _preview_url(await browser.post(url + "/tempel", {"rows": "Ani, 1-1-1990"}))
    await login_as(await make_coordinator("lain", rt="09"))
    other = Browser(client)
    assert (await other.get(preview_url)).status_code == 404
    assert (await other.post(preview_url + "/simpan")).status_code == 404
    assert await Resident.count() == 0

"""Files the office import refuses as a whole, before a row is stored (no header, not an
XLSX, a zip bomb, an encrypted workbook, over the size limit, an old .xls, an empty file)
or when the job reads them (an XLSX without a header fails with the reason); a second
open import of the same office; cancelling deletes the file; the same file again is
pointed out, not refused."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta

import pytest

from portal.domain.errors import Conflict, Invalid
from portal.staff import office_import_files, office_imports
from portal.tables.accounts import AuditEntry
from portal.tables.office_lists import OfficeImport, OfficeImportRow, OfficeUploadPart
from tests.integration.drive import import_fixtures as imp

pytestmark = pytest.mark.usefixtures("db")


def good_rows(seed: int = 21, count: int = 3) -> list[list[str]]:
    return [imp.line(p) for p in imp.people(count, seed=seed)]


async def refused(access, data: bytes, filename: str, match: str, **extra) -> None:
    with pytest.raises(Invalid) as caught:
        await imp.upload(access, data, filename, **extra)
    assert "berkas" in caught.value.errors
    assert match in caught.value.errors["berkas"], caught.value.errors
    assert not await OfficeImport.exists()
    assert not await OfficeUploadPart.exists()


def encrypted(data: bytes) -> bytes:
    """The workbook with the "encrypted" flag set on every entry, as a password-protected
    zip has it (Python's zipfile cannot write one)."""
    raw = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (at := raw.find(signature, start)) != -1:
            raw[at + offset] |= 0x1
            start = at + 4
    return bytes(raw)


async def test_files_refused_before_anything_is_stored():
    access = await imp.officer_scope()
    no_header = imp.csv_of(good_rows()[1:], header=good_rows()[0])
    await refused(access, no_header, "a.csv", "Baris judul tidak memuat kolom")
    await refused(access, imp.csv_of(good_rows()), "a.xlsx", "bukan file XLSX")
    await refused(access, imp.xlsx_of(good_rows()), "a.csv", "berisi data XLSX")
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 1024 * 1024))
    await refused(access, bomb.getvalue(), "bom.xlsx", "terlalu besar setelah dibuka")
    await refused(access, encrypted(imp.xlsx_of(good_rows())), "a.xlsx", "dikunci dengan sandi")
    await refused(access, b"\xd0\xcf\x11\xe0 old excel", "lama.xls", "Excel lama")
    await refused(access, b"  \r\n", "kosong.csv", "File kosong")
    await refused(access, b"\x00\x01\x02" * 500, "biner.csv", "bukan file teks")
    assert not await AuditEntry.exists()


async def test_over_the_size_limit(monkeypatch):
    access = await imp.officer_scope()
    data = imp.csv_of(good_rows(count=20))
    settings = office_import_files.get_settings()
    small = settings.model_copy(update={"max_import_bytes": len(data) - 1})
    monkeypatch.setattr(office_import_files, "get_settings", lambda: small)
    # Declared too big, or declared small and bigger as it arrives: refused either way.
    await refused(access, data, "besar.csv", "File terlalu besar")
    form = office_imports.UploadInput("besar.csv", io.BytesIO(data), 10)
    with pytest.raises(Invalid, match="terlalu besar"):
        await office_imports.upload(access, form)
    assert settings.max_import_bytes == 32 * 1024 * 1024


async def test_an_xlsx_without_a_header_fails_when_read():
    access = await imp.officer_scope()
    rows = good_rows()
    public_id = await imp.upload(access, imp.xlsx_of(rows[1:], header=rows[0]), "a.xlsx")
    await imp.run()
    view = await office_imports.import_view(access, public_id)
    assert view.state == "failed" and "Baris judul tidak memuat kolom" in view.problem
    iid = await imp.import_id(public_id)
    assert not await OfficeUploadPart.exists().where(OfficeUploadPart.office_import == iid)
    failed = await AuditEntry.select(AuditEntry.actor_name, AuditEntry.actor).where(
        AuditEntry.action == "office_import.failed"
    )
    assert failed == [{"actor_name": "portal jobs", "actor": None}]
    # A failed import is closed: the corrected file can be uploaded at once.
    assert await imp.upload(access, imp.xlsx_of(rows), "b.xlsx")


async def test_one_open_import_per_office_and_cancel():
    access = await imp.officer_scope()
    data = imp.csv_of(good_rows())
    first = await imp.upload(access, data)
    with pytest.raises(Conflict, match="Masih ada impor yang belum selesai"):
        await imp.upload(access, data)
    other_office = await imp.officer_scope("kabupaten")
    assert await imp.upload(other_office, imp.csv_of([]))  # another office's: its own
    await imp.run()
    with pytest.raises(Conflict, match="Masih ada impor yang belum selesai"):
        await imp.upload(access, data)  # parsed, waiting for staff: still open
    view = await office_imports.import_view(access, first)
    with pytest.raises(Conflict):
        await office_imports.cancel(access, first, view.version - 1)
    await office_imports.cancel(access, first, view.version)
    cancelled = await office_imports.import_view(access, first)
    assert cancelled.state == "cancelled" and cancelled.cancelled_at is not None
    iid = await imp.import_id(first)
    assert not await OfficeImportRow.exists().where(OfficeImportRow.office_import == iid)
    assert not await OfficeUploadPart.exists().where(OfficeUploadPart.office_import == iid)
    with pytest.raises(Conflict):
        await office_imports.confirm(access, first, cancelled.version)
    again = await imp.upload(access, data)
    earlier = (await office_imports.import_view(access, again)).earlier
    assert [e.public_id for e in earlier] == [first] and earlier[0].state == "cancelled"


async def test_an_admin_names_the_office():
    from portal.domain.scope import scope_for
    from tests.integration import staff_fixtures as fx

    admin = await scope_for(await fx.admin())
    with pytest.raises(Invalid) as caught:
        await imp.upload(admin, imp.csv_of(good_rows()))
    assert "kantor" in caught.value.errors
    public_id = await imp.upload(admin, imp.csv_of(good_rows()), kantor="kabupaten")
    view = await office_imports.import_view(admin, public_id)
    kabupaten = await fx.office("kabupaten")
    assert view.office_id == kabupaten.id


async def test_a_data_date_after_today_and_what_a_closed_import_still_shows():
    access = await imp.officer_scope()
    tomorrow = date.today() + timedelta(days=2)
    with pytest.raises(Invalid) as caught:
        await imp.upload(access, imp.csv_of(good_rows()), data_as_of=tomorrow)
    assert "tanggal" in caught.value.errors
    await imp.imported(access, imp.csv_of(good_rows(seed=23)))
    rows = good_rows(seed=22)
    rows[0][0] = "123"
    public_id = await imp.upload(access, imp.csv_of(rows), 'data "kantor"; nov.csv')
    await imp.run()
    export = await office_imports.errors_csv(access, public_id)
    assert export.filename == "galat-data-kantor-nov.csv"
    view = await office_imports.import_view(access, public_id)
    assert view.counts.gone == 3
    assert len((await office_imports.import_rows(access, public_id, "hilang", ""))[0]) == 3
    await office_imports.cancel(access, public_id, view.version)
    for kind in ("galat", "baru", "hilang"):
        assert (await office_imports.import_rows(access, public_id, kind, ""))[0] == []

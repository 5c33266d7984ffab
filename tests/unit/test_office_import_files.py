"""The office export as a file, without a database: what the upload checks (type, size,
header, the XLSX container and its row estimate) and the rows read back from the stored
bytes, streamed; and the plain values the pages get (masking, progress, the row as filed)."""

from __future__ import annotations

import hashlib
import io
import random
import zipfile
from datetime import UTC, date, datetime

import pytest
from openpyxl import Workbook

from portal.domain.errors import Invalid
from portal.rules import tablefiles
from portal.rules.tablefiles import TableFileError, TableRules
from portal.staff import office_import_files as files
from portal.staff.office_import_values import Counts, ImportView, RowView, row_view

RULES = TableRules(subject="data kantor", item="penduduk", max_bytes=10_000, max_rows=5)
HEADER = "NIK;NAMA_LGKP;TGL_LHR;JENIS_KLMIN;ALAMAT;RT;RW;KEL_NAME"


def received(data: bytes, name: str = "a.csv"):
    return files.receive(name, io.BytesIO(data), len(data), RULES)


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_type_comes_from_the_name_and_must_agree_with_the_bytes():
    assert files.source_of("Data.XLSX") == "xlsx" and files.source_of("d.txt") == "csv"
    for name, words in (("d.xls", "Excel lama"), ("d.pdf", ".csv atau .xlsx")):
        with pytest.raises(Invalid, match=words):
            files.source_of(name)
    with pytest.raises(Invalid, match="bukan file XLSX"):
        files.check(received(b"NIK;NAMA\n1;2\n", "a.xlsx"), RULES)


def test_size_is_checked_as_declared_and_as_read():
    data = (HEADER + "\n").encode() * 300
    with pytest.raises(Invalid, match="terlalu besar"):
        files.receive("a.csv", io.BytesIO(data), len(data), RULES)
    with pytest.raises(Invalid, match="terlalu besar"):
        files.receive("a.csv", io.BytesIO(data), 100, RULES)
    with pytest.raises(Invalid, match="File kosong"):
        received(b" \n\n")


def test_a_csv_needs_its_header_and_its_rows_are_estimated_from_the_lines():
    body = "\n".join([HEADER, *(f"35760101019{i:05d};Nama {i};;L;Jl;1;2;Wates" for i in range(4))])
    got = received(body.encode())
    assert files.check(got, RULES) == 4  # the last line has no newline: still a row
    assert got.sha256 == hashlib.sha256(body.encode()).hexdigest()
    with pytest.raises(Invalid, match="Baris judul tidak memuat kolom"):
        files.check(received(b"3576010101900001;Budi;;L;Jl;1;2;Wates\n"), RULES)
    too_many = "\n".join([HEADER, *(["x;y;;L;Jl;1;2;Wates"] * 6)]) + "\n"
    with pytest.raises(Invalid, match="Paling banyak 5 baris"):
        files.check(received(too_many.encode()), RULES)


def test_an_xlsx_is_estimated_from_its_dimension_and_read_row_by_row():
    data = xlsx([HEADER.split(";"), ["3576010101900001", "Budi"], [], ["3576014101900002", "Sri"]])
    assert files.check(received(data, "a.xlsx"), RULES) == 3
    rows = list(files.file_rows("xlsx", data, RULES))
    assert [n for n, _, _ in rows] == [1, 2, 4]  # the empty row is skipped, numbers kept
    assert rows[1][1][:2] == ["3576010101900001", "Budi"]
    numbers = list(files.file_rows("xlsx", xlsx([["NIK"], [3576010101900001]]), RULES))
    assert numbers[1][2] == {0}  # a NIK typed as a number: flagged for the row check


def test_an_office_sized_xlsx_may_unpack_further_than_a_coordinators():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        noise = random.Random(0).randbytes(9_000_000)  # no bomb: it hardly compresses
        for n in range(5):  # 45 MB unpacked, over the coordinators' 40 MB
            archive.writestr(f"xl/worksheets/sheet{n}.xml", noise)
    data = out.getvalue()
    coordinator = TableRules(subject="daftar warga", item="warga", max_bytes=10**8)
    with pytest.raises(TableFileError, match="terlalu besar setelah dibuka"):
        tablefiles.check_xlsx_container(data, coordinator)
    office = TableRules(subject="x", item="y", max_bytes=10**8, max_unpacked=200 * 1024**2)
    tablefiles.check_xlsx_container(data, office)


def test_csv_rows_come_back_in_file_order_with_their_line_numbers():
    text = HEADER + '\n\n"3576010101900001";"Budi; anak Pak Slamet";;L;Jl;1;2;Wates\n'
    rows = list(files.file_rows("csv", text.encode("cp1252"), RULES))
    assert [n for n, _, _ in rows] == [1, 3]
    assert rows[1][1][1] == "Budi; anak Pak Slamet"
    broken = (HEADER + '\n"3576010101900001;Budi\n').encode() + b"x" * 200_000
    with pytest.raises(TableFileError):
        list(files.file_rows("csv", broken, TableRules(subject="x", item="y", max_bytes=10**6)))


def view(state: str, **counts: int) -> ImportView:
    moment = datetime(2026, 12, 1, tzinfo=UTC)
    return ImportView(
        public_id="x",
        office_id=1,
        office_name="Kota",
        filename="a.csv",
        source="csv",
        size_bytes=1,
        sha256="",
        data_as_of=date(2026, 11, 30),
        state=state,
        state_label="",
        version=1,
        total_rows=counts.pop("total", 100),
        read_rows=counts.pop("read", 40),
        applied_rows=counts.pop("applied", 0),
        counts=Counts(**counts),
        columns=("nik", ""),
        problem="",
        created_at=moment,
        uploaded_by="",
        parsed_at=None,
        confirmed_at=None,
        confirmed_by="",
        applied_at=None,
        cancelled_at=None,
    )


def test_progress_and_what_staff_may_do():
    assert view("parsing").progress == (40, 100) and view("parsing").runnable
    assert view("applying", read=100, applied=30).progress == (30, 100)
    parsed = view("parsed", new=3, changed=2, unchanged=5)
    assert parsed.can_confirm and parsed.can_cancel and parsed.applicable == 5
    assert parsed.progress == (1, 1) and not parsed.runnable
    assert parsed.column_labels == ("NIK", "")
    assert not view("applied").can_confirm and Counts(gone=2).of("hilang") == 2


def test_a_row_shows_the_nik_masked_in_its_cells_and_messages_too():
    staged = {
        "n": 7,
        "nik": None,
        "full_name": "Budi",
        "birth_date": None,
        "sex": None,
        "address": "",
        "rw": "02",
        "rt": "03",
        "village_name": "Wates",
        "errors": '{"nik": "NIK 3576010101900001 sudah ada", "sex": "Harus L atau P"}',
        "warnings": "[]",
        "cells": '{"nik": "3576010101900001", "sex": "X"}',
    }
    masked = row_view(staged, "galat", reveal=False)
    assert "3576010101900001" not in repr(masked)
    assert masked.cells["nik"] == masked.nik_masked == "3576••••••••0001"
    assert masked.error_list[0][0] == "NIK" and masked.error_list[1][0] == "Jenis kelamin"
    shown = row_view(staged, "galat", reveal=True)
    assert shown.cells["nik"] == "3576010101900001" and shown.as_filed["sex"] == "X"
    repeat = RowView(7, "galat", "", "Sri", date(2001, 2, 3), "P", "Jl", "02", "03", "Wates")
    assert repeat.as_filed["birth_date"] == "03-02-2001" and repeat.as_filed["village"] == "Wates"

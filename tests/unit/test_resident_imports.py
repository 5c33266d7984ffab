"""Paste/CSV/XLSX parsing: detection, encodings, limits, hostile files, and fuzzing."""

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.coordinator import imports
from portal.coordinator.import_template import template_csv, template_xlsx
from portal.coordinator.imports import (
    MAX_ROWS,
    ImportFileError,
    assign_columns,
    classify,
    decode_text,
    header_field,
    parse_csv,
    parse_text,
    parse_upload,
    parse_xlsx,
)
from portal.rules import tablefiles


def fields(text: str) -> list[dict]:
    return [row.fields for row in parse_text(text).rows]


# ---------------------------------------------------------------- delimiters and headers


def test_tab_separated_with_header():
    parsed = parse_text("Nama\tNIK\tTgl. lahir\tL/P\nBudi\t3576011708900001\t17-08-1990\tL\n")
    assert parsed.header_detected
    assert parsed.columns == ["full_name", "nik", "dob", "sex"]
    assert parsed.rows[0].n == 2
    assert parsed.rows[0].fields["nik"] == "3576011708900001"


def test_semicolons_and_quotes():
    text = 'Nama lengkap;Alamat;RT;RW\n"Siti Aminah";"Jl. Melati 2; belakang masjid";3;2\n'
    assert fields(text) == [
        {
            "full_name": "Siti Aminah",
            "address": "Jl. Melati 2; belakang masjid",
            "rt": "3",
            "rw": "2",
        }
    ]


def test_whatsapp_lines_without_header_are_read_by_content():
    text = (
        "Budi Santoso, 17-08-1990, L, Jl. Mawar 5, RT 3\n"
        "Siti Aminah, 3576015508900001, P, 0812-3456-7890\n"
        "Ani\n"
    )
    parsed = parse_text(text)
    assert not parsed.header_detected
    rows = [r.fields for r in parsed.rows]
    assert rows[0] == {
        "full_name": "Budi Santoso",
        "dob": "17-08-1990",
        "sex": "L",
        "address": "Jl. Mawar 5",
        "rt": "3",
    }
    assert rows[1]["nik"] == "3576015508900001" and rows[1]["phone"] == "0812-3456-7890"
    assert rows[2] == {"full_name": "Ani"}


def test_degrees_after_a_comma_stay_with_the_name():
    text = "Budi Santoso, S.Pd., 17-08-1990, L\nSiti Aminah, S.Pd., M.Pd, 3576015508900001\n"
    rows = fields(text)
    assert rows[0] == {"full_name": "Budi Santoso, S.Pd.", "dob": "17-08-1990", "sex": "L"}
    assert rows[1] == {"full_name": "Siti Aminah, S.Pd., M.Pd", "nik": "3576015508900001"}
    # With a header the degree cell is rejoined too, so the columns still line up.
    assert fields("Nama,Tgl lahir\nAgus Salim, S.E., 01-02-1980\n") == [
        {"full_name": "Agus Salim, S.E.", "dob": "01-02-1980"}
    ]
    # Tabs never split a name, so nothing is rejoined there.
    assert fields("Budi, S.Pd.\tJl. Mawar\n")[0]["full_name"] == "Budi, S.Pd."


def test_headerless_spreadsheet_columns_by_majority():
    text = "Budi\t17-08-1990\t3\t2\nAni\t\t3\t2\nCitra\t01-01-2000\t4\t2\n"
    parsed = parse_text(text)
    assert parsed.columns == ["full_name", "dob", "rt", "rw"]
    assert parsed.rows[1].fields == {"full_name": "Ani", "rt": "3", "rw": "2"}


def test_rt_rw_pair_and_ttl_columns():
    text = 'Nama,TTL,RT/RW\nBudi,"Mojokerto, 17-08-1990",03/02\n'
    assert fields(text) == [{"full_name": "Budi", "dob": "17-08-1990", "rt": "3", "rw": "2"}]


def test_row_number_column_is_ignored():
    assert fields("No;Nama\n1;Budi\n2;Ani\n") == [{"full_name": "Budi"}, {"full_name": "Ani"}]


def test_header_without_a_name_column_is_explained():
    with pytest.raises(ImportFileError, match="Nama lengkap"):
        parse_text("NIK;Alamat\n3576011708900001;Jl. Mawar\n")


def test_header_only():
    with pytest.raises(ImportFileError, match="Hanya ada baris judul"):
        parse_text("Nama;NIK\n")


def test_header_aliases():
    assert header_field("Tanggal Lahir (DD-MM-YYYY)") == "dob"
    assert header_field("No. HP") == "phone"
    assert header_field("NAMA_LENGKAP") == "full_name"
    assert header_field("Persetujuan orang tua/wali (ya/tidak)") == "guardian_consent"
    for married in (
        "Status kawin",
        "KAWIN",
        "Status perkawinan",
        "status_nikah",
        "Sudah/pernah kawin",
    ):
        assert header_field(married) == "married", married
    assert header_field("Hobi") is None


def test_classify_cells():
    assert classify("3576 0117 0890 0001") == "nik"
    assert classify("17 Agustus 1990") == "dob"
    assert classify("081234567890") == "phone"
    assert classify("P") == "sex"
    assert classify("03/02") == "rt_rw"
    assert classify("RW 2") == "rw"
    assert classify("lansia") == "category"
    assert classify("Jl. Mawar 5") == "text"
    assert classify("Cerai mati") == "married" and classify("BELUM KAWIN") == "married"
    assert assign_columns(["text", "number", "number", "number"]) == ["full_name", "rt", "rw", ""]


def test_marital_status_column_with_header_or_by_content():
    parsed = parse_text(
        "Nama;Tgl lahir;Status kawin\nRina;01-01-2011;Cerai hidup\nSari;1-1-1990;\n"
    )
    assert parsed.columns == ["full_name", "dob", "married"]
    assert [r.fields.get("married") for r in parsed.rows] == ["Cerai hidup", None]
    # A WhatsApp line: the status is told by its words, never mistaken for an address.
    assert fields("Rina, 01-01-2011, P, Kawin\n") == [
        {"full_name": "Rina", "dob": "01-01-2011", "sex": "P", "married": "Kawin"}
    ]


def test_blank_lines_are_skipped_and_numbers_kept():
    parsed = parse_text("\n\nBudi, 1-1-1990\n\n\nAni, 2-2-1990\n")
    assert [r.n for r in parsed.rows] == [3, 6]


def test_row_limit():
    parse_text("\n".join(f"Warga {i}" for i in range(MAX_ROWS)))
    with pytest.raises(ImportFileError, match=r"1\.000 baris"):
        parse_text("\n".join(f"Warga {i}" for i in range(MAX_ROWS + 1)))
    with_header = "Nama\n" + "\n".join(f"Warga {i}" for i in range(MAX_ROWS))
    assert len(parse_text(with_header).rows) == MAX_ROWS


def test_size_limit():
    with pytest.raises(ImportFileError, match="2 MB"):
        parse_text("A" * (2 * 1024 * 1024 + 1))


def test_unclosed_quote_does_not_crash():
    parsed = parse_text('Nama,Alamat\n"Budi, Jl. Mawar\nAni,Jl. Melati\n')
    assert parsed.rows  # csv reads to the end; validation will flag the odd row


# ---------------------------------------------------------------- encodings


def test_utf8_with_bom_and_windows_1252():
    assert decode_text("\ufeffNama\nJosé\n".encode()) == "Nama\nJosé\n"
    assert decode_text("Nama\nJosé Müller\n".encode("cp1252")) == "Nama\nJosé Müller\n"
    assert decode_text("Nama\tNIK\nSiti\t1\n".encode("utf-16")).startswith("Nama\tNIK")
    assert parse_csv("Nama;Tanggal lahir\nJosé;1-1-1990\n".encode("cp1252")).rows[0].fields == {
        "full_name": "José",
        "dob": "1-1-1990",
    }


def test_bytes_that_are_not_text():
    with pytest.raises(ImportFileError, match="bukan file teks"):
        decode_text(b"\x00\x01\x02binary")
    with pytest.raises(ImportFileError, match="XLSX"):
        decode_text(template_xlsx())
    with pytest.raises(ImportFileError, match="kosong"):
        decode_text(b"  \n ")
    with pytest.raises(ImportFileError, match="tidak dikenali"):
        decode_text(b"Nama\n\x81\x8d\x8f\x90\x9d\n")


def test_extension_dispatch():
    assert parse_upload("Daftar.CSV", b"Nama\nBudi\n")[0] == "csv"
    with pytest.raises(ImportFileError, match=r"\.xls"):
        parse_upload("lama.xls", b"\xd0\xcf\x11\xe0")
    with pytest.raises(ImportFileError, match=r"\.csv atau \.xlsx"):
        parse_upload("foto.jpg", b"\xff\xd8\xff")
    with pytest.raises(ImportFileError, match="bukan file XLSX"):
        parse_upload("nyamar.xlsx", b"Nama\nBudi\n")


# ---------------------------------------------------------------- XLSX


def make_xlsx(rows, sheet_title="Sheet1") -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_xlsx_cells_dates_and_numbers():
    from datetime import datetime

    data = make_xlsx(
        [
            ["Nama lengkap", "NIK", "Tanggal lahir", "RT"],
            ["Budi", "3576011708900001", datetime(1990, 8, 17), 3],
            ["Ani", 3576014101900002, "01-01-1990", "03"],
        ]
    )
    parsed = parse_xlsx(data)
    assert parsed.rows[0].fields == {
        "full_name": "Budi",
        "nik": "3576011708900001",
        "dob": "1990-08-17",
        "rt": "3",
    }
    assert parsed.rows[0].numeric == ["rt"]
    assert parsed.rows[1].numeric == ["nik"]


def test_template_xlsx_roundtrip():
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(template_xlsx()))
    assert wb.sheetnames == ["Data warga", "Petunjuk"]
    ws = wb["Data warga"]
    assert ws["A1"].value == "Nama lengkap" and ws["B1"].value == "NIK"
    assert ws.column_dimensions["B"].number_format == "@" or ws["B2"].number_format == "@"
    assert template_csv().decode("utf-8-sig").startswith("Nama lengkap;NIK;Tanggal lahir")
    # Every template column reads back as its field, the marital status included.
    labels = [c.value for c in ws[1]]
    assert [header_field(label) for label in labels] == [f for f, _ in imports.TEMPLATE_HEADERS]
    assert "Status kawin (Belum kawin/Kawin/Cerai)" in labels
    assert (
        template_csv()
        .decode("utf-8-sig")
        .rstrip()
        .endswith(";Status kawin (Belum kawin/Kawin/Cerai)")
    )
    assert any("Cerai mati" in c.value for c in wb["Petunjuk"]["A"])


def _rewrite(data: bytes, replace: dict[str, bytes]) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
    return out.getvalue()


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">&lol9;</workbook>
"""


def test_openpyxl_parses_through_defusedxml():
    import defusedxml
    from openpyxl import load_workbook
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML is True
    bomb = _rewrite(make_xlsx([["Nama"], ["Budi"]]), {"xl/workbook.xml": BILLION_LAUGHS})
    # openpyxl wraps the parser's refusal in a ValueError; the cause is defusedxml's.
    with pytest.raises(ValueError) as caught:
        load_workbook(io.BytesIO(bomb), read_only=True)
    assert isinstance(caught.value.__cause__, defusedxml.DefusedXmlException)


def test_billion_laughs_in_workbook_or_sheet_gets_a_message():
    good = make_xlsx([["Nama"], ["Budi"]])
    sheet_bomb = BILLION_LAUGHS.replace(b"<workbook", b"<worksheet").replace(
        b"</workbook>", b"</worksheet>"
    )
    for part, payload in (
        ("xl/workbook.xml", BILLION_LAUGHS),
        ("xl/worksheets/sheet1.xml", sheet_bomb),
    ):
        with pytest.raises(ImportFileError, match="rusak"):
            parse_xlsx(_rewrite(good, {part: payload}))


def test_zip_bomb_is_refused_before_parsing():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (8 * 1024 * 1024))
    assert len(out.getvalue()) < 100_000
    with pytest.raises(ImportFileError, match="terlalu besar"):
        parse_xlsx(out.getvalue())


def test_total_unpacked_size_and_entry_count(monkeypatch):
    data = make_xlsx([["Nama"], ["Budi"]])
    monkeypatch.setattr(tablefiles, "XLSX_MAX_UNCOMPRESSED", 1000)
    with pytest.raises(ImportFileError, match="terlalu besar"):
        parse_xlsx(data)
    monkeypatch.setattr(tablefiles, "XLSX_MAX_UNCOMPRESSED", 40 * 1024 * 1024)
    monkeypatch.setattr(tablefiles, "XLSX_MAX_ENTRIES", 3)
    with pytest.raises(ImportFileError, match="terlalu banyak bagian"):
        parse_xlsx(data)


def test_zip_that_is_not_a_workbook():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(ImportFileError, match="bukan lembar kerja"):
        parse_xlsx(out.getvalue())
    with pytest.raises(ImportFileError, match="rusak"):
        parse_xlsx(b"PK\x03\x04" + b"\x00" * 100)


def test_xlsx_row_limit():
    data = make_xlsx([["Nama"]] + [[f"Warga {i}"] for i in range(MAX_ROWS + 1)])
    with pytest.raises(ImportFileError, match=r"1\.000 baris"):
        parse_xlsx(data)


# ---------------------------------------------------------------- fuzzing

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CELLISH = st.text(
    alphabet=st.sampled_from([*list("abc XYZ0123456789-/.,;\t\"'\n\r=+@"), "é", "\xa0", "\ufeff"]),
    max_size=300,
)


@FUZZ
@given(st.one_of(st.text(max_size=500), CELLISH))
def test_random_text_only_ever_raises_import_file_error(text):
    try:
        parsed = parse_text(text)
    except ImportFileError as exc:
        assert exc.message
        return
    for row in parsed.rows:
        assert all(isinstance(v, str) for v in row.fields.values())
        assert set(row.fields) <= {
            "full_name",
            "nik",
            "dob",
            "sex",
            "address",
            "rt",
            "rw",
            "phone",
            "category",
            "note",
            "guardian_consent",
            "married",
        }


@FUZZ
@given(st.binary(max_size=400), st.sampled_from(["a.csv", "a.xlsx", "a.txt", "a.bin", ""]))
def test_random_bytes_only_ever_raise_import_file_error(data, name):
    try:
        parse_upload(name, data)
    except ImportFileError as exc:
        assert exc.message


@FUZZ
@given(st.lists(st.lists(CELLISH, max_size=6), max_size=20))
def test_random_tables_written_as_csv_parse_or_explain(table):
    import csv

    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(table)
    try:
        parse_csv(out.getvalue().encode("utf-8"))
    except ImportFileError as exc:
        assert exc.message

"""Spreadsheet exports neutralise formulas and keep NIKs as text."""

import csv
import io
from datetime import date

import openpyxl
import pytest

from portal.staff.exports import csv_bytes, neutralise, xlsx_bytes


@pytest.mark.parametrize(
    "value",
    ["=1+1", "+62812", "-2+3", "@SUM(A1)", "\t=cmd", "\r=cmd", '=HYPERLINK("http://x")'],
)
def test_dangerous_starts_get_an_apostrophe(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["Ani", "3576014101080001", "", "a=b", " =x", "'already"])
def test_harmless_values_are_untouched(value):
    assert neutralise(value) == value


def test_csv_round_trip():
    data = csv_bytes(
        ["Nama", "NIK", "Lahir", "Umur", "Wali"],
        [["=2+5", "3576014101080001", date(2008, 1, 1), 17, True], ["Budi", None, None, 0, False]],
    )
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [
        ["Nama", "NIK", "Lahir", "Umur", "Wali"],
        ["'=2+5", "3576014101080001", "2008-01-01", "17", "ya"],
        ["Budi", "", "", "0", "tidak"],
    ]


def test_xlsx_writes_every_string_as_text():
    data = xlsx_bytes(
        ["Nama", "NIK", "Lahir", "No"],
        [["=2+5", "3576014101080001", date(2008, 1, 1), 3]],
        sheet="Daftar",
        title="Sesi uji",
    )
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet.title == "Daftar"
    assert sheet["A1"].value == "Sesi uji"
    assert [c.value for c in sheet[3]][:2] == ["Nama", "NIK"]
    name, nik, born, number = sheet[4]
    assert (name.value, name.data_type) == ("=2+5", "s")
    assert (nik.value, nik.data_type) == ("3576014101080001", "s")
    assert born.value.date() == date(2008, 1, 1)
    assert number.value == 3

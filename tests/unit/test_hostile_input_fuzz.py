"""Hostile and broken input for the parsers and the resident check: random text, huge
fields, wrong encodings, formula injection, Unicode edge cases. Whatever comes in, the
answer is a value or an Indonesian message (the module's own error), never a crash.

Adds to the property tests beside it (NIK in test_nik.py, importer tables and random bytes
in test_resident_imports.py) what they do not cover: dates, phone numbers, the whole
resident check, encodings and spreadsheet formulas.
"""

from __future__ import annotations

import csv
import io
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.coordinator.area import ListArea
from portal.coordinator.imports import ImportFileError, parse_upload
from portal.coordinator.resident_check import check_resident
from portal.coordinator.resident_fields import FIELDS
from portal.rules.ages import RecordingRule
from portal.rules.dates import DateError, parse_date_parts, parse_date_text
from portal.rules.phone import PhoneError, normalise_phone
from portal.staff.exports import csv_bytes

TODAY = date(2026, 11, 25)
AREA = ListArea(
    office_id=1,
    kecamatan_id=1,
    village_id=7,
    village_name="Surodinawan",
    village_kind="kelurahan",
    rw=None,
    rt=None,
    nik_prefix="3576",
    rule=RecordingRule(min_years=16, min_months=8, area="Kota Mojokerto"),
)

# Text that is hard on parsers: controls, bidi overrides, zero-width and combining marks,
# full-width and Arabic-Indic digits, surrogate-free astral characters, formula starters.
NASTY = st.sampled_from(
    [
        "\u202e3576014101060001",
        "3576\u200b0141\u200b0106\u200b0001",
        "３５７６０１４１０１０６０００１",
        "٣٥٧٦٠١٤١٠١٠٦٠٠٠١",
        "e\u0301\u0301\u0301e\u0301",
        '=HYPERLINK("http://x","klik")',
        "+62 812-3456-7890",
        "-1",
        "@SUM(A1)",
        "\x00\x07\x1b[31m",
        "𝕊𝕚𝕥𝕚 𝔸𝕞𝕚𝕟𝕒𝕙",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        " ",
        "",
    ]
)
TEXT = st.one_of(st.text(max_size=300), NASTY)
BIG = st.integers(min_value=5_000, max_value=20_000).map(lambda n: ("9 /-a" * n)[:n])


@given(TEXT, TEXT, TEXT)
def test_date_parts_give_a_date_or_a_message(day, month, year):
    try:
        parsed = parse_date_parts(day, month, year, today=TODAY)
    except DateError as exc:
        assert str(exc).strip()
    else:
        assert isinstance(parsed, date) and parsed <= TODAY


@given(st.one_of(TEXT, BIG))
def test_date_text_gives_a_date_or_a_message(text):
    try:
        parsed = parse_date_text(text)
    except DateError as exc:
        assert str(exc).strip()
    else:
        assert isinstance(parsed, date)


@given(st.one_of(TEXT, BIG, st.from_regex(r"\+?[0-9 ()\-.]{0,30}", fullmatch=True)))
def test_phone_numbers_give_e164_or_a_message(text):
    try:
        number = normalise_phone(text)
    except PhoneError as exc:
        assert str(exc).strip()
    else:
        assert number.startswith("+62") and number[1:].isdigit()


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(FIELDS), st.one_of(TEXT, BIG)))
def test_a_resident_made_of_garbage_gets_messages_not_a_crash(raw):
    for partial in (False, True):
        checked = check_resident(raw, AREA, today=TODAY, partial=partial)
        for field, message in checked.errors.items():
            assert isinstance(message, str) and message.strip(), field
        # Nothing over the column sizes is accepted as a value.
        if not checked.errors:
            assert len(checked.values.get("full_name", "")) <= 120
            assert len(checked.values.get("nik") or "") in (0, 16)


ROWS = st.lists(st.lists(TEXT, min_size=1, max_size=6), min_size=1, max_size=15)


def _csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


@settings(max_examples=80, suppress_health_check=[HealthCheck.too_slow])
@given(ROWS, st.sampled_from(["utf-16", "utf-8-sig", "latin-1", "cp1252", "utf-32"]))
def test_csv_in_any_encoding_is_read_or_refused_with_a_message(rows, encoding):
    data = _csv(rows).encode(encoding, errors="replace")
    try:
        kind, parsed = parse_upload("daftar.csv", data)
    except ImportFileError as exc:
        assert exc.message.strip()
    else:
        assert kind == "csv"
        for row in parsed.rows:
            assert all(isinstance(v, str) for v in row.fields.values())


def test_a_huge_field_is_refused_or_cut_not_a_crash():
    data = ("nama,nik\n" + "A" * 1_500_000 + ",3576014101060001\n").encode()
    try:
        _, parsed = parse_upload("daftar.csv", data)
    except ImportFileError as exc:
        assert exc.message.strip()
    else:
        for row in parsed.rows:
            checked = check_resident(row.fields, AREA, today=TODAY)
            assert "full_name" in checked.errors


@given(st.lists(st.lists(TEXT, min_size=1, max_size=4), min_size=1, max_size=10))
def test_exported_cells_never_start_a_spreadsheet_formula(rows):
    text = csv_bytes(["a", "b", "c", "d"], rows).decode("utf-8-sig")
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell

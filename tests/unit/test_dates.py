from datetime import date

import pytest

from portal.rules.dates import (
    DateError,
    format_date_id,
    format_weekday_id,
    parse_date_parts,
    parse_date_text,
    parse_month,
)

TODAY = date(2025, 1, 10)


def date_error(day, month, year, **kwargs) -> DateError:
    with pytest.raises(DateError) as excinfo:
        parse_date_parts(day, month, year, today=TODAY, **kwargs)
    assert str(excinfo.value) == excinfo.value.message
    return excinfo.value


def test_valid_parts():
    assert parse_date_parts("17", "8", "2008", today=TODAY) == date(2008, 8, 17)
    assert parse_date_parts(" 07 ", " 08 ", " 2008 ", today=TODAY) == date(2008, 8, 7)


def test_nothing_entered():
    error = date_error("", " ", "")
    assert error.message == "Masukkan tanggal lahir"
    assert error.parts == {"day", "month", "year"}


def test_field_label_is_used():
    error = date_error("", "", "", field_label="Tanggal menikah")
    assert error.message == "Masukkan tanggal menikah"
    assert date_error("", "8", "2008", field_label="Tanggal menikah").message == (
        "Tanggal menikah harus berisi tanggal"
    )


@pytest.mark.parametrize(
    ("parts", "message", "highlight"),
    [
        (("", "8", "2008"), "Tanggal lahir harus berisi tanggal", {"day"}),
        (("17", "", "2008"), "Tanggal lahir harus berisi bulan", {"month"}),
        (("17", "8", ""), "Tanggal lahir harus berisi tahun", {"year"}),
        (("", "", "2008"), "Tanggal lahir harus berisi tanggal dan bulan", {"day", "month"}),
        (("17", "", ""), "Tanggal lahir harus berisi bulan dan tahun", {"month", "year"}),
        (("", "8", ""), "Tanggal lahir harus berisi tanggal dan tahun", {"day", "year"}),
    ],
)
def test_missing_parts(parts, message, highlight):
    error = date_error(*parts)
    assert (error.message, error.parts) == (message, highlight)


@pytest.mark.parametrize(
    ("parts", "highlight"),
    [
        (("32", "8", "2008"), {"day"}),
        (("0", "8", "2008"), {"day"}),
        (("1a", "8", "2008"), {"day"}),
        (("17", "13", "2008"), {"month"}),
        (("17", "0", "2008"), {"month"}),
        (("17", "Agustusan", "2008"), {"month"}),
        (("17", "8", "20o8"), {"year"}),
        (("x", "y", "z"), {"day", "month", "year"}),
        (("31", "4", "2008"), {"day", "month", "year"}),  # 31 April
        (("29", "2", "2023"), {"day", "month", "year"}),  # not a leap year
        (("30", "Februari", "2024"), {"day", "month", "year"}),
    ],
)
def test_not_a_real_date(parts, highlight):
    error = date_error(*parts)
    assert error.message == "Tanggal lahir harus tanggal yang benar"
    assert error.parts == highlight


def test_29_february_in_a_leap_year():
    assert parse_date_parts("29", "2", "2024", today=TODAY) == date(2024, 2, 29)


@pytest.mark.parametrize("year", ["08", "208", "20008"])
def test_year_must_have_4_digits(year):
    error = date_error("17", "8", year)
    assert error.message == "Tanggal lahir harus berisi tahun 4 angka, misalnya 2008"
    assert error.parts == {"year"}


def test_year_before_1900():
    error = date_error("17", "8", "1899")
    assert error.parts == {"year"}
    assert "1900" in error.message


def test_future_date():
    error = date_error("11", "1", "2025")
    assert error.message == "Tanggal lahir harus di masa lalu"
    assert error.parts == {"day", "month", "year"}


def test_today_is_not_in_the_future():
    assert parse_date_parts("10", "1", "2025", today=TODAY) == TODAY


def test_future_allowed_when_asked():
    assert parse_date_parts(
        "27", "11", "2025", today=TODAY, allow_future=True, field_label="Tanggal sesi"
    ) == date(2025, 11, 27)


def test_default_today_is_the_real_today():
    with pytest.raises(DateError, match="masa lalu"):
        parse_date_parts("1", "1", str(date.today().year + 1))


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("1", 1),
        ("01", 1),
        ("12", 12),
        ("Januari", 1),
        ("jan", 1),
        ("Pebruari", 2),
        ("Mei", 5),
        ("Agustus", 8),
        ("Agu", 8),
        ("ags", 8),
        ("Agt.", 8),
        ("AUGUST", 8),
        ("Okt", 10),
        ("Nopember", 11),
        ("Desember", 12),
        ("Des", 12),
        ("0", None),
        ("13", None),
        ("Agus", None),
        ("", None),
    ],
)
def test_parse_month(text, number):
    assert parse_month(text) == number


def test_month_names_in_parts():
    assert parse_date_parts("17", "Agustus", "2008", today=TODAY) == date(2008, 8, 17)
    assert parse_date_parts("25", "des", "2007", today=TODAY) == date(2007, 12, 25)


@pytest.mark.parametrize(
    "text",
    [
        "17-08-2008",
        "17/08/2008",
        "17.08.2008",
        "17-8-2008",
        "2008-08-17",
        "2008-08-17 00:00:00",
        "17 Agustus 2008",
        "17 agu 2008",
        "17-Ags-2008",
        "  17   Agustus   2008 ",
        "17 August 2008",
    ],
)
def test_parse_date_text_formats(text):
    assert parse_date_text(text) == date(2008, 8, 17)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "17-08-08",  # two-digit year: the century would be a guess
        "17/08-2008",  # mixed separators
        "08/17/2008",  # US order: month 17 does not exist
        "31-04-2008",
        "29-02-2023",
        "17 Agus 2008",
        "2008/08/17",
        "tujuh belas Agustus",
        "17082008",
        "01-01-1899",
    ],
)
def test_parse_date_text_refuses(text):
    with pytest.raises(DateError):
        parse_date_text(text)


def test_format_date_id():
    assert format_date_id(date(2008, 8, 17)) == "17 Agustus 2008"
    assert format_date_id(date(2024, 11, 1)) == "1 November 2024"
    assert format_date_id(date(2025, 3, 5)) == "5 Maret 2025"


@pytest.mark.parametrize(
    ("d", "weekday"),
    [
        (date(2024, 11, 25), "Senin"),
        (date(2024, 11, 26), "Selasa"),
        (date(2024, 11, 27), "Rabu"),  # Pilkada 2024
        (date(2024, 11, 28), "Kamis"),
        (date(2024, 11, 29), "Jumat"),
        (date(2024, 11, 30), "Sabtu"),
        (date(2024, 12, 1), "Minggu"),
    ],
)
def test_format_weekday_id(d, weekday):
    assert format_weekday_id(d) == weekday


def test_parse_date_text_wants_ascii_digits():
    with pytest.raises(DateError):
        parse_date_text("١٧-٠٨-٢٠٠٨")

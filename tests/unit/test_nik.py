import re
from datetime import date

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from portal.rules.nik import (
    NIK_PATTERN,
    PROVINCES,
    Nik,
    NikError,
    looks_like_nik,
    mask_nik,
    nik_warnings,
    parse_nik,
    redact_niks,
)

EXAMPLE = "3576015211080001"  # fictitious: female, born 12-11-2008, Prajuritkulon


def error_code(raw: str) -> str:
    with pytest.raises(NikError) as excinfo:
        parse_nik(raw)
    assert excinfo.value.message == str(excinfo.value)
    return excinfo.value.code


def test_example_nik_decodes():
    nik = parse_nik(EXAMPLE)
    assert nik.value == EXAMPLE
    assert nik.province_code == "35"
    assert nik.province_name == "Jawa Timur"
    assert nik.regency_code == "3576"
    assert nik.district_code == "357601"
    assert (nik.birth_day, nik.birth_month, nik.birth_yy) == (12, 11, 8)
    assert nik.sex == "P"
    assert nik.serial == "0001"
    assert nik.matches_birth_date(date(2008, 11, 12))
    assert nik.matches_birth_date(date(1908, 11, 12))
    assert not nik.matches_birth_date(date(2008, 11, 13))
    assert not nik.matches_birth_date(date(2009, 11, 12))


def test_male_nik_has_plain_day():
    nik = parse_nik("3516081708080002")
    assert (nik.sex, nik.birth_day, nik.birth_month, nik.birth_yy) == ("L", 17, 8, 8)


@pytest.mark.parametrize(
    "raw",
    [
        " 3576015211080001 ",
        "3576 0152 1108 0001",
        "3576.0152.1108.0001",
        "3576-0152-1108-0001",
        "35.76.01.521108.0001",
        "3576\u00a00152\u20131108\t0001",  # no-break space and en dash from a phone keyboard
    ],
)
def test_separators_people_type_are_ignored(raw):
    assert parse_nik(raw).value == EXAMPLE


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        (" - . ", "empty"),
        ("3576O15211080001", "not_digits"),  # letter O
        ("NIK 3576015211080001", "not_digits"),
        ("3576015211080001/", "not_digits"),
        ("٣٥٧٦٠١٥٢١١٠٨٠٠٠١", "not_digits"),  # Arabic-Indic digits are not accepted
        ("357601521108001", "length"),
        ("35760152110800011", "length"),
        ("9976015211080001", "province"),
        ("0076015211080001", "province"),
        ("2076015211080001", "province"),
        ("3576013104080001", "birth_date"),  # 31 April
        ("3576017104080001", "birth_date"),  # 31 April, female
        ("3576010001080001", "birth_date"),  # day 00
        ("3576013201080001", "birth_date"),  # day 32
        ("3576014001080001", "birth_date"),  # day 40
        ("3576017201080001", "birth_date"),  # day 72
        ("3576011500080001", "birth_date"),  # month 00
        ("3576011513080001", "birth_date"),  # month 13
        ("3576013002080001", "birth_date"),  # 30 Feb
        ("3576012902010001", "birth_date"),  # 29 Feb 1901/2001: never a leap year
        ("3576016902010001", "birth_date"),
        ("3576015211080000", "serial"),
    ],
)
def test_impossible_niks_are_refused(raw, code):
    assert error_code(raw) == code


def test_length_message_says_how_many_digits_were_typed():
    with pytest.raises(NikError, match="Anda mengetik 15 angka"):
        parse_nik("3576 0152 1108 001")


@pytest.mark.parametrize(
    ("raw", "day", "month", "sex"),
    [
        ("3576010101080001", 1, 1, "L"),
        ("3576013112080001", 31, 12, "L"),
        ("3576014101080001", 1, 1, "P"),
        ("3576017112080001", 31, 12, "P"),
        ("3576013101080001", 31, 1, "L"),
        ("3576013004080001", 30, 4, "L"),
        ("3576017004080001", 30, 4, "P"),
    ],
)
def test_day_blocks_for_men_and_women(raw, day, month, sex):
    nik = parse_nik(raw)
    assert (nik.birth_day, nik.birth_month, nik.sex) == (day, month, sex)


@pytest.mark.parametrize(
    "raw",
    [
        "3576012902000001",  # 2000 is a leap year (1900 is not: either century will do)
        "3576016902000001",
        "3576012902080001",
        "3576012902960001",
    ],
)
def test_29_february_when_either_century_is_a_leap_year(raw):
    assert parse_nik(raw).birth_day == 29


@pytest.mark.parametrize("code", ["11", "19", "21", "31", "36", "51", "53", "61", "65", "71", "76"])
def test_province_codes_accepted(code):
    assert parse_nik(code + "76015211080001").province_code == code


@pytest.mark.parametrize("code", ["81", "82", "91", "92", "93", "94", "95", "96"])
def test_eastern_province_codes_accepted(code):
    assert parse_nik(code + "76015211080001").province_code == code


def test_province_list_is_the_38_current_provinces():
    ranges = [(11, 19), (21, 21), (31, 36), (51, 53), (61, 65), (71, 76), (81, 82), (91, 96)]
    expected = [str(n) for low, high in ranges for n in range(low, high + 1)]
    assert sorted(PROVINCES) == expected
    assert len(PROVINCES) == 38


def test_error_messages_never_echo_the_number():
    for raw in ["9976015211080001", "3576013104080001", "3576015211080000"]:
        with pytest.raises(NikError) as excinfo:
            parse_nik(raw)
        assert raw not in excinfo.value.message
        assert raw[2:] not in excinfo.value.message


def test_repr_and_str_are_masked():
    nik = parse_nik(EXAMPLE)
    assert EXAMPLE not in repr(nik)
    assert EXAMPLE not in str(nik)
    assert EXAMPLE not in f"{nik}"
    assert nik.masked == "3576••••••••0001"


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        (EXAMPLE, "3576••••••••0001"),
        ("3576 0152 1108 0001", "3576••••••••0001"),
        ("", ""),
        ("3576", "••••••••••••••••"),
        ("357601521108000", "••••••••••••••••"),
        ("35760152110800012", "••••••••••••••••"),
        ("3576O15211080001", "••••••••••••••••"),
        ("not a nik", "••••••••••••••••"),
    ],
)
def test_mask_nik(value, masked):
    assert mask_nik(value) == masked


def test_warnings_empty_when_everything_agrees():
    nik = parse_nik(EXAMPLE)
    assert (
        nik_warnings(nik, birth_date=date(2008, 11, 12), sex="P", office_prefixes=["3576", "3516"])
        == []
    )


def test_warnings_are_optional_inputs():
    nik = parse_nik(EXAMPLE)
    assert nik_warnings(nik, birth_date=None, sex=None, office_prefixes=[]) == []
    assert nik_warnings(nik, birth_date=None, sex="tidak tahu", office_prefixes=[]) == []


def test_birth_date_mismatch_is_a_warning():
    nik = parse_nik(EXAMPLE)
    warnings = nik_warnings(nik, birth_date=date(2008, 12, 11), sex=None, office_prefixes=[])
    assert [w.code for w in warnings] == ["birth_date_mismatch"]
    assert "12-11" in warnings[0].message
    assert "11-12-2008" in warnings[0].message
    assert EXAMPLE not in warnings[0].message


@pytest.mark.parametrize("typed", ["L", "l", "Laki-laki", " pria "])
def test_sex_mismatch_is_a_warning(typed):
    nik = parse_nik(EXAMPLE)
    warnings = nik_warnings(nik, birth_date=None, sex=typed, office_prefixes=[])
    assert [w.code for w in warnings] == ["sex_mismatch"]
    assert "perempuan" in warnings[0].message


@pytest.mark.parametrize("typed", ["P", "perempuan", "Wanita"])
def test_sex_match_in_any_spelling(typed):
    nik = parse_nik(EXAMPLE)
    assert nik_warnings(nik, birth_date=None, sex=typed, office_prefixes=[]) == []


def test_region_outside_office_is_only_a_note():
    nik = parse_nik("3516085211080001")
    warnings = nik_warnings(nik, birth_date=None, sex=None, office_prefixes=["3576"])
    assert [w.code for w in warnings] == ["outside_area"]
    assert "3516" in warnings[0].message
    assert "pertama kali diterbitkan" in warnings[0].message
    assert nik_warnings(nik, birth_date=None, sex=None, office_prefixes=["3576", "3516"]) == []
    assert nik_warnings(nik, birth_date=None, sex=None, office_prefixes=["35"]) == []


def test_all_three_warnings_together():
    nik = parse_nik(EXAMPLE)
    warnings = nik_warnings(
        nik, birth_date=date(2008, 11, 13), sex="L", office_prefixes=iter(["3516"])
    )
    assert [w.code for w in warnings] == ["birth_date_mismatch", "sex_mismatch", "outside_area"]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (EXAMPLE, True),
        (f"nik={EXAMPLE}&x=1", True),
        (f"NIK{EXAMPLE}", True),
        ("nik 3576 0152 1108 0001 ok", True),
        ("3576-0152-1108-0001", True),
        ("357601521108000", False),  # 15 digits
        ("35760152110800011", False),  # 17 digits
        ("1732531234567890123", False),  # a nanosecond timestamp
        ("3576 0152-1108 0001", False),  # mixed separators: not one number
        ("", False),
    ],
)
def test_looks_like_nik(text, found):
    assert looks_like_nik(text) is found


def test_redact_niks_masks_every_occurrence():
    text = f"a={EXAMPLE} b=3516 0852 1108 0002 id=12345"
    redacted = redact_niks(text)
    assert redacted == "a=3576••••••••0001 b=3516••••••••0002 id=12345"
    assert not looks_like_nik(redacted)


# --- properties -------------------------------------------------------------------------

nik_like_text = st.one_of(
    st.text(),
    st.text(alphabet="0123456789", min_size=14, max_size=18),
    st.text(alphabet="0123456789 .-\u2013x\u0663", max_size=24),
)


@given(nik_like_text)
def test_parser_raises_only_nik_error(raw):
    try:
        nik = parse_nik(raw)
    except NikError as error:
        assert error.code in {"empty", "not_digits", "length", "province", "birth_date", "serial"}
        assert error.message
    else:
        assert isinstance(nik, Nik)
        assert re.fullmatch(r"[0-9]{16}", nik.value)


@st.composite
def valid_nik_parts(draw):
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)))
    return {
        "province": draw(st.sampled_from(sorted(PROVINCES))),
        "regency": draw(st.integers(0, 99)),
        "district": draw(st.integers(0, 99)),
        "born": born,
        "sex": draw(st.sampled_from(["L", "P"])),
        "serial": draw(st.integers(1, 9999)),
    }


@given(valid_nik_parts())
def test_every_valid_nik_parses_and_round_trips(parts):
    born = parts["born"]
    day = born.day + (40 if parts["sex"] == "P" else 0)
    value = (
        f"{parts['province']}{parts['regency']:02d}{parts['district']:02d}"
        f"{day:02d}{born.month:02d}{born.year % 100:02d}{parts['serial']:04d}"
    )
    nik = parse_nik(value)
    assert nik.value == value
    assert nik.province_code == parts["province"]
    assert nik.regency_code == value[:4]
    assert nik.district_code == value[:6]
    assert (nik.birth_day, nik.birth_month, nik.birth_yy) == (
        born.day,
        born.month,
        born.year % 100,
    )
    assert nik.sex == parts["sex"]
    assert int(nik.serial) == parts["serial"]
    assert nik.matches_birth_date(born)
    assert nik_warnings(nik, birth_date=born, sex=parts["sex"], office_prefixes=[value[:4]]) == []
    assert parse_nik(" " + " ".join(value[i : i + 4] for i in range(0, 16, 4))) == nik


@given(st.text())
def test_mask_never_shows_more_than_8_digits(text):
    assert sum(c.isdigit() for c in mask_nik(text)) <= 8


@given(st.text(alphabet="0123456789", min_size=16, max_size=16))
def test_mask_of_any_16_digits_keeps_only_the_ends(value):
    masked = mask_nik(value)
    assert masked == value[:4] + "•" * 8 + value[-4:]


@given(st.text(), st.text(alphabet="0123456789", min_size=16, max_size=16), st.text())
def test_redacted_text_never_contains_the_nik(before, value, after):
    # A NIK glued inside a longer digit run is not NIK-shaped, so keep it out of the noise.
    assume(value not in before and value not in after)
    text = f"{before} {value} {after}"
    redacted = redact_niks(text)
    assert value not in redacted
    assert NIK_PATTERN.search(redacted) is None

"""Raw resident fields → validated values, errors and warnings (no database)."""

from datetime import date

import pytest

from portal.coordinator.area import ListArea, area_label
from portal.coordinator.resident_check import check_resident
from portal.coordinator.resident_fields import (
    form_values,
    is_marital_status,
    parse_category,
    parse_married,
    parse_yes,
    with_saved_nik,
)
from portal.domain.rtrw import parse_rt_rw
from portal.rules.ages import MARRIED_RULE, RecordingRule
from portal.rules.names import name_key
from portal.rules.nik import parse_nik
from portal.rules.people import derive_birth_date, parse_sex

TODAY = date(2026, 11, 25)


def area(**changes) -> ListArea:
    fields = {
        "office_id": 1,
        "kecamatan_id": 1,
        "village_id": 7,
        "village_name": "Surodinawan",
        "village_kind": "kelurahan",
        "rw": "02",
        "rt": "03",
        "nik_prefix": "3576",
        "rule": RecordingRule(min_years=16, min_months=8, area="Kota Mojokerto"),
    }
    fields.update(changes)
    return ListArea(**fields)


def check(**raw):
    base = {"full_name": "Budi Santoso", "dob": "17-08-1990"}
    base.update(raw)
    return check_resident(base, area(), today=TODAY)


def test_minimal_valid_resident_takes_rt_rw_from_the_list():
    c = check()
    assert c.ok, c.errors
    v = c.values
    assert (v["rt"], v["rw"]) == ("03", "02")
    assert v["birth_date"] == date(1990, 8, 17)
    assert v["name_key"] == "budi santoso"
    assert v["category"] == "dewasa"
    assert v["warnings"] == [] and not v["warn_nik"] and not v["warn_under_age"]


def test_name_is_required_and_cleaned():
    assert check(full_name="  ").errors["full_name"] == "Masukkan nama lengkap"
    assert "huruf" in check(full_name="12345").errors["full_name"]
    assert "paling banyak" in check(full_name="A" * 121).errors["full_name"]
    c = check(full_name="  Siti   Aminah ")
    assert c.values["full_name"] == "Siti Aminah" and c.values["name_key"] == "siti aminah"


def test_birth_date_required_without_nik():
    c = check(dob="")
    assert "wajib jika NIK tidak diisi" in c.errors["dob"]


def test_birth_date_parts_like_the_form():
    c = check(dob="", dob_day="5", dob_month="Agustus", dob_year="1990")
    assert c.values["birth_date"] == date(1990, 8, 5)
    c = check(dob="", dob_day="31", dob_month="2", dob_year="1990")
    assert c.errors["dob"] == "Tanggal lahir harus tanggal yang benar"
    assert c.dob_parts == {"day", "month", "year"}


def test_partial_check_does_not_complain_about_unfinished_fields():
    c = check_resident(
        {"full_name": "Budi", "dob_day": "5"}, area(rt=None, rw=None), today=TODAY, partial=True
    )
    assert c.ok, c.errors


def test_future_birth_date_is_an_error():
    assert "masa lalu" in check(dob="01-01-2030").errors["dob"]


@pytest.mark.parametrize(
    ("nik", "code"),
    [
        ("12345", "harus 16 angka"),
        ("3576A11708900001", "hanya boleh berisi angka"),
        ("9976011708900001", "bukan kode provinsi"),
        ("3576013213900001", "tanggal lahir yang benar"),
        ("3576011708900000", "tidak mungkin 0000"),
    ],
)
def test_nik_hard_errors(nik, code):
    assert code in check(nik=nik).errors["nik"]


def test_nik_soft_warnings_are_not_errors():
    c = check(nik="3516011708900001", dob="18-08-1990", sex="P")
    assert c.ok, c.errors
    codes = {w["code"] for w in c.warnings}
    assert codes == {"birth_date_mismatch", "sex_mismatch", "outside_area"}
    assert c.values["warn_nik"] is True


def test_birth_date_and_sex_derived_from_nik_when_unambiguous():
    c = check(dob="", nik="3576015508900001")  # 15-08-90, woman
    assert c.ok, c.errors
    assert c.values["birth_date"] == date(1990, 8, 15)
    assert c.values["sex"] == "P"
    assert "dari NIK" in c.info["dob"]


def test_ambiguous_century_asks_for_the_birth_date():
    nik = parse_nik("3576010101260001")  # 01-01-26: 1926 (100) or 2026 (0)
    assert derive_birth_date(nik, TODAY) is None
    c = check(dob="", nik="3576010101260001")
    assert "bisa 1926 atau 2026" in c.errors["dob"]


def test_derive_birth_date_centuries():
    assert derive_birth_date(parse_nik("3576011708900001"), TODAY) == date(1990, 8, 17)
    assert derive_birth_date(parse_nik("3576011708100001"), TODAY) == date(2010, 8, 17)
    # 2030 is in the future and 1930 is only 96 years ago.
    assert derive_birth_date(parse_nik("3576011708300001"), TODAY) == date(1930, 8, 17)


def test_phone_normalised_or_explained():
    assert check(phone="0812-3456-7890").values["phone"] == "+6281234567890"
    assert "angka" in check(phone="0812 abc").errors["phone"]


def test_rt_rw_must_lie_inside_the_list():
    c = check(rt="4")
    assert c.errors["rt"] == "Daftar ini untuk RT 03; warga RT 04 masuk daftar lain"
    assert check(rt="003", rw="RW 2").ok
    assert "angka" in check(rt="tiga").errors["rt"]


def test_open_area_needs_rt_rw():
    c = check_resident({"full_name": "Ani", "dob": "1-1-1990"}, area(rt=None, rw=None), today=TODAY)
    assert set(c.errors) == {"rt", "rw"}
    c = check_resident(
        {"full_name": "Ani", "dob": "1-1-1990", "rt": "7", "rw": "1"},
        area(rt=None, rw=None),
        today=TODAY,
    )
    assert (c.values["rt"], c.values["rw"]) == ("07", "01")


def test_under_age_flagged_with_eligibility_date_but_stored():
    c = check(dob="01-01-2011", guardian_consent="ya")  # 15 y 10 m
    assert c.ok, c.errors
    assert c.values["warn_under_age"] is True
    assert c.values["eligible_from"] == date(2027, 9, 1)  # 16 y 8 m
    assert "1 September 2027" in c.warnings[0]["message"]
    national = check_resident(
        {"full_name": "A", "dob": "01-01-2010", "guardian_consent": "ya"},
        area(rule=RecordingRule()),
        today=TODAY,
    )
    assert national.values["warn_under_age"] is False


def test_married_minor_must_record_now_so_no_under_age_warning():
    single = check(dob="01-01-2011", guardian_consent="ya")  # 15 y 10 m
    assert single.values["warn_under_age"] is True and "eligibility" not in single.info
    married = check(dob="01-01-2011", guardian_consent="ya", married="on")
    assert married.ok, married.errors
    v = married.values
    assert v["married"] is True
    assert v["warn_under_age"] is False and v["eligible_from"] is None
    assert v["warnings"] == [] and married.warnings_for("dob") == []
    assert married.info["eligibility"] == MARRIED_RULE
    # Far below even the minimum recording age, marriage still makes it mandatory now.
    assert (
        check(dob="01-01-2013", guardian_consent="ya", married="Kawin").values["warn_under_age"]
        is False
    )


def test_married_adult_needs_no_explanation():
    c = check(married="ya")
    assert c.values["married"] is True and "eligibility" not in c.info
    assert check().values["married"] is False


def test_married_from_the_nik_birth_date_too():
    c = check(dob="", nik="3576015501110001", guardian_consent="ya", married="on")  # 15-01-2011
    assert c.values["birth_date"] == date(2011, 1, 15)
    assert c.values["warn_under_age"] is False and c.info["eligibility"] == MARRIED_RULE


def test_unknown_marital_status_is_an_error_on_that_field():
    c = check(married="mungkin")
    assert set(c.errors) == {"married"}
    assert "Status kawin tidak dikenali" in c.errors["married"]
    assert "Cerai hidup" in c.errors["married"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Kawin", True),
        ("KAWIN TERCATAT", True),
        ("Kawin belum tercatat", True),
        ("sudah menikah", True),
        ("Cerai hidup", True),
        ("cerai-mati", True),
        ("Cerai", True),
        ("Janda", True),
        ("ya", True),
        ("Y", True),
        ("1", True),
        ("on", True),
        ("✓", True),
        (True, True),
        ("Belum kawin", False),
        ("BELUM  KAWIN", False),
        ("belum menikah", False),
        ("Tidak", False),
        ("0", False),
        ("", False),
        (None, False),
        ("-", False),
        (False, False),
        ("mungkin", None),
        ("2", None),
    ],
)
def test_parse_married(raw, expected):
    assert parse_married(raw) is expected


def test_marital_words_are_told_from_yes_and_no():
    assert is_marital_status("Cerai Hidup") and is_marital_status("belum kawin")
    assert not is_marital_status("ya") and not is_marital_status("Budi")


def test_guardian_consent_required_under_18():
    c = check(dob="01-01-2009")
    assert "belum 18 tahun" in c.errors["guardian_consent"]
    assert check(dob="01-01-2009", guardian_consent="on").ok
    assert check(dob="01-01-2009", guardian_consent="mungkin").errors["guardian_consent"]
    assert check(dob="01-01-1990").values["guardian_consent"] is False


def test_category_from_vocabulary_or_age():
    assert check(category="Lansia").values["category"] == "lansia"
    assert check(category="luar kota").values["category"] == "luar_kota"
    assert check(category="dukun").errors["category"] == "Pilih kategori dari daftar"
    assert check(dob="01-01-1950").values["category"] == "lansia"
    assert check(dob="01-01-2009", guardian_consent="ya").values["category"] == "pemula"


def test_small_parsers():
    assert parse_sex("Laki-laki") == "L" and parse_sex("pr.") == "P" and parse_sex("x") is None
    assert parse_rt_rw("RT 3") == "03" and parse_rt_rw("0") is None and parse_rt_rw("12a") is None
    assert parse_yes("Ya") is True and parse_yes("") is False and parse_yes("?") is None
    assert parse_category("Disabilitas/sakit — perlu kunjungan rumah") == "disabilitas"
    assert name_key(" A\tB  c ") == "a b c"
    assert area_label("desa", "Trowulan", "01", None) == "Desa Trowulan RW 01"


def test_form_values_never_include_the_saved_nik():
    values = form_values({"full_name": "A", "nik": "3576011708900001", "phone": "+6281234567890"})
    assert values["nik"] == "" and values["phone"] == "081234567890"
    assert values["married"] == ""
    assert form_values({"full_name": "A", "married": True})["married"] == "on"
    assert with_saved_nik({"nik": ""}, "3576011708900001")["nik"] == "3576011708900001"
    assert with_saved_nik({"nik": "3576011708900002"}, "3576011708900001")["nik"].endswith("2")

"""Rows of the office's "belum rekam" export: header, places by name or code, row checks."""

from __future__ import annotations

from datetime import date

import pytest

from portal.content.seed import load_seed
from portal.rules.office_rows import (
    NUMERIC_NIK,
    HeaderMap,
    OfficeFileError,
    check_office_row,
    fingerprint,
    read_header,
)
from portal.rules.places import Place, PlaceError, Places, fold_place

TODAY = date(2025, 10, 26)
NIK = "3576014101080001"  # Kota, Prajuritkulon, a woman born 1 January 2008
SIAK_HEADER = ["NO", "NIK", "NAMA_LGKP", "TGL_LHR", "JENIS_KLMIN", "ALAMAT", "RT/RW", "KEL_NAME"]


def places_of(slug: str) -> Places:
    seed = load_seed()
    office = seed.office(slug)
    return Places(
        office.short_name,
        office.region_code,
        [
            Place(
                village_id=index,
                code=village.code,
                name=village.name,
                kecamatan_id=int(kec.code.split(".")[-1]),
                kecamatan_code=kec.code,
                kecamatan_name=kec.name,
                aliases=village.aliases,
                kecamatan_aliases=kec.aliases,
            )
            for index, (kec, village) in enumerate(
                ((k, v) for k in seed.kecamatan if k.office == slug for v in k.villages), start=1
            )
        ],
    )


KOTA = places_of("kota")
KAB = places_of("kabupaten")


def row(header: HeaderMap, *cells: str, places: Places = KOTA, **kwargs):
    return check_office_row(2, header.cells(list(cells)), places, today=TODAY, **kwargs)


SIAK = read_header(SIAK_HEADER)


def test_siak_column_names_are_understood():
    assert SIAK.positions == {
        "nik": 1,
        "full_name": 2,
        "birth_date": 3,
        "sex": 4,
        "address": 5,
        "rt_rw": 6,
        "village": 7,
    }
    assert SIAK.columns[0] == ""  # the row number is not read


def test_a_good_row():
    checked = row(
        SIAK,
        "1",
        NIK,
        " Siti  Aminah ",
        "01-01-2008",
        "P",
        "Jl. Mawar 3",
        "003/002",
        "Kel. Surodinawan",
    )
    assert checked.ok, checked.errors
    assert checked.nik == NIK
    assert checked.values["full_name"] == "Siti Aminah"
    assert checked.values["name_key"] == "siti aminah"
    assert checked.values["birth_date"] == date(2008, 1, 1)
    assert (checked.values["rt"], checked.values["rw"]) == ("03", "02")  # canonical
    assert KOTA.by_code["3576011007"].village_id == checked.values["village_id"]
    assert checked.warnings == []
    assert checked.fingerprint == fingerprint(checked.values)


@pytest.mark.parametrize(
    "header",
    [
        ["NIK", "Nama"],  # no RT/RW, no village
        ["NIK", "Nama", "RT", "Kelurahan"],  # RW missing
        ["Nama", "RT/RW", "Desa"],  # no NIK
    ],
)
def test_a_header_without_the_columns_rows_need_is_refused(header):
    with pytest.raises(OfficeFileError) as refused:
        read_header(header)
    assert "Baris judul tidak memuat kolom" in refused.value.message


def test_a_column_named_twice_is_refused():
    with pytest.raises(OfficeFileError) as refused:
        read_header(["NIK", "Nama", "RT/RW", "Desa", "Kelurahan"])
    assert "ada dua kali" in refused.value.message


def test_separate_rt_and_rw_columns_and_codes_for_the_village():
    header = read_header(["NIK", "NAMA LENGKAP", "NO_RT", "NO_RW", "KODE KEL", "NO_KEC"])
    checked = row(header, NIK, "Siti Aminah", "3", "002", "1007", "1")
    assert checked.ok, checked.errors
    assert checked.values["village_id"] == KOTA.by_code["3576011007"].village_id
    assert checked.values["birth_date"] == date(2008, 1, 1)  # from the NIK
    assert checked.values["sex"] == "P"  # from the NIK


@pytest.mark.parametrize(
    ("village", "kecamatan"),
    [
        ("Gunung Gedangan", ""),  # an alias
        ("GUNUNGGEDANGAN", ""),
        ("Kelurahan Gununggedangan", "Magersari"),
        ("35.76.02.1001", ""),
        ("3576021001", ""),
        ("1001", "35.76.02"),
        ("1001", "2"),
    ],
)
def test_a_village_by_name_alias_or_code(village, kecamatan):
    assert KOTA.resolve(village, kecamatan).code == "35.76.02.1001"


def test_every_village_of_both_offices_resolves_by_name_and_kecamatan():
    for places in (KOTA, KAB):
        for place in places.by_code.values():
            assert places.resolve(place.name, place.kecamatan_name) is place
            assert places.resolve(place.code) is place


def test_a_desa_name_two_kecamatan_share_needs_the_kecamatan():
    with pytest.raises(PlaceError) as refused:
        KAB.resolve("Sumberjati")
    assert "isi kolom kecamatan" in refused.value.message
    assert "Kec." in refused.value.message


@pytest.mark.parametrize(
    ("village", "kecamatan", "words"),
    [
        ("", "", "Isi kelurahan/desa"),
        ("Trowulan", "", "tidak ada di Kota Mojokerto"),  # a Kabupaten desa
        ("Surodinawan", "Kranggan", "tidak ada di Kecamatan Kranggan"),
        ("3516122001", "", "tidak ada di Kota Mojokerto"),
        ("Surodinawan", "Sooko", 'Kecamatan "Sooko" tidak ada'),
    ],
)
def test_a_village_that_is_not_this_offices(village, kecamatan, words):
    with pytest.raises(PlaceError) as refused:
        KOTA.resolve(village, kecamatan)
    assert words in refused.value.message


def test_place_names_fold():
    assert fold_place("Kel. Gunung  Gedangan") == fold_place("gununggedangan")
    assert fold_place("Desa Sumber Jati") == "sumberjati"


@pytest.mark.parametrize(
    ("nik", "numeric", "words"),
    [
        ("", False, "NIK kosong"),
        ("3,57601E+15", False, "tersimpan sebagai angka"),
        ("3576014101080000", True, "tersimpan sebagai angka"),
        ("357601410108", False, "16 angka"),
        ("9976014101080001", False, "kode provinsi"),
    ],
)
def test_nik_problems(nik, numeric, words):
    checked = row(
        SIAK,
        "1",
        nik,
        "Siti",
        "01-01-2008",
        "P",
        "",
        "03/02",
        "Surodinawan",
        numeric=["nik"] if numeric else [],
    )
    assert words in checked.errors["nik"]
    assert checked.nik is None
    assert checked.fingerprint is None
    assert NUMERIC_NIK.startswith("NIK ini tersimpan")


def test_a_valid_nik_with_another_error_still_names_the_person():
    checked = row(SIAK, "1", NIK, "", "01-01-2008", "P", "", "03/02", "Surodinawan")
    assert "full_name" in checked.errors
    assert checked.nik == NIK  # seen: not "gone"
    assert checked.fingerprint is None  # but not applied


@pytest.mark.parametrize(
    ("rt_rw", "expected"),
    [
        ("003/002", ("03", "02")),
        ("3 / 2", ("03", "02")),
        ("RT 03 RW 02", ("03", "02")),
        ("rt.3/rw.12", ("03", "12")),
    ],
)
def test_rt_rw_pairs(rt_rw, expected):
    checked = row(SIAK, "1", NIK, "Siti", "", "", "", rt_rw, "Surodinawan")
    assert (checked.values["rt"], checked.values["rw"]) == expected


@pytest.mark.parametrize(
    ("rt_rw", "field"), [("", "rt"), ("03", "rt"), ("03/0", "rw"), ("1234/02", "rt")]
)
def test_rt_rw_problems(rt_rw, field):
    checked = row(SIAK, "1", NIK, "Siti", "", "", "", rt_rw, "Surodinawan")
    assert field in checked.errors


def test_dates_and_sex_as_spreadsheets_write_them():
    checked = row(
        SIAK, "1", NIK, "Siti", "2008-01-01 00:00:00", "PEREMPUAN", "", "3/2", "Surodinawan"
    )
    assert checked.ok and checked.values["birth_date"] == date(2008, 1, 1)
    assert row(SIAK, "1", NIK, "Siti", "1 Januari 2008", "Wanita", "", "3/2", "Surodinawan").ok


def test_birth_date_or_sex_unlike_the_nik_is_a_note_not_an_error():
    checked = row(SIAK, "1", NIK, "Siti", "02-01-2008", "L", "", "3/2", "Surodinawan")
    assert checked.ok
    assert {w["code"] for w in checked.warnings} == {"birth_date_mismatch", "sex_mismatch"}
    assert checked.values["sex"] == "L"  # the office's record stands


def test_a_nik_from_elsewhere_is_not_questioned():
    elsewhere = "3516014101080001"  # first registered in the Kabupaten
    checked = row(SIAK, "1", elsewhere, "Siti", "", "", "", "3/2", "Surodinawan")
    assert checked.ok and checked.warnings == []


@pytest.mark.parametrize(
    ("birth", "sex", "field"),
    [("31-02-2008", "P", "birth_date"), ("01-01-2030", "P", "birth_date"), ("", "X", "sex")],
)
def test_birth_date_and_sex_problems(birth, sex, field):
    checked = row(SIAK, "1", NIK, "Siti", birth, sex, "", "3/2", "Surodinawan")
    assert field in checked.errors


def test_a_long_address_is_an_error():
    checked = row(SIAK, "1", NIK, "Siti", "", "", "x" * 301, "3/2", "Surodinawan")
    assert "address" in checked.errors


def test_the_fingerprint_ignores_spacing_and_case_but_not_a_move():
    base = row(SIAK, "1", NIK, "Siti Aminah", "", "", "Jl. Mawar 3", "3/2", "Surodinawan")
    spaced = row(
        SIAK, "1", NIK, "SITI  AMINAH", "", "", "jl.  mawar 3", "03/02", "Kel. Surodinawan"
    )
    moved = row(SIAK, "1", NIK, "Siti Aminah", "", "", "Jl. Mawar 3", "4/2", "Surodinawan")
    assert base.fingerprint == spaced.fingerprint
    assert base.fingerprint != moved.fingerprint

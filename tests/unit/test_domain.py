"""The shared rules of portal.domain and the web plumbing that reads input: one RT/RW rule,
one NIK-cleaning rule, typed forms, flash codes, pages, scope areas."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

import pytest
from litestar.datastructures import MultiDict, UploadFile

from portal.domain import vocabulary
from portal.domain.paging import Pager
from portal.domain.regions import ancestors, covers, overlaps
from portal.domain.rtrw import RtRwError, parse_rt_rw, read_rt_rw
from portal.domain.scope import Area
from portal.domain.search import nik_digits, search_problem
from portal.rules.nik import clean_nik, parse_nik
from portal.web.flash import flash_url
from portal.web.forms import Limit, Secret, parse, refill

NIK = "3576014101080001"


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("3", "03"),
        ("03", "03"),
        ("003", "03"),
        ("0012", "12"),
        (" 12 ", "12"),
        ("123", "123"),
        ("RT 3", "03"),
        ("rt.03", "03"),
        ("RW 002", "02"),
        ("Rt3", "03"),
        (7, "07"),
    ],
)
def test_one_rt_rw_rule_gives_one_canonical_form(raw, canonical):
    assert parse_rt_rw(raw) == canonical
    assert read_rt_rw(raw) == canonical


@pytest.mark.parametrize("raw", ["0", "000", "12a", "1234", "-1", "RT", "3/4", "٣"])
def test_rt_rw_that_is_not_a_number(raw):
    assert parse_rt_rw(raw) is None
    with pytest.raises(RtRwError) as refused:
        read_rt_rw(raw, "RW")
    assert "Nomor RW harus angka 1 sampai 999" in refused.value.message


def test_empty_rt_rw_is_none_not_an_error():
    assert parse_rt_rw("") is None and parse_rt_rw(None) is None
    assert read_rt_rw("  ") is None and read_rt_rw(None) is None


@pytest.mark.parametrize(
    "typed",
    [
        NIK,
        "3576 0141 0108 0001",
        "3576.0141.0108.0001",
        "3576-0141-0108-0001",
        "3576\u20100141\u20100108\u20100001",  # Unicode hyphen
        "3576\u20130141\u20130108\u20130001",  # en dash, as phones autocorrect "-"
        "3576\u22120141\u22120108\u22120001",  # minus sign
        "3576\u00a00141\u00a00108\u00a00001",  # no-break space
    ],
)
def test_one_nik_cleaning_rule_for_entry_and_search(typed):
    assert clean_nik(typed) == NIK
    assert parse_nik(typed).value == NIK
    assert nik_digits(typed) == NIK


def test_search_text_that_is_not_a_nik():
    assert nik_digits("Ani Rahayu") is None
    assert nik_digits("٣٥٧٦٠١") is None  # digits, but not the ASCII ones a NIK is made of
    assert nik_digits("0001") == "0001"
    assert search_problem("12") is not None and "minimal 4 angka" in search_problem("12")
    assert search_problem("0001") is None and search_problem("Ani") is None


@dataclass
class _Form:
    name: Annotated[str, Limit(5)] = ""
    password: Secret = ""
    agreed: bool = False
    village: int | None = None
    size: int = 50
    picked: list[str] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)


def test_forms_are_read_into_typed_values_and_never_fail():
    form = parse(
        _Form,
        MultiDict(
            [
                ("name", "  Ani Rahayu  "),
                ("password", " rahasia "),
                ("agreed", "on"),
                ("village", "12"),
                ("size", "x"),
                ("picked", "a"),
                ("ids", "3"),
                ("ids", "tiga"),
                ("name", " Budi "),
                ("unknown", "ignored"),
            ]
        ),
    )
    assert form == _Form("Budi", " rahasia ", True, 12, 50, ["a"], [3])
    assert parse(_Form, {}) == _Form()
    assert parse(_Form, {"agreed": "0", "village": "-1", "size": "0"}) == _Form(size=0)
    assert "password" not in refill(form) and refill(form)["name"] == "Budi"


@dataclass
class _UploadForm:
    note: str = ""
    berkas: UploadFile | None = None


def test_a_form_hands_over_the_file_chosen_and_none_for_an_empty_file_input():
    chosen = UploadFile(content_type="text/csv", filename="belum-rekam.csv", file_data=b"nik\n")
    empty = UploadFile(content_type="application/octet-stream", filename="", file_data=b"")
    form = parse(_UploadForm, MultiDict([("note", " x "), ("berkas", chosen)]))
    assert form.berkas is chosen and form.note == "x"
    assert parse(_UploadForm, MultiDict([("berkas", empty)])).berkas is None
    assert parse(_UploadForm, MultiDict([("berkas", "not a file")])).berkas is None
    assert parse(_UploadForm, {}).berkas is None


def test_flash_urls_carry_a_code_and_digits_only():
    assert flash_url("/akun", "sandi") == "/akun?pesan=sandi"
    assert flash_url("/x?a=1", "verifikasi", ok=3, lewat=0, evil="<b>") == (
        "/x?a=1&pesan=verifikasi&ok=3"
    )
    assert flash_url("/daftar", "tersimpan", anchor="tambah") == "/daftar?pesan=tersimpan#tambah"


def test_pager_keeps_the_page_inside_the_listing():
    assert Pager.of("2", 120) == Pager(2, 3, 120)
    assert Pager.of("99", 120).page == 3 and Pager.of("x", 120).page == 1
    assert Pager.of("", 0) == Pager(1, 1, 0)
    pager = Pager.of("3", 120)
    assert (pager.offset, pager.first, pager.last, pager.next, pager.previous) == (
        100,
        101,
        120,
        None,
        2,
    )


def test_an_area_compares_rt_rw_in_canonical_form():
    area = Area(kecamatan_id=1, village_id=7, rw="02", rt="03")
    assert area.holds(7, "2", "RT 3") and area.holds(7, "002", "03")
    assert not area.holds(7, "02", "04") and not area.holds(8, "02", "03")
    assert Area(1, 7, "02", None).holds(7, "02", "09")
    assert not Area(None, None, None, None).holds(7)


def test_region_codes_nest_by_whole_blocks():
    assert ancestors("35.76.01.1007") == ["35.76", "35.76.01", "35.76.01.1007"]
    assert covers("35.16", "35.16.13") and not covers("35.16.1", "35.16.13")
    assert overlaps("35.76.01.1007", "35.76.01") and not overlaps("35.76.02", "35.76.01")


def test_every_code_has_words_and_unknown_codes_show_as_stored():
    assert vocabulary.label("status", "perlu_perbaikan") == "Perlu perbaikan"
    assert vocabulary.label("session_kind", "kunjungan_rumah") == vocabulary.HOME_VISIT_TAG
    assert vocabulary.label("status", "lama") == "lama" and vocabulary.label("status", None) == ""
    assert set(vocabulary.STATUS_TONES) == set(vocabulary.STATUSES)
    assert {"diverifikasi", "dijadwalkan", "tidak_hadir"} == vocabulary.SCHEDULABLE_STATUSES
    assert set(vocabulary.STATUSES) - {"draft"} == vocabulary.SUBMITTED

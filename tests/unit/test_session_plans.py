"""The session form's plan fields read without a database: which kit and operators may be
chosen, when a kit is required, a school's target, and the school year."""

from __future__ import annotations

from datetime import date

import pytest

from portal.staff.session_plans import Choices, PlanInput, kit_label, kit_required, read_plan
from portal.staff.session_progress import PlanSummary, SchoolSummary, percent, school_year

KITS = [
    {"id": 1, "name": "Alat rekam keliling", "serial": "SN-1", "active": True},
    {"id": 2, "name": "Alat rekam lama", "serial": "", "active": False},  # the session's own
]
OPERATORS = [{"id": 7, "full_name": "Bu Rina", "active": True}]
OFFER = Choices(KITS, OPERATORS, has_kits=True)
TODAY = date(2026, 12, 3)


def read(kit="", operators=(), target="", kind="kelurahan", choices=OFFER, required=True):
    return read_plan(kit, list(operators), target, kind, choices, required)


def test_a_kit_on_offer_is_read():
    assert read("1") == (PlanInput(1, (), None), {})
    assert read("2") == (PlanInput(2, (), None), {})  # out of use, but the session had it


@pytest.mark.parametrize("kit", ["3", "x", "-1", "1.5"])
def test_a_kit_not_on_offer_is_refused(kit):
    plan, errors = read(kit)
    assert errors == {"kit": "Pilih alat rekam dari daftar"} and plan.kit_id is None


def test_a_missing_kit_is_refused_only_when_required():
    assert read("")[1] == {"kit": "Pilih alat rekam yang dipakai sesi ini"}
    assert read("", required=False) == (PlanInput(), {})


def test_operators_are_read_once_in_id_order_and_must_be_on_offer():
    offer = Choices(KITS, [*OPERATORS, {"id": 3, "full_name": "Pak Agus", "active": True}])
    assert read("1", ["7", "3", "7", ""], choices=offer)[0].operator_ids == (3, 7)
    assert read("1", ["9"])[1] == {"operators": "Pilih operator dari daftar"}
    assert read("1", ["abc"])[1] == {"operators": "Pilih operator dari daftar"}


@pytest.mark.parametrize(
    ("text", "number"), [("150", 150), ("1.423", 1423), (" 90 ", 90), ("10.000", 10_000)]
)
def test_a_school_target_is_a_whole_number(text, number):
    assert read("1", target=text, kind="sekolah") == (PlanInput(1, (), number), {})


@pytest.mark.parametrize("text", ["0", "10001", "banyak", "-5", "1,5"])
def test_a_school_target_out_of_range_is_refused(text):
    assert read("1", target=text, kind="sekolah")[1] == {
        "target_students": "Target siswa harus angka 1 sampai 10.000"
    }


def test_a_target_belongs_to_school_sessions_only():
    errors = read("1", target="40", kind="kelurahan")[1]
    assert errors == {
        "target_students": "Target siswa hanya untuk sesi jenis Sekolah; kosongkan kolom ini"
    }


def test_a_kit_is_required_for_new_and_coming_sessions_once_the_office_has_one():
    assert kit_required(OFFER, None, TODAY)
    assert kit_required(OFFER, TODAY, TODAY)
    assert not kit_required(OFFER, date(2026, 12, 2), TODAY)  # planned before the kits
    assert not kit_required(Choices(), None, TODAY)


def test_kit_labels_say_serial_and_out_of_use():
    assert kit_label(KITS[0]) == "Alat rekam keliling (no. seri SN-1)"
    assert kit_label(KITS[1]) == "Alat rekam lama – tidak dipakai lagi"
    assert OFFER.kit_options == [(1, kit_label(KITS[0])), (2, kit_label(KITS[1]))]


@pytest.mark.parametrize(
    ("day", "start", "end"),
    [
        (date(2025, 10, 6), date(2025, 7, 1), date(2026, 6, 30)),  # S000: October 2025
        (date(2024, 7, 19), date(2024, 7, 1), date(2025, 6, 30)),  # S001: 19 July 2024
        (date(2026, 6, 30), date(2025, 7, 1), date(2026, 6, 30)),
        (date(2026, 7, 1), date(2026, 7, 1), date(2027, 6, 30)),
    ],
)
def test_the_school_year_runs_july_to_june(day, start, end):
    assert school_year(day) == (start, end)


def test_recorded_counts_both_kinds_and_the_share_of_the_target():
    plan = PlanSummary(target=1423, walk_ins=100, from_lists=42)
    assert (plan.recorded, plan.percent) == (142, 10)
    assert PlanSummary(from_lists=3).percent is None  # no target, no share
    assert percent(0, 0) is None and percent(1, 3) == 33
    year = SchoolSummary(date(2025, 7, 1), date(2026, 6, 30), 9, 9, 1423, 712)
    assert (year.label, year.percent) == ("2025/2026", 50)

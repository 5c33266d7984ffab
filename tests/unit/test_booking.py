"""Recording kits and operators: two sessions at the same time cannot share one."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from portal.rules.booking import Booking, Slot, clash_message, find_clash, overlaps, slot_problem

MONDAY = date(2025, 10, 6)


def slot(start: int, end: int, day: date = MONDAY) -> Slot:
    return Slot(day, time(start), time(end))


SCHOOL = Booking(11, "SMAN 1 Kota Mojokerto", "Aula SMAN 1", slot(8, 12))
KELURAHAN = Booking(12, "Kelurahan Wates", "Kantor Kelurahan Wates", slot(13, 15))


@pytest.mark.parametrize(
    ("a", "b", "clash"),
    [
        (slot(8, 12), slot(11, 13), True),
        (slot(8, 12), slot(9, 10), True),  # inside
        (slot(9, 10), slot(8, 12), True),  # around
        (slot(8, 12), slot(8, 12), True),
        (slot(8, 10), slot(10, 12), False),  # back to back
        (slot(10, 12), slot(8, 10), False),
        (slot(8, 12), slot(8, 12, MONDAY + timedelta(days=1)), False),  # another day
    ],
)
def test_overlap_on_a_day(a, b, clash):
    assert overlaps(a, b) is clash
    assert overlaps(b, a) is clash


def test_a_gap_for_packing_up_makes_back_to_back_sessions_clash():
    assert overlaps(slot(8, 10), slot(10, 12), gap=timedelta(minutes=30))
    assert not overlaps(slot(8, 10), slot(11, 12), gap=timedelta(minutes=30))


def test_the_earliest_clash_is_named():
    found = find_clash(slot(7, 16), [KELURAHAN, SCHOOL])
    assert found is SCHOOL
    assert find_clash(slot(12, 13), [KELURAHAN, SCHOOL]) is None


def test_a_session_does_not_clash_with_itself_when_edited():
    assert find_clash(slot(9, 11), [SCHOOL], exclude_session=SCHOOL.session_id) is None


def test_the_message_names_the_clashing_session_day_and_hours():
    message = clash_message("kit", "Alat rekam 1", SCHOOL)
    assert message == (
        "Alat rekam “Alat rekam 1” sudah dipakai untuk sesi “SMAN 1 Kota Mojokerto” "
        "(Aula SMAN 1) pada Senin, 6 Oktober 2025, 08.00–12.00 WIB. "
        "Pilih alat rekam lain atau ubah jam sesi."
    )


def test_an_operator_clash_reads_as_duty():
    message = clash_message("operator", "Bu Dian", KELURAHAN)
    assert message.startswith("Operator “Bu Dian” sudah bertugas untuk sesi “Kelurahan Wates”")
    assert "13.00–15.00 WIB" in message


def test_a_place_equal_to_the_title_is_not_repeated():
    same = Booking(13, "MPP Gajah Mada", "MPP Gajah Mada", slot(8, 9))
    assert "(MPP Gajah Mada)" not in clash_message("kit", "Alat 2", same)


def test_a_session_must_end_after_it_starts():
    assert slot_problem(slot(10, 10)) == "Jam selesai harus sesudah jam mulai"
    assert slot_problem(slot(10, 9)) is not None
    assert slot_problem(slot(9, 10)) is None

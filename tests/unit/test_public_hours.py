"""Open now / opens at: weekdays, weekends, before and after hours, special days."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from portal.public.hours import (
    SpecialHours,
    WeeklyHours,
    intervals_on,
    open_status,
    weekly_table,
)
from portal.rules.dates import format_clock as clock

WIB = ZoneInfo("Asia/Jakarta")
# MPP Gajah Mada: Mon–Fri 08:00–14:00, Sat–Sun 08:00–11:00.
MPP = [WeeklyHours(d, time(8), time(14)) for d in range(5)] + [
    WeeklyHours(d, time(8), time(11)) for d in (5, 6)
]
OFFICE = [WeeklyHours(d, time(8), time(14)) for d in range(5)]  # closed at weekends
ELECTION = SpecialHours(
    date(2024, 11, 27), time(8), time(12), False, "Hari pemungutan suara Pilkada 2024."
)


def at(y, m, d, hh, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=WIB)


def test_open_during_hours_says_until_when():
    status = open_status(at(2026, 11, 25, 9, 30), MPP, [])  # a Wednesday
    assert status.is_open
    assert status.text == "Buka sekarang, sampai pukul 14.00 WIB"


def test_closing_minute_is_closed_and_points_to_tomorrow():
    status = open_status(at(2026, 11, 25, 14, 0), MPP, [])
    assert not status.is_open
    assert status.text == "Tutup sekarang. Buka besok pukul 08.00 WIB"


def test_before_opening_says_today():
    status = open_status(at(2026, 11, 25, 6, 45), MPP, [])
    assert status.text == "Tutup sekarang. Buka hari ini pukul 08.00 WIB"


def test_friday_evening_office_opens_on_monday_by_name():
    status = open_status(at(2026, 11, 27, 19, 0), OFFICE, [])  # Friday
    assert status.text == "Tutup sekarang. Buka Senin pukul 08.00 WIB"


def test_weekend_hours_are_shorter():
    assert open_status(at(2026, 11, 28, 10, 59), MPP, []).is_open  # Saturday
    assert not open_status(at(2026, 11, 28, 11, 0), MPP, []).is_open


def test_special_day_replaces_the_weekly_hours_and_carries_its_note():
    noon = open_status(at(2024, 11, 27, 12, 30), MPP, [ELECTION])  # a Wednesday
    assert not noon.is_open
    assert noon.special_note.startswith("Hari pemungutan suara")
    assert open_status(at(2024, 11, 27, 11, 0), MPP, [ELECTION]).text.endswith("12.00 WIB")


def test_closed_special_day_skips_to_the_next_open_day():
    holiday = SpecialHours(date(2026, 11, 26), None, None, True, "Libur")
    status = open_status(at(2026, 11, 25, 15, 0), OFFICE, [holiday])
    assert status.text == "Tutup sekarang. Buka Jumat pukul 08.00 WIB"


def test_unknown_hours_are_said_plainly():
    status = open_status(at(2026, 11, 25, 9), [], [])
    assert status.state == "unknown"
    assert "belum diketahui" in status.text


def test_far_away_opening_gives_the_date():
    only_special = [SpecialHours(date(2026, 12, 5), time(9), time(12), False, "")]
    status = open_status(at(2026, 11, 25, 9), [], only_special)
    assert status.text == "Tutup sekarang. Buka Sabtu, 5 Desember 2026 pukul 09.00 WIB"


def test_nothing_within_the_lookahead_is_not_a_made_up_time():
    far = [SpecialHours(date(2027, 3, 1), time(9), time(12), False, "")]
    assert "belum diketahui" in open_status(at(2026, 11, 25, 9), [], far).text


def test_intervals_and_weekly_table():
    assert [i.opens for i in intervals_on(date(2026, 11, 28), MPP, [])] == [time(8)]
    table = dict(weekly_table(OFFICE))
    assert table["Senin"] == "08.00–14.00 WIB"
    assert table["Minggu"] == "Tutup"
    assert clock(time(7, 5)) == "07.05"

"""Targets: IKD 25 % of wajib KTP and the monthly rate needed; figures per month."""

from __future__ import annotations

from datetime import date

import pytest

from portal.rules.targets import (
    month_figures,
    month_value,
    monthly_target,
    months_elapsed,
    months_left,
    per_month,
    rate_needed,
    target_problems,
    target_progress,
    yearly_target,
)

KOTA_WAJIB_KTP = 103_272  # S003, January 2023


def test_the_kota_target_from_the_source():
    yearly = yearly_target(KOTA_WAJIB_KTP, 25)
    assert yearly == 25_818  # "25 ribu lebih" a year
    assert monthly_target(yearly) == 2_152  # "dua ribu lebih" a month, about 2,150
    assert monthly_target(yearly) * 12 >= yearly


def test_targets_round_up():
    assert yearly_target(10, 25) == 3
    assert monthly_target(13) == 2
    assert yearly_target(0) == 0


def test_months_left_counts_the_current_month():
    assert months_left(2023, date(2023, 1, 31)) == 12
    assert months_left(2023, date(2023, 12, 1)) == 1
    assert months_left(2023, date(2022, 6, 1)) == 12
    assert months_left(2023, date(2024, 1, 1)) == 0
    assert months_elapsed(2023, date(2023, 7, 15)) == 6


def test_the_rate_needed_spreads_what_is_left_over_the_months_left():
    assert rate_needed(25_818, 0, 2023, date(2023, 1, 15)) == 2_152
    # Behind after half a year: 15,818 left over 6 months.
    assert rate_needed(25_818, 10_000, 2023, date(2023, 7, 1)) == 2_637
    assert rate_needed(25_818, 26_000, 2023, date(2023, 7, 1)) == 0
    # After the year, what was missed.
    assert rate_needed(25_818, 25_000, 2023, date(2024, 2, 1)) == 818


def test_progress_knows_whether_the_office_is_on_track():
    behind = target_progress(KOTA_WAJIB_KTP, 25, [2_000] * 6, 2023, date(2023, 7, 10))
    assert behind.done == 12_000
    assert behind.expected_by_now == 2_152 * 6
    assert not behind.on_track
    assert behind.remaining == 13_818
    assert behind.needed_per_month == 2_303
    assert behind.share_done == pytest.approx(0.4648, abs=0.0001)
    ahead = target_progress(KOTA_WAJIB_KTP, 25, [2_200] * 6, 2023, date(2023, 7, 10))
    assert ahead.on_track


def test_per_month_counts_every_month_of_the_year():
    days = [date(2023, 1, 5), date(2023, 1, 31), date(2023, 3, 1), date(2022, 12, 31)]
    counts = per_month(days, 2023)
    assert len(counts) == 12
    assert counts[date(2023, 1, 1)] == 2
    assert counts[date(2023, 2, 1)] == 0
    assert counts[date(2023, 3, 1)] == 1
    assert sum(counts.values()) == 3


def test_an_entered_office_total_wins_over_the_portals_count():
    assert month_value(40, None) == 40
    assert month_value(40, 2_100) == 2_100
    assert month_value(40, 0) == 0  # an entered zero is a zero, not "not entered"


def test_month_figures_stop_at_the_current_month():
    jan, feb = date(2023, 1, 1), date(2023, 2, 1)
    rows = month_figures(
        2023,
        date(2023, 2, 14),
        ikd_counted={jan: 30, feb: 12},
        recordings_counted={jan: 80},
        ikd_reported={jan: 2_050},
    )
    assert [r.month for r in rows] == [jan, feb]
    assert (rows[0].ikd, rows[0].ikd_reported) == (2_050, True)
    assert (rows[1].ikd, rows[1].ikd_reported) == (12, False)
    assert (rows[0].recordings, rows[1].recordings) == (80, 0)


def test_a_target_typed_in_is_checked_field_by_field():
    today = date(2025, 10, 1)
    assert target_problems(2025, KOTA_WAJIB_KTP, 25, today) == {}
    errors = target_problems(1999, 0, 120, today)
    assert set(errors) == {"year", "wajib_ktp", "ikd_percent"}
    assert target_problems(None, None, None, today).keys() == errors.keys()

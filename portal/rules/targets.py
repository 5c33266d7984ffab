"""Targets: IKD (digital ID) activations as a share of the wajib KTP population, the monthly
rate still needed to reach it, and figures per month.

Kota Mojokerto, January 2023 (S003): IKD for 25 % of its 103,272 wajib KTP, that is 25,818 a
year, "dua ribu lebih" a month (25,818 / 12 = 2,151.5, so 2,152 a month reaches the year).
The same article's "25 ribu per bulan" is a slip for the yearly figure (domain.md §5).

A month's figure is the office's own total when staff entered one (SIAK counts every
counter), else what the portal counted itself (its coordinator lists and sessions).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

DEFAULT_IKD_PERCENT = 25
MONTHS = 12
EARLIEST_YEAR = 2011  # recording began in 2011 (S002)
MAX_WAJIB_KTP = 10_000_000


def ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def yearly_target(wajib_ktp: int, percent: int = DEFAULT_IKD_PERCENT) -> int:
    """IKD activations a year: ``percent`` of wajib KTP, rounded up (103,272 → 25,818)."""
    return ceil_div(max(wajib_ktp, 0) * percent, 100)


def monthly_target(yearly: int) -> int:
    """An even share per month, rounded up so twelve of them reach the year."""
    return ceil_div(max(yearly, 0), MONTHS)


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_starts(year: int) -> list[date]:
    return [date(year, month, 1) for month in range(1, MONTHS + 1)]


def months_left(year: int, today: date) -> int:
    """Months of ``year`` still to come, the current one included: 12 before the year,
    0 after it."""
    if today.year < year:
        return MONTHS
    if today.year > year:
        return 0
    return MONTHS - today.month + 1


def months_elapsed(year: int, today: date) -> int:
    """Months of ``year`` that have fully passed."""
    return MONTHS - months_left(year, today)


def rate_needed(yearly: int, done: int, year: int, today: date) -> int:
    """Activations a month still needed, from this month on, to reach ``yearly``: what is
    left spread over the months left, rounded up. After the year: what was missed."""
    remaining = max(yearly - done, 0)
    left = months_left(year, today)
    return remaining if left == 0 else ceil_div(remaining, left)


def per_month(days: Iterable[date], year: int) -> dict[date, int]:
    """How many of ``days`` fall in each month of ``year`` (every month present)."""
    counts = Counter(month_start(d) for d in days if d.year == year)
    return {month: counts.get(month, 0) for month in month_starts(year)}


def month_value(counted: int, reported: int | None) -> int:
    """The office's own total when entered, else what the portal counted."""
    return counted if reported is None else reported


@dataclass(frozen=True, slots=True)
class MonthFigures:
    month: date
    ikd: int
    recordings: int
    ikd_reported: bool  # True when the IKD figure is the office's own total
    recordings_reported: bool


def month_figures(
    year: int,
    today: date,
    *,
    ikd_counted: Mapping[date, int],
    recordings_counted: Mapping[date, int],
    ikd_reported: Mapping[date, int | None] | None = None,
    recordings_reported: Mapping[date, int | None] | None = None,
) -> list[MonthFigures]:
    """One row per month of ``year`` up to the current month: the table beside the chart."""
    ikd_reported = ikd_reported or {}
    recordings_reported = recordings_reported or {}
    rows = []
    for month in month_starts(year):
        if month > month_start(today):
            break
        ikd_entry = ikd_reported.get(month)
        rec_entry = recordings_reported.get(month)
        rows.append(
            MonthFigures(
                month=month,
                ikd=month_value(ikd_counted.get(month, 0), ikd_entry),
                recordings=month_value(recordings_counted.get(month, 0), rec_entry),
                ikd_reported=ikd_entry is not None,
                recordings_reported=rec_entry is not None,
            )
        )
    return rows


@dataclass(frozen=True, slots=True)
class TargetProgress:
    year: int
    wajib_ktp: int
    percent: int
    yearly: int
    monthly: int
    done: int
    needed_per_month: int
    expected_by_now: int  # the even share of the months that have passed

    @property
    def remaining(self) -> int:
        return max(self.yearly - self.done, 0)

    @property
    def share_done(self) -> float:
        return self.done / self.yearly if self.yearly else 0.0

    @property
    def on_track(self) -> bool:
        return self.done >= self.expected_by_now


def target_progress(
    wajib_ktp: int, percent: int, done_by_month: Iterable[int], year: int, today: date
) -> TargetProgress:
    yearly = yearly_target(wajib_ktp, percent)
    done = sum(done_by_month)
    monthly = monthly_target(yearly)
    return TargetProgress(
        year=year,
        wajib_ktp=wajib_ktp,
        percent=percent,
        yearly=yearly,
        monthly=monthly,
        done=done,
        needed_per_month=rate_needed(yearly, done, year, today),
        expected_by_now=min(yearly, monthly * months_elapsed(year, today)),
    )


def target_problems(
    year: int | None, wajib_ktp: int | None, percent: int | None, today: date
) -> dict[str, str]:
    """What is wrong with a target typed in, by field; empty when it can be saved."""
    errors: dict[str, str] = {}
    if year is None or not EARLIEST_YEAR <= year <= today.year + 1:
        errors["year"] = f"Tahun harus {EARLIEST_YEAR} sampai {today.year + 1}"
    if wajib_ktp is None or not 0 < wajib_ktp <= MAX_WAJIB_KTP:
        errors["wajib_ktp"] = "Isi jumlah wajib KTP, misalnya 103.272"
    if percent is None or not 0 < percent <= 100:
        errors["ikd_percent"] = "Persentase target IKD harus 1 sampai 100"
    return errors

"""Targets per office and year and the figures against them: the one query behind the
staff targets page, the staff dashboard's panel and the public /capaian page, so the three
never disagree. Aggregates only: counts per office and month, never a person.

A month's figure is the office's own total when staff entered one (``office_month_tally``:
SIAK counts every counter, which the portal cannot see), else what the portal counted:
IKD = card states activated that month (by the portal's wall clock), recordings =
residents recorded that month plus the walk-ins recorded at that month's sessions.
The rules (targets, the rate still needed) are in ``portal.rules.targets``; the charts use
the public pages' bar geometry (``portal.public.chart``, pure).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from piccolo.query.functions.aggregate import Count

from portal.domain.regions import OfficeRef
from portal.public.chart import BarChart, Series, bar_chart
from portal.rules.dates import MONTHS_ID
from portal.rules.targets import (
    MonthFigures,
    TargetProgress,
    month_figures,
    month_start,
    month_starts,
    target_progress,
)
from portal.settings import get_settings
from portal.tables.cards import CardState
from portal.tables.kits import SessionPlan
from portal.tables.residents import Resident
from portal.tables.targets import OfficeMonthTally, OfficeTarget

PROGRESS_SERIES = (
    Series("target", "Target setahun"),
    Series("expected", "Seharusnya sampai bulan lalu"),
    Series("done", "Sudah diaktifkan"),
)
MONTH_SERIES = (
    Series("ikd", "IKD diaktifkan"),
    Series("target", "Target IKD sebulan"),
    Series("recordings", "Perekaman"),
)

PerMonth = dict[int, dict[date, int]]  # office id → month → count


@dataclass(frozen=True)
class TargetView:
    office: OfficeRef
    year: int
    target: dict[str, Any] | None  # the office_target row; None: no target set
    months: list[MonthFigures]  # January up to this month
    progress: TargetProgress | None

    @property
    def ikd_done(self) -> int:
        return sum(m.ikd for m in self.months)

    @property
    def recordings_done(self) -> int:
        return sum(m.recordings for m in self.months)

    @property
    def any_reported(self) -> bool:
        return any(m.ikd_reported or m.recordings_reported for m in self.months)

    @property
    def progress_chart(self) -> BarChart | None:
        """The year at a glance: the target, where the even pace says it should be, and
        where it is."""
        if self.progress is None:
            return None
        p = self.progress
        values = {"target": p.yearly, "expected": p.expected_by_now, "done": p.done}
        return bar_chart([(f"IKD {self.year}", values)], PROGRESS_SERIES)

    @property
    def months_chart(self) -> BarChart:
        monthly = self.progress.monthly if self.progress else 0
        rows = [
            (
                month_label(m.month),
                {"ikd": m.ikd, "target": monthly, "recordings": m.recordings},
            )
            for m in self.months
        ]
        series = MONTH_SERIES if self.progress else (MONTH_SERIES[0], MONTH_SERIES[2])
        return bar_chart(rows, series)


def month_label(month: date) -> str:
    return f"{MONTHS_ID[month.month - 1]} {month.year}"


def _boundary(day: date) -> datetime:
    """Midnight at the start of ``day`` on the portal's wall clock."""
    return datetime(day.year, day.month, day.day, tzinfo=get_settings().zone)


def _next_month(month: date) -> date:
    return date(month.year + 1, 1, 1) if month.month == 12 else date(month.year, month.month + 1, 1)


async def ikd_counted(office_ids: list[int], months: list[date]) -> PerMonth:
    """Activations per office in each month: one indexed range count per month."""
    counted: PerMonth = defaultdict(dict)
    for month in months:
        rows = (
            await CardState.select(CardState.office, Count(alias="n"))
            .where(
                CardState.office.is_in(office_ids),
                CardState.ikd_activated_at >= _boundary(month),
                CardState.ikd_activated_at < _boundary(_next_month(month)),
            )
            .group_by(CardState.office)
        )
        for row in rows:
            counted[row["office"]][month] = row["n"]
    return counted


async def recordings_counted(office_ids: list[int], year: int) -> PerMonth:
    """Residents recorded per office and month, plus walk-ins at that month's sessions."""
    first, after = date(year, 1, 1), date(year + 1, 1, 1)
    counted: PerMonth = defaultdict(lambda: defaultdict(int))
    rows = (
        await Resident.select(Resident.office, Resident.recorded_on, Count(alias="n"))
        .where(
            Resident.office.is_in(office_ids),
            Resident.status == "sudah_rekam",
            Resident.recorded_on >= first,
            Resident.recorded_on < after,
        )
        .group_by(Resident.office, Resident.recorded_on)
    )
    for row in rows:
        counted[row["office"]][month_start(row["recorded_on"])] += row["n"]
    session: Any = SessionPlan.session
    walk_ins = await SessionPlan.select(
        SessionPlan.walk_in_recorded,
        session._.office.as_alias("office"),
        session._.day.as_alias("day"),
    ).where(
        SessionPlan.walk_in_recorded > 0,
        session._.office.is_in(office_ids),
        session._.cancelled.eq(False),
        session._.day >= first,
        session._.day < after,
    )
    for row in walk_ins:
        counted[row["office"]][month_start(row["day"])] += row["walk_in_recorded"]
    return counted


async def target_views(offices: list[OfficeRef], year: int, today: date) -> list[TargetView]:
    """Each office's target for ``year`` and its figures per month up to ``today``."""
    ids = [o.id for o in offices] or [-1]
    months = [m for m in month_starts(year) if m <= month_start(today)]
    targets = {
        row["office"]: row
        for row in await OfficeTarget.select().where(
            OfficeTarget.office.is_in(ids), OfficeTarget.year == year
        )
    }
    tallies: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in await OfficeMonthTally.select().where(
        OfficeMonthTally.office.is_in(ids),
        OfficeMonthTally.month >= date(year, 1, 1),
        OfficeMonthTally.month < date(year + 1, 1, 1),
    ):
        tallies[row["office"]].append(row)
    ikd = await ikd_counted(ids, months)
    recordings = await recordings_counted(ids, year)
    views = []
    for office in offices:
        entered = tallies.get(office.id, [])
        figures = month_figures(
            year,
            today,
            ikd_counted=ikd.get(office.id, {}),
            recordings_counted=recordings.get(office.id, {}),
            ikd_reported={t["month"]: t["ikd_activations"] for t in entered},
            recordings_reported={t["month"]: t["recordings"] for t in entered},
        )
        target = targets.get(office.id)
        progress = None
        if target is not None:
            progress = target_progress(
                target["wajib_ktp"], target["ikd_percent"], [m.ikd for m in figures], year, today
            )
        views.append(TargetView(office, year, target, figures, progress))
    return views

"""The targets view the staff pages and /capaian share: totals over the months, and the
charts' bars (the public bar geometry) with the figures they show."""

from __future__ import annotations

from datetime import date

from portal.domain.regions import OfficeRef
from portal.domain.targets import TargetView, month_label
from portal.rules.targets import month_figures, target_progress

KOTA = OfficeRef(1, "kota", "Kota Mojokerto", "Kota Mojokerto", "35.76", "3576", 16, 0)
TODAY = date(2026, 3, 15)


def view(with_target: bool = True) -> TargetView:
    months = month_figures(
        2026,
        TODAY,
        ikd_counted={date(2026, 1, 1): 10, date(2026, 3, 1): 4},
        recordings_counted={date(2026, 2, 1): 7},
        ikd_reported={date(2026, 2, 1): 2_000},
    )
    progress = (
        target_progress(103_272, 25, [m.ikd for m in months], 2026, TODAY) if with_target else None
    )
    target = {"wajib_ktp": 103_272, "ikd_percent": 25} if with_target else None
    return TargetView(KOTA, 2026, target, months, progress)


def test_totals_are_the_months_with_the_offices_own_figures_in_place():
    v = view()
    assert [m.ikd for m in v.months] == [10, 2_000, 4]
    assert v.ikd_done == 2_014 == v.progress.done
    assert v.recordings_done == 7
    assert v.any_reported


def test_the_year_chart_shows_the_target_the_pace_and_what_was_done():
    chart = view().progress_chart
    [group] = chart.groups
    assert group.label == "IKD 2026"
    values = {b.series: b.value for b in group.bars}
    assert values == {"target": 25_818, "expected": 2 * 2_152, "done": 2_014}
    widths = {b.series: b.width for b in group.bars}
    assert widths["target"] > widths["expected"] > widths["done"] > 0


def test_the_month_chart_has_a_group_per_month_and_no_target_bar_without_a_target():
    with_target = view().months_chart
    assert [g.label for g in with_target.groups] == [
        "Januari 2026",
        "Februari 2026",
        "Maret 2026",
    ]
    assert [s.key for s in with_target.series] == ["ikd", "target", "recordings"]
    without = view(with_target=False)
    assert without.progress_chart is None
    assert [s.key for s in without.months_chart.series] == ["ikd", "recordings"]
    assert month_label(date(2026, 12, 1)) == "Desember 2026"

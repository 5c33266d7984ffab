"""Capaian: counts per office, kecamatan and kelurahan/desa from coordinators' submitted
lists, plus figures the offices or the press published, each with its source and date.
Aggregates only: the query behind it never reads a name or NIK."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from piccolo.query.functions.aggregate import Count

from portal.clock import today_local
from portal.domain import regions
from portal.domain.regions import KecamatanRef, OfficeRef, VillageRef
from portal.domain.targets import TargetView, target_views
from portal.domain.vocabulary import RECORDED, REJECTED, SCHEDULED, SUBMITTED
from portal.public.chart import BarChart, Series, bar_chart
from portal.tables.content import PublishedFigure
from portal.tables.residents import Resident

SERIES = (
    Series("reported", "Dilaporkan"),
    Series("scheduled", "Dijadwalkan"),
    Series("recorded", "Sudah rekam"),
)
# Rows a coordinator reported twice, or that staff refused, are not "reported" people.
COUNTED = sorted(SUBMITTED - REJECTED)


async def resident_counts() -> dict[int, Counter[str]]:
    """{village id: Counter(reported, scheduled, recorded)} over residents of submitted
    lists. The query returns counts only: no name, NIK or id of a resident is read."""
    rows = await (
        Resident.select(Resident.village, Resident.status, Count(Resident.id, alias="n"))
        .where(Resident.resident_list.state == "submitted", Resident.status.is_in(COUNTED))
        .group_by(Resident.village, Resident.status)
    )
    counts: dict[int, Counter[str]] = {}
    for row in rows:
        status, n = row["status"], int(row["n"])
        village = counts.setdefault(row["village"], Counter())
        village["reported"] += n
        if status in SCHEDULED:
            village["scheduled"] += n
        elif status in RECORDED:
            village["recorded"] += n
    return counts


@dataclass(frozen=True, slots=True)
class VillageCount:
    village: VillageRef
    counts: Counter[str]


@dataclass(frozen=True, slots=True)
class KecamatanCount:
    kecamatan: KecamatanRef
    counts: Counter[str]
    villages: list[VillageCount]


@dataclass(frozen=True, slots=True)
class OfficeProgress:
    office: OfficeRef
    rows: list[KecamatanCount]
    total: Counter[str]
    chart: BarChart
    figures: list[dict[str, Any]]
    target: TargetView | None = None  # this year's IKD target and figures per month


def _office(
    office: OfficeRef,
    kecamatan: list[KecamatanRef],
    counts: dict[int, Counter[str]],
    figures: list[dict[str, Any]],
    target: TargetView | None = None,
) -> OfficeProgress:
    rows = []
    total: Counter[str] = Counter()
    for kec in kecamatan:
        villages = [VillageCount(v, counts[v.id]) for v in kec.villages if v.id in counts]
        if villages:
            kec_total: Counter[str] = sum((v.counts for v in villages), Counter())
            total += kec_total
            rows.append(KecamatanCount(kec, kec_total, villages))
    return OfficeProgress(
        office=office,
        rows=rows,
        total=total,
        chart=bar_chart([(r.kecamatan.name, dict(r.counts)) for r in rows], SERIES),
        figures=[f for f in figures if f["office"] == office.id],
        target=target,
    )


async def progress() -> list[OfficeProgress]:
    tree = await regions.region_tree()
    counts = await resident_counts()
    figures = (
        await PublishedFigure.select()
        .order_by(PublishedFigure.office)
        .order_by(PublishedFigure.as_of)
        .order_by(PublishedFigure.position)
    )
    today = today_local()
    targets = {t.office.id: t for t in await target_views(list(tree.offices), today.year, today)}
    return [
        _office(o, tree.kecamatan_of(o.id), counts, figures, targets.get(o.id))
        for o in tree.offices
    ]

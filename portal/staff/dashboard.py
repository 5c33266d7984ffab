"""Progress per kecamatan and kelurahan/desa, recordings per week, upcoming sessions and the
oldest submissions nobody has handled yet."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Set
from dataclasses import dataclass, field
from datetime import date, timedelta

from piccolo.query.functions.aggregate import Count

from portal.domain.regions import KecamatanRef, RegionTree, region_tree
from portal.domain.scope import Scope
from portal.domain.vocabulary import (
    NOT_YET_CHECKED,
    RECORDED,
    REJECTED,
    SCHEDULED,
    SUBMITTED,
    VERIFIED,
    WAITING_FOR_SESSION,
)
from portal.rules.dates import MONTHS_ID
from portal.settings import get_settings
from portal.staff.charts import Chart, column_bars, fill_bar, stacked_bars
from portal.staff.scheduling import upcoming_sessions
from portal.tables.residents import Resident

# Dashboard columns, each a group of current statuses, with their headings.
COLUMNS = {
    "reported": ("Dilaporkan", SUBMITTED),
    "verified": ("Lolos verifikasi", VERIFIED),
    "scheduled": ("Dijadwalkan", SCHEDULED),
    "recorded": ("Sudah rekam", RECORDED),
    "rejected": ("Ditolak/duplikat", REJECTED),
}
COLUMN_HEADS = [(label, "num") for label, _ in COLUMNS.values()]
# Chart segments, in the order a resident moves through them.
SEGMENTS = (
    ("seg-recorded", "Sudah rekam", RECORDED),
    ("seg-scheduled", "Dijadwalkan", SCHEDULED),
    ("seg-waiting", "Menunggu jadwal", WAITING_FOR_SESSION),
    ("seg-new", "Belum diverifikasi", NOT_YET_CHECKED),
    ("seg-rejected", "Ditolak/duplikat", REJECTED),
)
WEEKS = 12


@dataclass
class Tally:
    code: str
    name: str
    by_status: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def column(self, key: str) -> int:
        return self.segment(COLUMNS[key][1])

    def segment(self, statuses: Set[str]) -> int:
        return sum(self.by_status.get(s, 0) for s in statuses)


async def progress(access: Scope, regions: RegionTree) -> tuple[list[Tally], dict]:
    """Tallies per kecamatan, and per village keyed by kecamatan code."""
    rows = (
        await Resident.select(
            Resident.kecamatan, Resident.village, Resident.status, Count(alias="n")
        )
        .where(access.office_where(Resident.office), Resident.status != "draft")
        .group_by(Resident.kecamatan, Resident.village, Resident.status)
    )
    kec_tally = {k.id: Tally(k.code, k.name) for k in regions.kecamatan}
    village_tally = {v.id: Tally(v.code, v.name) for k in regions.kecamatan for v in k.villages}
    for row in rows:
        if row["kecamatan"] in kec_tally:
            kec_tally[row["kecamatan"]].by_status[row["status"]] += row["n"]
        if row["village"] in village_tally:
            village_tally[row["village"]].by_status[row["status"]] += row["n"]
    villages = {k.code: [village_tally[v.id] for v in k.villages] for k in regions.kecamatan}
    return list(kec_tally.values()), villages


def total(tallies: list[Tally]) -> Tally:
    whole = Tally("", "Jumlah")
    for tally in tallies:
        for status, n in tally.by_status.items():
            whole.by_status[status] += n
    return whole


def progress_chart(tallies: list[Tally]) -> Chart:
    return stacked_bars(
        [
            (t.name, [(css, label, t.segment(statuses)) for css, label, statuses in SEGMENTS])
            for t in tallies
        ]
    )


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


async def recorded_per_week(access: Scope, today: date) -> list[tuple[date, int]]:
    first = week_start(today) - timedelta(weeks=WEEKS - 1)
    rows = (
        await Resident.select(Resident.recorded_on, Count(alias="n"))
        .where(
            access.office_where(Resident.office),
            Resident.status == "sudah_rekam",
            Resident.recorded_on >= first,
        )
        .group_by(Resident.recorded_on)
    )
    weeks = {first + timedelta(weeks=i): 0 for i in range(WEEKS)}
    for row in rows:
        start = week_start(row["recorded_on"])
        if start in weeks:
            weeks[start] += row["n"]
    return sorted(weeks.items())


def week_label(start: date) -> str:
    return f"{start.day} {MONTHS_ID[start.month - 1][:3]}"


def weekly_chart(weeks: list[tuple[date, int]]) -> Chart:
    return column_bars([(week_label(start), n) for start, n in weeks])


async def oldest_unhandled(access: Scope, today: date, limit: int = 10) -> list[dict]:
    village = Resident.village._.name.as_alias("village_name")
    columns = (Resident.id, Resident.full_name, Resident.category, Resident.submitted_at, village)
    rows = (
        await Resident.select(*columns)
        .where(access.office_where(Resident.office), Resident.status == "diterima")
        .order_by(Resident.submitted_at)
        .order_by(Resident.id)
        .limit(limit)
    )
    zone = get_settings().zone
    for row in rows:
        sent = row["submitted_at"]
        row["waited"] = (today - sent.astimezone(zone).date()).days if sent else 0
    return rows


@dataclass
class Overview:
    whole: Tally  # every kecamatan together
    kecamatan: list[Tally]
    progress_chart: Chart
    chosen: KecamatanRef | None  # the kecamatan drilled into
    villages: list[Tally]  # of the chosen kecamatan
    village_chart: Chart | None
    weeks: list[tuple[date, int]]
    weekly_chart: Chart
    sessions: list[dict]  # the next ones, with how full each is
    oldest: list[dict]


async def overview(access: Scope, kecamatan_code: str, today: date) -> Overview:
    regions = await region_tree(access.listing_ids)
    kecamatan, villages_of = await progress(access, regions)
    chosen = regions.kecamatan_by_code(kecamatan_code)
    villages = villages_of.get(chosen.code, []) if chosen else []
    weeks = await recorded_per_week(access, today)
    sessions = await upcoming_sessions(access.listing_ids, today, limit=8)
    for session in sessions:
        session["fill"] = fill_bar(session["booked"], session["capacity"])
    return Overview(
        whole=total(kecamatan),
        kecamatan=kecamatan,
        progress_chart=progress_chart(kecamatan),
        chosen=chosen,
        villages=villages,
        village_chart=progress_chart(villages) if chosen else None,
        weeks=weeks,
        weekly_chart=weekly_chart(weeks),
        sessions=sessions,
        oldest=await oldest_unhandled(access, today),
    )

"""Progress per kecamatan and kelurahan/desa, recordings per week, upcoming sessions and the
oldest submissions nobody has handled yet."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from piccolo.query.functions.aggregate import Count

from portal.rules.dates import MONTHS_ID
from portal.staff.charts import Chart, column_bars, stacked_bars
from portal.staff.regions import Regions
from portal.staff.scheduling import upcoming_sessions
from portal.tables.residents import Resident

# Dashboard columns: each is a set of current statuses.
COLUMNS = {
    "reported": None,  # every submitted resident
    "verified": {"diverifikasi", "dijadwalkan", "tidak_hadir", "sudah_rekam"},
    "scheduled": {"dijadwalkan"},
    "recorded": {"sudah_rekam"},
    "rejected": {"ditolak", "duplikat"},
}
COLUMN_LABELS = {
    "reported": "Dilaporkan",
    "verified": "Lolos verifikasi",
    "scheduled": "Dijadwalkan",
    "recorded": "Sudah rekam",
    "rejected": "Ditolak/duplikat",
}
# Chart segments, in the order a resident moves through them.
SEGMENTS = (
    ("seg-recorded", "Sudah rekam", {"sudah_rekam"}),
    ("seg-scheduled", "Dijadwalkan", {"dijadwalkan"}),
    ("seg-waiting", "Menunggu jadwal", {"diverifikasi", "tidak_hadir"}),
    ("seg-new", "Belum diverifikasi", {"diterima", "perlu_perbaikan"}),
    ("seg-rejected", "Ditolak/duplikat", {"ditolak", "duplikat"}),
)
WEEKS = 12


@dataclass
class Tally:
    code: str
    name: str
    by_status: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def column(self, key: str) -> int:
        statuses = COLUMNS[key]
        if statuses is None:
            return sum(self.by_status.values())
        return sum(self.by_status.get(s, 0) for s in statuses)

    def segment(self, statuses: set[str]) -> int:
        return sum(self.by_status.get(s, 0) for s in statuses)


async def progress(office_ids: list[int], regions: Regions) -> tuple[list[Tally], dict]:
    """Tallies per kecamatan, and per village keyed by kecamatan code."""
    rows = (
        await Resident.select(
            Resident.kecamatan, Resident.village, Resident.status, Count(alias="n")
        )
        .where(Resident.office.is_in(office_ids), Resident.status != "draft")
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


async def recorded_per_week(office_ids: list[int], today: date) -> list[tuple[date, int]]:
    first = week_start(today) - timedelta(weeks=WEEKS - 1)
    rows = (
        await Resident.select(Resident.recorded_on, Count(alias="n"))
        .where(
            Resident.office.is_in(office_ids),
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


async def oldest_unhandled(office_ids: list[int], limit: int = 10) -> list[dict]:
    return (
        await Resident.select(
            Resident.id,
            Resident.full_name,
            Resident.category,
            Resident.submitted_at,
            Resident.village.name.as_alias("village_name"),
        )
        .where(Resident.office.is_in(office_ids), Resident.status == "diterima")
        .order_by(Resident.submitted_at)
        .order_by(Resident.id)
        .limit(limit)
    )


async def upcoming(office_ids: list[int], today: date, limit: int = 8) -> list[dict]:
    return (await upcoming_sessions(office_ids, today))[:limit]

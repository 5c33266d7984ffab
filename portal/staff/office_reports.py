"""Reports from coordinators for the office's own records ("Laporan dari RT"): people of the
office's list found moved, dead, unknown, in an empty house, or recorded elsewhere.

The portal records the report and that staff took it into their records; it changes no
civil record (a move or a death is for the office to process in SIAK). Listing, handling
and exporting are scoped to the office, version-checked and audited; the export reveals
full NIKs and says so in its audit line (``office_person_ids``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import Any, ClassVar

from piccolo.query.functions.aggregate import Count

from portal.domain import audit, vocabulary
from portal.domain.errors import Conflict, Invalid, NotFound
from portal.domain.paging import Pager
from portal.domain.regions import RegionTree, region_tree
from portal.domain.scope import Scope
from portal.domain.search import search_problem, search_where
from portal.domain.transactions import write_transaction
from portal.domain.versioned import update_each
from portal.domain.vocabulary import OFFICE_REPORT_OUTCOMES
from portal.rules.nik import mask_nik
from portal.settings import get_settings
from portal.staff.exports import CSV_TYPE, IDENTITY_HEADERS, Export, csv_bytes, identity_cells
from portal.staff.triage import parse_items
from portal.tables.office_lists import OfficePerson

STATUSES = {"belum": "Belum diproses", "sudah": "Sudah diproses", "semua": "Semua"}
# Outcomes in the order of the vocabulary, "tinggal" left out (it makes a resident).
OUTCOMES = [(code, words) for code, words in vocabulary.OFFICE_OUTCOMES.items()]
REPORT_OUTCOMES = [(c, w) for c, w in OUTCOMES if c in OFFICE_REPORT_OUTCOMES]
# Handling stays one transaction; more than a page or two at once is narrowed first.
HANDLE_MAX = 500
EXPORT_MAX = 20_000
NAMES_IN_MESSAGE = 3

COLUMNS = [
    OfficePerson.id,
    OfficePerson.version,
    OfficePerson.full_name,
    OfficePerson.nik,
    OfficePerson.birth_date,
    OfficePerson.sex,
    OfficePerson.address,
    OfficePerson.rw,
    OfficePerson.rt,
    OfficePerson.outcome,
    OfficePerson.outcome_detail,
    OfficePerson.outcome_note,
    OfficePerson.outcome_at,
    OfficePerson.handled_at,
    OfficePerson.gone_import,
    OfficePerson.outcome_by._.full_name.as_alias("reported_by"),
    OfficePerson.handled_by._.full_name.as_alias("handled_by_name"),
    OfficePerson.village._.name.as_alias("village_name"),
    OfficePerson.village._.kind.as_alias("village_kind"),
    OfficePerson.kecamatan._.name.as_alias("kecamatan_name"),
]


@dataclass
class ReportFilter:
    """The listing's query string; every field a GET parameter."""

    hasil: str = ""  # one report outcome, "" = all
    status: str = "belum"  # belum | sudah | semua (handled or not)
    kecamatan: str = ""  # kecamatan code
    desa: str = ""  # village code, inside the kecamatan chosen
    cari: str = ""  # a name or NIK digits
    halaman: str = ""
    kantor: str = ""

    @classmethod
    def of(cls, query: Mapping[str, Any]) -> ReportFilter:
        values = {f.name: str(query.get(f.name) or "")[:60] for f in fields(cls)}
        found = cls(**values)
        if found.hasil not in OFFICE_REPORT_OUTCOMES:
            found.hasil = ""
        if found.status not in STATUSES:
            found.status = "belum"
        return found

    def params(self, **changes: str) -> dict[str, str]:
        values = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "halaman"}
        return {**values, **changes}

    def active(self) -> dict[str, str]:
        """What narrows the listing, for the audit line (never the search text: a name)."""
        shown = {k: v for k, v in self.params().items() if v and k != "cari"}
        return shown | ({"cari": "ya"} if self.cari else {})


def report_where(access: Scope, f: ReportFilter, regions: RegionTree) -> list[Any]:
    where: list[Any] = [
        access.office_where(OfficePerson.office),
        OfficePerson.outcome.is_in(sorted(OFFICE_REPORT_OUTCOMES)),
        OfficePerson.purged_at.is_null(),
    ]
    if f.hasil:
        where.append(OfficePerson.outcome == f.hasil)
    if f.status == "belum":
        where.append(OfficePerson.handled_at.is_null())
    elif f.status == "sudah":
        where.append(OfficePerson.handled_at.is_not_null())
    kecamatan = regions.kecamatan_by_code(f.kecamatan)
    village = regions.village_by_code(f.desa)
    if village is not None and (kecamatan is None or village.kecamatan_id == kecamatan.id):
        where.append(OfficePerson.village == village.id)
    elif kecamatan is not None:
        where.append(OfficePerson.kecamatan == kecamatan.id)
    if f.cari and not search_problem(f.cari):
        where.append(search_where(f.cari, OfficePerson.nik, OfficePerson.name_key))
    return where


@dataclass
class ReportsView:
    rows: list[dict[str, Any]]
    pager: Pager
    f: ReportFilter
    regions: RegionTree
    waiting: dict[str, int]  # reports not yet handled, by outcome (the whole office)
    search_error: str = ""

    @property
    def waiting_total(self) -> int:
        return sum(self.waiting.values())

    @property
    def kecamatan_choices(self) -> list[tuple[str, str]]:
        return [(k.code, k.name) for k in self.regions.kecamatan]

    @property
    def village_choices(self) -> list[tuple[str, str]]:
        """The villages of the kecamatan chosen (a few dozen, not the whole office's)."""
        kecamatan = self.regions.kecamatan_by_code(self.f.kecamatan)
        return [(v.code, v.name) for v in kecamatan.villages] if kecamatan else []

    outcome_choices: ClassVar = tuple(REPORT_OUTCOMES)
    status_choices: ClassVar = tuple(STATUSES.items())


async def reports(access: Scope, f: ReportFilter) -> ReportsView:
    """A page of reports, newest first; the view is audited (it shows personal data)."""
    access.require_staff()
    regions = await region_tree(access.listing_ids)
    where = report_where(access, f, regions)
    pager = Pager.of(f.halaman, await OfficePerson.count().where(*where))
    rows = (
        await OfficePerson.select(*COLUMNS)
        .where(*where)
        .order_by(OfficePerson.outcome_at, ascending=False)
        .order_by(OfficePerson.id, ascending=False)
        .limit(pager.size)
        .offset(pager.offset)
    )
    counts = (
        await OfficePerson.select(OfficePerson.outcome, Count(OfficePerson.id))
        .where(
            access.office_where(OfficePerson.office),
            OfficePerson.outcome.is_in(sorted(OFFICE_REPORT_OUTCOMES)),
            OfficePerson.handled_at.is_null(),
            OfficePerson.purged_at.is_null(),
        )
        .group_by(OfficePerson.outcome)
    )
    ids = [row["id"] for row in rows]
    async with write_transaction():
        await record(
            access,
            "office_report.view",
            {"filters": f.active(), "page": pager.page, "office_person_ids": ids},
        )
    for row in rows:
        row["nik_masked"] = mask_nik(row.pop("nik") or "")
    return ReportsView(
        rows=rows,
        pager=pager,
        f=f,
        regions=regions,
        waiting={row["outcome"]: row["count"] for row in counts},
        search_error=(search_problem(f.cari) or "") if f.cari else "",
    )


async def handle(access: Scope, picks: list[str]) -> int:
    """Mark the ticked reports as taken into the office's records: all of them or, when
    one changed meanwhile (a coordinator corrected it, another officer handled it), none."""
    access.require_staff()
    items = parse_items(picks)
    if not items:
        raise Invalid({"pilih": "Pilih minimal satu laporan dengan mencentang kotaknya"})
    if len(items) > HANDLE_MAX:
        raise Invalid({"pilih": f"Paling banyak {HANDLE_MAX} laporan sekali proses"})
    moment = datetime.now(UTC)
    async with write_transaction():
        refused = await update_each(
            OfficePerson,
            items,
            {
                OfficePerson.handled_at: moment,
                OfficePerson.handled_by: access.user_id,
                OfficePerson.updated_at: moment,
            },
            access.office_where(OfficePerson.office, listing=False),
            OfficePerson.outcome.is_in(sorted(OFFICE_REPORT_OUTCOMES)),
            OfficePerson.handled_at.is_null(),
        )
        if refused:
            raise await _refusal(access, refused)
        ids = [person_id for person_id, _ in items]
        await record(access, "office_report.handle", {"office_person_ids": ids, "count": len(ids)})
    return len(items)


async def record(access: Scope, action: str, detail: dict[str, Any]) -> None:
    """An audit line of the reports (ids and counts, never a name or NIK), in the caller's
    transaction; an admin's lines name the office chosen."""
    await audit.record(
        access.actor,
        action,
        office_id=access.current.id if access.current else None,
        object_type="office_report",
        detail=detail,
    )


async def _refusal(access: Scope, refused: list[int]) -> NotFound | Conflict:
    rows = await OfficePerson.select(OfficePerson.full_name).where(
        OfficePerson.id.is_in(refused),
        access.office_where(OfficePerson.office, listing=False),
        OfficePerson.outcome.is_in(sorted(OFFICE_REPORT_OUTCOMES)),
    )
    if len(rows) < len(refused):
        return NotFound()
    names = ", ".join(r["full_name"] for r in rows[:NAMES_IN_MESSAGE])
    if len(rows) > NAMES_IN_MESSAGE:
        names += f" dan {len(rows) - NAMES_IN_MESSAGE} lainnya"
    return Conflict(
        f"Laporan {names} baru saja diubah koordinator atau sudah diproses petugas lain "
        "sejak halaman ini dibuka. Tidak ada yang diproses; periksa lagi lalu ulangi."
    )


# ---------------------------------------------------------------- the export

CSV_HEADERS = (
    *IDENTITY_HEADERS,
    "Hasil pengecekan",
    "Keterangan",
    "Catatan",
    "Dilaporkan oleh",
    "Dilaporkan pada",
    "Diproses pada",
    "Masih ada di data kantor",
)


def local(moment: datetime | None) -> datetime | None:
    """A moment as Mojokerto's wall clock reads it, to the second."""
    return moment.astimezone(get_settings().zone).replace(microsecond=0) if moment else None


def csv_row(r: dict[str, Any]) -> list[Any]:
    return [
        *identity_cells(r),
        vocabulary.label("outcome", r["outcome"]),
        r["outcome_detail"],
        r["outcome_note"],
        r["reported_by"] or "",
        local(r["outcome_at"]),
        local(r["handled_at"]),
        r["gone_import"] is None,
    ]


async def reports_csv(access: Scope, f: ReportFilter) -> Export:
    """Every report the filter matches (all pages), full NIK included, audited first."""
    access.require_staff()
    regions = await region_tree(access.listing_ids)
    rows = (
        await OfficePerson.select(*COLUMNS)
        .where(*report_where(access, f, regions))
        .order_by(OfficePerson.outcome_at, ascending=False)
        .order_by(OfficePerson.id, ascending=False)
        .limit(EXPORT_MAX)
    )
    ids = [r["id"] for r in rows if r["nik"]]
    detail = audit.nik_access_detail(
        [], office_person_ids=ids, format="csv", filters=f.active(), rows=len(rows)
    )
    async with write_transaction():
        await record(access, "office_report.export", detail)
    day = datetime.now(UTC).date().isoformat()
    body = csv_bytes(CSV_HEADERS, [csv_row(r) for r in rows])
    return Export(f"laporan-sisir-{day}.csv", CSV_TYPE, body)

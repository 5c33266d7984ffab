"""The staff queue: filters read from the URL, one indexed query per page, keyset paging.

Every filter is a GET parameter so a view can be bookmarked or shared. Pages are found by
keyset (the last row's sort key and id), never OFFSET, so page 200 costs what page 1 costs.
Counts per status use the same filters minus the status itself, so the status tabs say how
many rows each one would show.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from piccolo.columns.combination import WhereRaw
from piccolo.query.functions.aggregate import Count

from portal.domain import vocabulary
from portal.domain.regions import KecamatanRef, RegionTree, region_tree
from portal.domain.rtrw import RtRwError, read_rt_rw
from portal.domain.scope import Scope
from portal.domain.search import search_problem, search_where
from portal.rules.dates import format_short_date_id
from portal.settings import get_settings
from portal.staff.scheduling import PERSON_COLUMNS, WARNING_COLUMNS, upcoming_sessions
from portal.tables.accounts import User
from portal.tables.residents import Resident

SORTS = {
    "terbaru": "Terbaru dikirim",
    "terlama": "Terlama dikirim",
    "nama": "Nama (A–Z)",
}
PAGE_SIZES = (50, 100, 200)
PAGE_SIZE_CHOICES = [(n, str(n)) for n in PAGE_SIZES]
# Drafts never reach the queue.
STATUS_CHOICES = [(code, words) for code, words in vocabulary.STATUSES.items() if code != "draft"]
ASSIGNED = {"saya": "Yang saya ambil", "belum": "Belum diambil siapa pun"}
# A select longer than this is no help (and weighs down every page): narrow it first.
MANY_OPTIONS = 60


@dataclass
class QueueFilter:
    kantor: str = ""
    kecamatan: str = ""  # kecamatan code
    desa: str = ""  # village code
    rw: str = ""
    rt: str = ""
    status: str = ""
    kategori: str = ""
    koordinator: str = ""  # user id
    dari: str = ""  # YYYY-MM-DD, date submitted from
    sampai: str = ""  # YYYY-MM-DD, date submitted until (inclusive)
    peringatan: str = ""  # warn_nik | warn_duplicate | warn_under_age
    ditugaskan: str = ""  # saya | belum
    q: str = ""
    urut: str = "terbaru"
    per: int = PAGE_SIZES[0]
    setelah: str = ""
    sebelum: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    PARAMS = (
        "kantor",
        "kecamatan",
        "desa",
        "rw",
        "rt",
        "status",
        "kategori",
        "koordinator",
        "dari",
        "sampai",
        "peringatan",
        "ditugaskan",
        "q",
        "urut",
        "per",
    )

    @classmethod
    def from_query(cls, query: Mapping[str, Any]) -> QueueFilter:
        raw: dict[str, Any] = {name: str(query.get(name) or "").strip() for name in cls.PARAMS}
        raw["setelah"] = str(query.get("setelah") or "")
        raw["sebelum"] = str(query.get("sebelum") or "")
        f = cls(**{k: v for k, v in raw.items() if k != "per"})
        f.clean(raw.get("per", ""))
        return f

    def clean(self, per: str) -> None:
        self.q = self.q[:120]
        if self.status not in vocabulary.STATUSES or self.status == "draft":
            self.status = ""
        if self.kategori not in vocabulary.CATEGORIES:
            self.kategori = ""
        if self.peringatan not in vocabulary.WARNING_FLAGS:
            self.peringatan = ""
        if self.ditugaskan not in ASSIGNED:
            self.ditugaskan = ""
        if self.urut not in SORTS:
            self.urut = "terbaru"
        if not self.koordinator.isdigit():
            self.koordinator = ""
        self.per = int(per) if per.isdigit() and int(per) in PAGE_SIZES else PAGE_SIZES[0]
        for name in ("rw", "rt"):
            # Stored RW/RT are canonical ("03"): the filter compares that one spelling.
            try:
                setattr(self, name, read_rt_rw(getattr(self, name), name.upper()) or "")
            except RtRwError as exc:
                self.errors[name] = exc.message
                setattr(self, name, "")
        for name, label in (("dari", "Tanggal awal"), ("sampai", "Tanggal akhir")):
            value = getattr(self, name)
            if value:
                try:
                    date.fromisoformat(value)
                except ValueError:
                    self.errors[name] = f"{label} harus tanggal yang benar"
                    setattr(self, name, "")
        problem = search_problem(self.q) if self.q else None
        if problem:
            self.errors["q"] = problem

    def params(self) -> dict[str, Any]:
        """The filters as URL parameters (no cursor), defaults left out."""
        out = {name: getattr(self, name) for name in self.PARAMS}
        if out["urut"] == "terbaru":
            out["urut"] = ""
        if out["per"] == PAGE_SIZES[0]:
            out["per"] = ""
        return {k: v for k, v in out.items() if v not in ("", None)}

    def active(self) -> dict[str, Any]:
        """Filters that narrow the result (for the export audit and the 'clear' link)."""
        return {
            k: v for k, v in self.params().items() if k not in ("urut", "per") and k != "kantor"
        }


# --- Cursor -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cursor:
    value: Any
    id: int

    def encode(self) -> str:
        value = self.value.isoformat() if isinstance(self.value, datetime) else self.value
        raw = json.dumps([value, self.id], separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str, sort: str) -> Cursor | None:
        if not text:
            return None
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            value, row_id = json.loads(raw)
            if not isinstance(row_id, int):
                return None
            if sort == "nama":
                return cls(str(value), row_id) if isinstance(value, str) else None
            return cls(datetime.fromisoformat(value), row_id)
        except (ValueError, TypeError, binascii.Error, json.JSONDecodeError):
            return None


# --- Query ------------------------------------------------------------------------------------


def _local_midnight_utc(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=get_settings().zone)


def filter_where(f: QueueFilter, access: Scope, regions: RegionTree) -> list:
    """Where clauses for every filter except status and cursor."""
    clauses: list = [access.office_where(Resident.office), Resident.status != "draft"]
    if f.kecamatan:
        kec = regions.kecamatan_by_code(f.kecamatan)
        clauses.append(Resident.kecamatan == (kec.id if kec else -1))
    if f.desa:
        village = regions.village_by_code(f.desa)
        clauses.append(Resident.village == (village.id if village else -1))
    if f.rw:
        clauses.append(Resident.rw == f.rw)
    if f.rt:
        clauses.append(Resident.rt == f.rt)
    if f.kategori:
        clauses.append(Resident.category == f.kategori)
    if f.koordinator:
        clauses.append(
            WhereRaw(
                "resident.resident_list IN (SELECT id FROM resident_list WHERE coordinator = {})",
                int(f.koordinator),
            )
        )
    if f.dari:
        clauses.append(Resident.submitted_at >= _local_midnight_utc(date.fromisoformat(f.dari)))
    if f.sampai:
        end = date.fromisoformat(f.sampai) + timedelta(days=1)
        clauses.append(Resident.submitted_at < _local_midnight_utc(end))
    if f.peringatan:
        clauses.append(getattr(Resident, f.peringatan).eq(True))
    if f.ditugaskan == "saya":
        clauses.append(Resident.assigned_to == access.actor.user_id)
    elif f.ditugaskan == "belum":
        clauses.append(Resident.assigned_to.is_null())
    if f.q and "q" not in f.errors:
        clauses.append(search_where(f.q, Resident.nik, Resident.name_key))
    return clauses


ROW_COLUMNS = (
    *PERSON_COLUMNS,
    *WARNING_COLUMNS,
    Resident.submitted_at,
    Resident.version,
    Resident.office,
    Resident.assigned_to,
    Resident.assigned_to._.full_name.as_alias("assigned_name"),
)

_SORT_SQL = {
    "terbaru": ("resident.submitted_at", "resident.id", False),
    "terlama": ("resident.submitted_at", "resident.id", True),
    "nama": ("resident.name_key", "resident.id", True),
}


@dataclass
class QueuePage:
    rows: list[dict]
    counts: dict[str, int]
    total: int
    next_cursor: str = ""
    prev_cursor: str = ""
    first_page: bool = True


def _cursor_for(row: dict, sort: str) -> Cursor:
    value = row["name_key"] if sort == "nama" else row["submitted_at"]
    return Cursor(value, row["id"])


async def fetch_page(f: QueueFilter, access: Scope, regions: RegionTree) -> QueuePage:
    counts = await status_counts(filter_where(f, access, regions))
    clauses = matching_where(f, access, regions)
    key_sql, id_sql, ascending = _SORT_SQL[f.urut]
    after = Cursor.decode(f.setelah, f.urut)
    before = None if after else Cursor.decode(f.sebelum, f.urut)
    backwards = before is not None
    cursor = after or before
    if cursor is not None:
        # Forward on an ascending sort, or backward on a descending one, wants larger keys.
        op = ">" if ascending != backwards else "<"
        clauses.append(
            WhereRaw(f"({key_sql}, {id_sql}) {op} ({{}}, {{}})", cursor.value, cursor.id)
        )
    rows = (
        await Resident.select(*ROW_COLUMNS)
        .where(*clauses)
        .order_by(_sort_column(f), Resident.id, ascending=ascending != backwards)
        .limit(f.per + 1)
    )
    more = len(rows) > f.per
    rows = rows[: f.per]
    if backwards:
        rows.reverse()
    page = QueuePage(
        rows=rows,
        counts=counts,
        total=sum(counts.values()) if not f.status else counts.get(f.status, 0),
        first_page=cursor is None or (backwards and not more),
    )
    if rows:
        if (not backwards and more) or backwards:
            page.next_cursor = _cursor_for(rows[-1], f.urut).encode()
        if (backwards and more) or (not backwards and cursor is not None):
            page.prev_cursor = _cursor_for(rows[0], f.urut).encode()
    return page


def _sort_column(f: QueueFilter):
    return Resident.name_key if f.urut == "nama" else Resident.submitted_at


async def status_counts(clauses: list) -> dict[str, int]:
    rows = (
        await Resident.select(Resident.status, Count(alias="n"))
        .where(*clauses)
        .group_by(Resident.status)
    )
    return {row["status"]: row["n"] for row in rows}


def matching_where(f: QueueFilter, access: Scope, regions: RegionTree) -> list:
    """Where clauses for every row the filter shows across all its pages (status included,
    cursor ignored)."""
    clauses = filter_where(f, access, regions)
    if f.status:
        clauses.append(Resident.status == f.status)
    return clauses


async def all_matching(
    f: QueueFilter, access: Scope, regions: RegionTree, columns: tuple, limit: int | None = None
) -> list[dict]:
    """Every row of the filtered queue in the page order (for exports and bulk actions),
    at most ``limit`` of them."""
    _, _, ascending = _SORT_SQL[f.urut]
    query = (
        Resident.select(*columns)
        .where(*matching_where(f, access, regions))
        .order_by(_sort_column(f), Resident.id, ascending=ascending)
    )
    return await (query.limit(limit) if limit is not None else query)


async def count_matching(f: QueueFilter, access: Scope, regions: RegionTree) -> int:
    return await Resident.count().where(*matching_where(f, access, regions))


# --- The page ---------------------------------------------------------------------------------


@dataclass
class QueueView:
    """Everything the queue page shows besides the filter itself."""

    page: QueuePage
    regions: RegionTree
    village_groups: list[KecamatanRef]
    coordinators: list[dict]
    coordinators_narrowed: bool  # too many to offer: narrow by region first
    sessions: list[dict]  # upcoming, for the bulk "schedule" action

    @property
    def kecamatan_options(self) -> list[tuple[str, str]]:
        return [(k.code, k.name) for k in self.regions.kecamatan]

    @property
    def session_options(self) -> list[tuple[int, str]]:
        """ "5 Nov 2026 · Sesi SMAN 1 (sisa 12)"."""
        options = []
        for s in self.sessions:
            left = f" (sisa {max(s['capacity'] - s['booked'], 0)})" if s["capacity"] else ""
            options.append((s["id"], f"{format_short_date_id(s['day'])} · {s['title']}{left}"))
        return options


async def queue_view(access: Scope, f: QueueFilter, today: date) -> QueueView:
    regions = await region_tree(access.listing_ids)
    coordinators, narrowed = await coordinator_choices(access, regions, f)
    return QueueView(
        page=await fetch_page(f, access, regions),
        regions=regions,
        village_groups=village_groups(regions, f),
        coordinators=coordinators,
        coordinators_narrowed=narrowed,
        sessions=await upcoming_sessions(access.listing_ids, today),
    )


def village_groups(regions: RegionTree, f: QueueFilter) -> list[KecamatanRef]:
    """Kecamatan whose villages the kelurahan/desa select offers."""
    if f.kecamatan:
        return [k for k in regions.kecamatan if k.code == f.kecamatan]
    if len(regions.villages()) <= MANY_OPTIONS:
        return list(regions.kecamatan)
    return [k for k in regions.kecamatan if any(v.code == f.desa for v in k.villages)]


async def coordinator_choices(
    access: Scope, regions: RegionTree, f: QueueFilter
) -> tuple[list[dict], bool]:
    """Coordinators for the select, and whether the list was too long to offer."""
    in_scope = (User.role == "coordinator", access.office_where(User.office))
    query = User.select(User.id, User.full_name).where(*in_scope)
    village = regions.village_by_code(f.desa) if f.desa else None
    kec = regions.kecamatan_by_code(f.kecamatan) if f.kecamatan else None
    if village:
        query = query.where(User.scope_village == village.id)
    elif kec:
        query = query.where(User.scope_kecamatan == kec.id)
    rows = await query.order_by(User.full_name).limit(MANY_OPTIONS + 1)
    too_many = len(rows) > MANY_OPTIONS
    if too_many:
        rows = []
    if f.koordinator and all(str(r["id"]) != f.koordinator for r in rows):
        rows += await User.select(User.id, User.full_name).where(
            User.id == int(f.koordinator), *in_scope
        )
    return rows, too_many

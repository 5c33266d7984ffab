"""Reads behind the public pages. Only public data leaves here: no resident ever, only counts.

Reference data is small (2 offices, 21 kecamatan, 322 villages, a few dozen locations), so
each page loads what it needs in a handful of queries and joins in Python; rendered pages
are cached (portal.public.cache), so this runs on a cache miss only.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from piccolo.query.functions.aggregate import Count

from portal.public import areas
from portal.public.hours import SpecialHours, WeeklyHours
from portal.tables.content import PublishedFigure, Requirement
from portal.tables.locations import Location, LocationArea, OpeningHours, SpecialDay
from portal.tables.outreach import OutreachArea, OutreachSession
from portal.tables.regions import Kecamatan, Office, Village
from portal.tables.residents import Resident

Row = dict[str, Any]

SERVICE_LABELS = {
    "perekaman": "Perekaman KTP-el",
    "pencetakan": "Pencetakan KTP-el",
    "aktivasi_ikd": "Aktivasi IKD (KTP digital)",
    "adminduk_lain": "Layanan kependudukan lain",
}
LOCATION_KIND_LABELS = {
    "mpp": "Mal Pelayanan Publik",
    "dinas": "Kantor Dispendukcapil",
    "kantor_kecamatan": "Kantor kecamatan",
    "kantor_kelurahan": "Kantor kelurahan",
    "sekolah": "Sekolah (kunjungan jemput bola)",
}
SESSION_KIND_LABELS = {
    "sekolah": "Di sekolah",
    "kelurahan": "Di kelurahan/desa",
    "kecamatan": "Di kecamatan",
    "kunjungan_rumah": "Kunjungan ke rumah",
    "kantor": "Di kantor",
}


# --- Regions --------------------------------------------------------------------------------


@dataclass
class Regions:
    """Both offices with their kecamatan and villages, indexed every way the pages need."""

    offices: list[Row]
    kecamatan: list[Row]
    villages: list[Row]
    office_by_slug: dict[str, Row] = field(default_factory=dict)
    office_by_id: dict[int, Row] = field(default_factory=dict)
    kecamatan_by_code: dict[str, Row] = field(default_factory=dict)
    kecamatan_by_id: dict[int, Row] = field(default_factory=dict)
    village_by_code: dict[str, Row] = field(default_factory=dict)
    villages_of: dict[int, list[Row]] = field(default_factory=lambda: defaultdict(list))
    kecamatan_of: dict[int, list[Row]] = field(default_factory=lambda: defaultdict(list))

    def __post_init__(self) -> None:
        for office in self.offices:
            self.office_by_slug[office["slug"]] = office
            self.office_by_id[office["id"]] = office
        for kec in self.kecamatan:
            self.kecamatan_by_code[kec["code"]] = kec
            self.kecamatan_by_id[kec["id"]] = kec
            self.kecamatan_of[kec["office"]].append(kec)
        for village in self.villages:
            self.village_by_code[village["code"]] = village
            self.villages_of[village["kecamatan"]].append(village)

    def office_for_code(self, code: str) -> Row | None:
        return next((o for o in self.offices if areas.covers(o["region_code"], code)), None)

    def name(self, code: str) -> str:
        """ "Kota Mojokerto", "Kecamatan Sooko", "Kelurahan Surodinawan", "Desa Punggul"."""
        office = next((o for o in self.offices if o["region_code"] == code), None)
        if office:
            return office["short_name"]
        if kec := self.kecamatan_by_code.get(code):
            return f"Kecamatan {kec['name']}"
        if village := self.village_by_code.get(code):
            return f"{village['kind'].capitalize()} {village['name']}"
        return code

    def describe_served(self, code: str) -> Row:
        """One served region for a location page: its name and, for a kecamatan or a whole
        office, the places inside it."""
        office = next((o for o in self.offices if o["region_code"] == code), None)
        if office:
            kecs = self.kecamatan_of[office["id"]]
            count = sum(len(self.villages_of[k["id"]]) for k in kecs)
            return {
                "code": code,
                "name": f"Seluruh {office['short_name']}",
                "detail": f"{len(kecs)} kecamatan, {count} kelurahan/desa",
                "children": [f"Kecamatan {k['name']}" for k in kecs],
            }
        if kec := self.kecamatan_by_code.get(code):
            villages = self.villages_of[kec["id"]]
            return {
                "code": code,
                "name": f"Kecamatan {kec['name']}",
                "detail": f"{len(villages)} kelurahan/desa",
                "children": [v["name"] for v in villages],
            }
        return {"code": code, "name": self.name(code), "detail": "", "children": []}


async def load_regions() -> Regions:
    offices = await Office.select().order_by(Office.id)
    kecamatan = await Kecamatan.select(
        Kecamatan.id, Kecamatan.code, Kecamatan.name, Kecamatan.office
    ).order_by(Kecamatan.code)
    villages = await Village.select(
        Village.id, Village.code, Village.name, Village.kind, Village.kecamatan
    ).order_by(Village.name)
    return Regions(offices=offices, kecamatan=kecamatan, villages=villages)


def min_age_text(office: Row) -> str:
    years, months = office["min_age_years"], office["min_age_months"]
    return f"{years} tahun {months} bulan" if months else f"{years} tahun"


# --- Locations ------------------------------------------------------------------------------


@dataclass
class LocationView:
    row: Row
    office: Row
    kecamatan: Row | None
    weekly: list[WeeklyHours]
    special: list[SpecialHours]
    served: list[str]

    def __getattr__(self, name: str) -> Any:
        try:
            return self.row[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def service_labels(self) -> list[str]:
        return [SERVICE_LABELS.get(s, s) for s in self.row["services"] or []]

    @property
    def kind_label(self) -> str:
        return LOCATION_KIND_LABELS.get(self.row["kind"], self.row["kind"])

    def upcoming_special(self, today: date) -> list[SpecialHours]:
        return sorted((s for s in self.special if s.day >= today), key=lambda s: s.day)


def _services(value: Any) -> list[str]:
    """JSON columns come back as text on SQLite and as lists on PostgreSQL."""
    if isinstance(value, str):
        return json.loads(value or "[]")
    return list(value or [])


async def load_locations(regions: Regions, *, slug: str | None = None) -> list[LocationView]:
    query = Location.select().where(Location.active.eq(True)).order_by(Location.id)
    if slug is not None:
        query = query.where(Location.slug == slug)
    rows = await query
    if not rows:
        return []
    ids = [r["id"] for r in rows]
    hours = await OpeningHours.select().where(OpeningHours.location.is_in(ids))
    specials = await SpecialDay.select().where(SpecialDay.location.is_in(ids))
    served = await LocationArea.select().where(LocationArea.location.is_in(ids))
    weekly_by: dict[int, list[WeeklyHours]] = defaultdict(list)
    for h in hours:
        weekly_by[h["location"]].append(
            WeeklyHours(h["weekday"], h["opens"], h["closes"], h["note"] or "")
        )
    special_by: dict[int, list[SpecialHours]] = defaultdict(list)
    for s in specials:
        special_by[s["location"]].append(
            SpecialHours(s["day"], s["opens"], s["closes"], bool(s["closed"]), s["note"] or "")
        )
    served_by: dict[int, list[str]] = defaultdict(list)
    for a in served:
        served_by[a["location"]].append(a["region_code"])
    views = []
    for row in rows:
        row["services"] = _services(row["services"])
        views.append(
            LocationView(
                row=row,
                office=regions.office_by_id[row["office"]],
                kecamatan=regions.kecamatan_by_id.get(row["kecamatan"]),
                weekly=weekly_by[row["id"]],
                special=special_by[row["id"]],
                served=sorted(served_by[row["id"]]),
            )
        )
    return views


def locations_serving(locations: list[LocationView], code: str) -> list[LocationView]:
    """Locations with a served code equal to `code` or above it (prefix on whole blocks)."""
    return [loc for loc in locations if areas.serves(loc.served, code)]


# --- Sessions -------------------------------------------------------------------------------


@dataclass
class SessionView:
    row: Row
    office: Row
    served: list[str]
    location_slug: str | None = None

    def __getattr__(self, name: str) -> Any:
        try:
            return self.row[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def kind_label(self) -> str:
        return SESSION_KIND_LABELS.get(self.row["kind"], self.row["kind"])

    def is_past(self, today: date) -> bool:
        return self.row["day"] < today

    def relevant_to(self, code: str) -> bool:
        """Serves `code`, or serves a place inside it (a kecamatan filter shows sessions for
        one of its villages too)."""
        return any(areas.overlaps(served, code) for served in self.served)


_SESSION_COLUMNS = (
    OutreachSession.id,
    OutreachSession.office,
    OutreachSession.kind,
    OutreachSession.title,
    OutreachSession.place,
    OutreachSession.address,
    OutreachSession.location,
    OutreachSession.location.slug.as_alias("location_slug"),
    OutreachSession.day,
    OutreachSession.starts,
    OutreachSession.ends,
    OutreachSession.audience,
    OutreachSession.registration_via_rt,
    OutreachSession.capacity,
    OutreachSession.cancelled,
    OutreachSession.notes,
    OutreachSession.updated_at,
)


async def _session_views(rows: list[Row], regions: Regions) -> list[SessionView]:
    if not rows:
        return []
    served_rows = await OutreachArea.select(OutreachArea.session, OutreachArea.region_code).where(
        OutreachArea.session.is_in([r["id"] for r in rows])
    )
    served_by: dict[int, list[str]] = defaultdict(list)
    for a in served_rows:
        served_by[a["session"]].append(a["region_code"])
    return [
        SessionView(
            row=r,
            office=regions.office_by_id[r["office"]],
            served=sorted(served_by[r["id"]]),
            location_slug=r["location_slug"],
        )
        for r in rows
    ]


async def upcoming_sessions(
    regions: Regions, today: date, *, office_id: int | None = None
) -> list[SessionView]:
    """Public, not cancelled, today or later; soonest first."""
    query = (
        OutreachSession.select(*_SESSION_COLUMNS)
        .where(
            OutreachSession.public.eq(True),
            OutreachSession.cancelled.eq(False),
            OutreachSession.day >= today,
        )
        .order_by(OutreachSession.day)
        .order_by(OutreachSession.starts)
        .order_by(OutreachSession.id)
    )
    if office_id is not None:
        query = query.where(OutreachSession.office == office_id)
    return await _session_views(await query, regions)


async def public_session(regions: Regions, session_id: int) -> SessionView | None:
    """A public session, including a past or cancelled one: people follow shared links."""
    rows = await OutreachSession.select(*_SESSION_COLUMNS).where(
        OutreachSession.id == session_id, OutreachSession.public.eq(True)
    )
    views = await _session_views(rows, regions)
    return views[0] if views else None


# --- Content --------------------------------------------------------------------------------


async def requirements() -> list[Row]:
    return await Requirement.select().order_by(Requirement.position).order_by(Requirement.id)


async def figures() -> list[Row]:
    return (
        await PublishedFigure.select()
        .order_by(PublishedFigure.office)
        .order_by(PublishedFigure.as_of)
        .order_by(PublishedFigure.position)
    )


# --- Progress (aggregates only) -------------------------------------------------------------

PROGRESS_SERIES = ("reported", "scheduled", "recorded")
# Rows a coordinator reported twice, or that staff refused, are not "reported" people.
NOT_COUNTED = ("duplikat", "ditolak", "draft")


async def resident_counts() -> dict[int, Counter]:
    """{village id: Counter(reported, scheduled, recorded)} over residents of submitted
    lists. The query returns counts only: no name, NIK or id of a resident is read."""
    rows = await (
        Resident.select(Resident.village, Resident.status, Count(Resident.id, alias="n"))
        .where(Resident.resident_list.state == "submitted")
        .group_by(Resident.village, Resident.status)
    )
    counts: dict[int, Counter] = defaultdict(Counter)
    for row in rows:
        status, n = row["status"], int(row["n"])
        if status in NOT_COUNTED:
            continue
        village = counts[row["village"]]
        village["reported"] += n
        if status == "dijadwalkan":
            village["scheduled"] += n
        elif status == "sudah_rekam":
            village["recorded"] += n
    return counts

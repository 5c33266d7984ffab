"""Lokasi layanan: service locations with their hours, special days, services and the areas
they serve; whether each is open right now (WIB) is computed by ``portal.public.hours``.

Reference data is small (a few dozen locations), read in four queries per page; rendered
pages are cached (``portal.public.cache``), so this runs on a cache miss only.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from portal.domain import regions
from portal.domain.errors import NotFound
from portal.domain.links import geo_uri, map_query, osm_search_url
from portal.domain.regions import OfficeRef
from portal.domain.vocabulary import LOCATION_KIND_ORDER
from portal.public import schedule
from portal.public.hours import OpenStatus, SpecialHours, WeeklyHours, open_status, weekly_table
from portal.public.schedule import SessionView
from portal.tables.locations import Location, LocationArea, OpeningHours, SpecialDay


@dataclass(frozen=True, slots=True)
class Place:
    id: int
    slug: str
    name: str
    kind: str
    address: str | None
    services: tuple[str, ...]
    accessibility: str | None
    notes: str
    source: str
    verified: bool
    checked_on: date | None
    office: OfficeRef
    weekly: tuple[WeeklyHours, ...]
    special: tuple[SpecialHours, ...]
    served: tuple[str, ...]

    def status(self, now: datetime) -> OpenStatus:
        return open_status(now, self.weekly, self.special)

    def upcoming_special(self, today: date) -> list[SpecialHours]:
        return sorted((s for s in self.special if s.day >= today), key=lambda s: s.day)

    def map_links(self) -> dict[str, str]:
        query = map_query(self.name, self.address, self.office.short_name)
        return {"geo": geo_uri(query), "osm": osm_search_url(query)}


@dataclass(frozen=True, slots=True)
class Listed:
    """A place with whether it is open at the moment the page was made."""

    loc: Place
    status: OpenStatus


def _services(value: Any) -> tuple[str, ...]:
    """JSON columns come back as text on SQLite and as lists on PostgreSQL."""
    if isinstance(value, str):
        return tuple(json.loads(value or "[]"))
    return tuple(value or ())


def _by_location(rows: list[dict[str, Any]], make: Any) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = {}
    for row in rows:
        grouped.setdefault(row["location"], []).append(make(row))
    return grouped


async def places(
    offices: Iterable[OfficeRef],
    *,
    slug: str | None = None,
    office_id: int | None = None,
    serving: str | None = None,
) -> list[Place]:
    """Active locations (by id), narrowed to one slug, one office, or those serving the
    region ``serving`` (a served code equal to it or above it)."""
    query = Location.select().where(Location.active.eq(True)).order_by(Location.id)
    if slug is not None:
        query = query.where(Location.slug == slug)
    if office_id is not None:
        query = query.where(Location.office == office_id)
    if serving is not None:
        areas = LocationArea.select(LocationArea.location).where(
            LocationArea.region_code.is_in(regions.ancestors(serving))
        )
        query = query.where(Location.id.is_in(areas))
    rows = await query
    if not rows:
        return []
    ids = [r["id"] for r in rows]
    weekly = _by_location(
        await OpeningHours.select().where(OpeningHours.location.is_in(ids)),
        lambda h: WeeklyHours(h["weekday"], h["opens"], h["closes"], h["note"] or ""),
    )
    special = _by_location(
        await SpecialDay.select().where(SpecialDay.location.is_in(ids)),
        lambda s: SpecialHours(
            s["day"], s["opens"], s["closes"], bool(s["closed"]), s["note"] or ""
        ),
    )
    served = _by_location(
        await LocationArea.select().where(LocationArea.location.is_in(ids)),
        lambda a: a["region_code"],
    )
    by_id = {o.id: o for o in offices}
    return [
        Place(
            id=row["id"],
            slug=row["slug"],
            name=row["name"],
            kind=row["kind"],
            address=row["address"],
            services=_services(row["services"]),
            accessibility=row["accessibility"],
            notes=row["notes"] or "",
            source=row["source"] or "",
            verified=bool(row["verified"]),
            checked_on=row["checked_on"],
            office=by_id[row["office"]],
            weekly=tuple(weekly.get(row["id"], ())),
            special=tuple(special.get(row["id"], ())),
            served=tuple(sorted(served.get(row["id"], ()))),
        )
        for row in rows
    ]


async def one_place(offices: Iterable[OfficeRef], slug: str) -> Place | None:
    found = await places(offices, slug=slug)
    return found[0] if found else None


# --- The list -------------------------------------------------------------------------------


@dataclass(frozen=True)
class OfficeGroup:
    office: OfficeRef
    locations: list[Listed]


@dataclass(frozen=True)
class LocationList:
    groups: list[OfficeGroup]
    offices: tuple[OfficeRef, ...]
    chosen: OfficeRef | None


async def location_list(kantor: str, now: datetime) -> LocationList:
    """Every location, or one office's, offices first and schools last."""
    offices = await regions.load_offices()
    chosen = next((o for o in offices if o.slug == kantor), None)
    found = await places(offices, office_id=chosen.id if chosen else None)
    found.sort(key=lambda loc: (LOCATION_KIND_ORDER.get(loc.kind, 9), loc.name))
    groups = [
        OfficeGroup(o, [Listed(loc, loc.status(now)) for loc in found if loc.office is o])
        for o in offices
        if chosen is None or o is chosen
    ]
    return LocationList(groups=groups, offices=offices, chosen=chosen)


# --- One location ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LocationPage:
    loc: Place
    status: OpenStatus
    week: list[tuple[str, str]]
    special_days: list[SpecialHours]
    served: list[dict]
    maps: dict[str, str]
    sessions: list[SessionView]


async def location_page(slug: str, now: datetime) -> LocationPage:
    tree = await regions.region_tree()
    loc = await one_place(tree.offices, slug)
    if loc is None:
        raise NotFound()
    sessions = await schedule.upcoming(
        tree.offices, now.date(), office_id=loc.office.id, location_id=loc.id
    )
    return LocationPage(
        loc=loc,
        status=loc.status(now),
        week=weekly_table(loc.weekly),
        special_days=loc.upcoming_special(now.date()),
        served=[tree.describe_served(code) for code in loc.served],
        maps=loc.map_links(),
        sessions=sessions,
    )

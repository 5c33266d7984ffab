"""Jadwal jemput bola: upcoming public sessions filtered by office, area and day (in SQL),
one session with its share text and its calendar file.

Sessions are read for the schedule, the finder, a location's page and the home page; each
asks ``upcoming`` with the filters it needs. Only public sessions leave here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from urllib.parse import urlsplit

from portal.domain import regions
from portal.domain.errors import NotFound
from portal.domain.links import geo_uri, map_query, osm_search_url, whatsapp_share_url
from portal.domain.regions import KecamatanRef, OfficeRef
from portal.public.ics import CalendarEvent, session_calendar
from portal.rules.dates import format_long_date_id, format_time_span
from portal.settings import get_settings
from portal.tables.outreach import OutreachArea, OutreachSession


@dataclass(frozen=True, slots=True)
class SessionView:
    id: int
    office: OfficeRef
    kind: str
    title: str
    place: str
    address: str | None
    location: int | None
    location_slug: str | None
    day: date
    starts: time
    ends: time
    audience: str
    registration_via_rt: bool
    capacity: int
    cancelled: bool
    notes: str
    updated_at: datetime
    served: tuple[str, ...] = ()

    def is_past(self, today: date) -> bool:
        return self.day < today


_COLUMNS = (
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


def _relevant_to(code: str) -> Any:
    """Sessions that serve `code` or a place inside it: a session for the whole office is
    relevant to each of its villages, one for a village to its kecamatan."""
    served = OutreachArea.select(OutreachArea.session).where(
        OutreachArea.region_code.is_in(regions.ancestors(code))
        | OutreachArea.region_code.like(code + ".%")
    )
    return OutreachSession.id.is_in(served)


def _coming(today: date, office_id: int | None) -> list[Any]:
    """Public, not cancelled, today or later."""
    where = [
        OutreachSession.public.eq(True),
        OutreachSession.cancelled.eq(False),
        OutreachSession.day >= today,
    ]
    if office_id is not None:
        where.append(OutreachSession.office == office_id)
    return where


async def _views(rows: list[dict[str, Any]], offices: Iterable[OfficeRef]) -> list[SessionView]:
    if not rows:
        return []
    areas = await OutreachArea.select(OutreachArea.session, OutreachArea.region_code).where(
        OutreachArea.session.is_in([r["id"] for r in rows])
    )
    served: dict[int, list[str]] = {}
    for area in areas:
        served.setdefault(area["session"], []).append(area["region_code"])
    by_id = {o.id: o for o in offices}
    return [
        SessionView(
            **{**row, "office": by_id[row["office"]]},
            served=tuple(sorted(served.get(row["id"], ()))),
        )
        for row in rows
    ]


async def upcoming(
    offices: Iterable[OfficeRef],
    today: date,
    *,
    office_id: int | None = None,
    code: str | None = None,
    day: date | None = None,
    location_id: int | None = None,
    limit: int | None = None,
) -> list[SessionView]:
    """Upcoming public sessions, soonest first, narrowed by whichever filters are given."""
    where = _coming(today, office_id)
    if code is not None:
        where.append(_relevant_to(code))
    if day is not None:
        where.append(OutreachSession.day == day)
    if location_id is not None:
        where.append(OutreachSession.location == location_id)
    query = (
        OutreachSession.select(*_COLUMNS)
        .where(*where)
        .order_by(OutreachSession.day)
        .order_by(OutreachSession.starts)
        .order_by(OutreachSession.id)
    )
    if limit is not None:
        query = query.limit(limit)
    return await _views(await query, offices)


# --- The schedule page ----------------------------------------------------------------------


@dataclass(frozen=True)
class Schedule:
    office: OfficeRef | None
    office_choices: list[tuple[str, str]]
    area_choices: list[tuple[OfficeRef, list[KecamatanRef]]]  # kecamatan by office
    code: str | None
    area_name: str
    date_choices: list[tuple[str, str]]  # every day with a session (of the office chosen)
    day: date | None
    by_day: dict[date, list[SessionView]]
    filtered: bool


@dataclass
class ScheduleQuery:
    """The filters, as the form sends them."""

    kantor: str = ""
    wilayah: str = ""
    tanggal: str = ""


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


async def schedule(query: ScheduleQuery, today: date) -> Schedule:
    tree = await regions.region_tree()
    office = tree.office_by_slug(query.kantor)
    office_id = office.id if office else None
    code = query.wilayah if regions.is_code(query.wilayah) else None
    if code is not None and office is not None and not regions.covers(office.region_code, code):
        code = None  # an area of the other office: the office filter wins
    day = _day(query.tanggal)
    days = await (
        OutreachSession.select(OutreachSession.day)
        .where(*_coming(today, office_id))
        .distinct()
        .order_by(OutreachSession.day)
    )
    by_day: dict[date, list[SessionView]] = {}
    for s in await upcoming(tree.offices, today, office_id=office_id, code=code, day=day):
        by_day.setdefault(s.day, []).append(s)
    return Schedule(
        office=office,
        office_choices=[(o.slug, o.short_name) for o in tree.offices],
        area_choices=[
            (o, tree.kecamatan_of(o.id)) for o in tree.offices if office is None or o is office
        ],
        code=code,
        area_name=tree.name(code) if code else "",
        date_choices=[(row["day"].isoformat(), format_long_date_id(row["day"])) for row in days],
        day=day,
        by_day=by_day,
        filtered=bool(office or code or day),
    )


# --- One session ----------------------------------------------------------------------------


def session_ref(ref: str) -> tuple[int, bool]:
    """``"7"`` is session 7's page, ``"7.ics"`` its calendar file."""
    number, ics = (ref[:-4], True) if ref.endswith(".ics") else (ref, False)
    if not number.isascii() or not number.isdigit() or len(number) > 12:
        raise NotFound()
    return int(number), ics


async def public_session(session_id: int, offices: Iterable[OfficeRef]) -> SessionView:
    """A public session, including a past or cancelled one: people follow shared links."""
    rows = await OutreachSession.select(*_COLUMNS).where(
        OutreachSession.id == session_id, OutreachSession.public.eq(True)
    )
    views = await _views(rows, offices)
    if not views:
        raise NotFound()
    return views[0]


@dataclass(frozen=True)
class SessionPage:
    session: SessionView
    past: bool
    served: list[str]
    share_url: str
    maps: dict[str, str]


async def session_page(session_id: int, page_url: str, today: date) -> SessionPage:
    """``page_url``: the session page's absolute address, put in the message to share."""
    tree = await regions.region_tree()
    session = await public_session(session_id, tree.offices)
    share_text = (
        f"Perekaman KTP-el: {session.title}, {format_long_date_id(session.day)} "
        f"{format_time_span(session.starts, session.ends)} di {session.place}. Info: {page_url}"
    )
    query = map_query(session.place, session.address, session.office.short_name)
    return SessionPage(
        session=session,
        past=session.is_past(today),
        served=[tree.name(code) for code in session.served],
        share_url=whatsapp_share_url(share_text),
        maps={"geo": geo_uri(query), "osm": osm_search_url(query)},
    )


@dataclass(frozen=True, slots=True)
class CalendarFile:
    filename: str
    body: bytes


async def calendar_file(session_id: int, page_url: str) -> CalendarFile:
    session = await public_session(session_id, await regions.load_offices())
    place = ", ".join(p for p in (session.place, session.address, session.office.short_name) if p)
    lines = [
        f"Jemput bola perekaman KTP-el oleh {session.office.name}.",
        session.audience,
        "Daftar lewat ketua RT/RW." if session.registration_via_rt else "",
        "Bawa Kartu Keluarga (KK).",
        f"Info terbaru: {page_url}",
    ]
    event = CalendarEvent(
        uid=f"jadwal-{session.id}@{urlsplit(page_url).netloc}",
        title=session.title,
        day=session.day,
        starts=session.starts,
        ends=session.ends,
        place=place,
        description="\n".join(line for line in lines if line),
        url=page_url,
        updated_at=session.updated_at,
        cancelled=bool(session.cancelled),
    )
    return CalendarFile(
        filename=f"jadwal-rekam-ktp-{session.id}.ics",
        body=session_calendar(event, get_settings().zone),
    )

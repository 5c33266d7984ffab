"""Jadwal jemput bola: upcoming public sessions with filters, one page per session, its
.ics file and a WhatsApp share link."""

from datetime import date

from litestar import Request, Response
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery

from portal.clock import today_local
from portal.domain.links import absolute_url, geo_uri, map_query, osm_search_url, whatsapp_share_url
from portal.public import areas, queries
from portal.public.cache import public_page
from portal.public.common import long_date, page, time_span
from portal.public.ics import CalendarEvent, session_calendar
from portal.settings import get_settings


def _parse_day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text or "")
    except ValueError:
        return None


@public_page("/jadwal", name="schedule")
async def schedule(
    request: Request,
    kantor: FromQuery[str | None] = None,
    wilayah: FromQuery[str | None] = None,
    tanggal: FromQuery[str | None] = None,
) -> Response:
    regions = await queries.load_regions()
    today = today_local()
    office = regions.office_by_slug.get(kantor or "")
    sessions = await queries.upcoming_sessions(
        regions, today, office_id=office["id"] if office else None
    )
    dates = sorted({s.day for s in sessions})
    code = wilayah if wilayah and areas.is_code(wilayah) else None
    if code is not None and office is not None and not areas.covers(office["region_code"], code):
        code = None  # an area of the other office: the office filter wins
    if code is not None:
        sessions = [s for s in sessions if s.relevant_to(code)]
    day = _parse_day(tanggal)
    if day is not None:
        sessions = [s for s in sessions if s.day == day]
    by_day: dict[date, list] = {}
    for s in sessions:
        by_day.setdefault(s.day, []).append(s)
    area_choices = [
        {"office": o, "kecamatan": regions.kecamatan_of[o["id"]]}
        for o in regions.offices
        if office is None or o is office
    ]
    return page(
        request,
        "public/schedule.html",
        {
            "offices": regions.offices,
            "office": office,
            "area_choices": area_choices,
            "code": code,
            "area_name": regions.name(code) if code else "",
            "dates": dates,
            "day": day,
            "by_day": by_day,
            "filtered": bool(office or code or day),
        },
        block="results",
    )


def _event(session: queries.SessionView) -> CalendarEvent:
    settings = get_settings()
    url = absolute_url(settings.base_url, f"/jadwal/{session.id}")
    place = ", ".join(
        p for p in (session.place, session.address, session.office["short_name"]) if p
    )
    lines = [
        f"Jemput bola perekaman KTP-el oleh {session.office['name']}.",
        session.audience,
        "Daftar lewat ketua RT/RW." if session.registration_via_rt else "",
        "Bawa Kartu Keluarga (KK).",
        f"Info terbaru: {url}",
    ]
    host = settings.base_url.split("://", 1)[-1].split("/", 1)[0]
    return CalendarEvent(
        uid=f"jadwal-{session.id}@{host}",
        title=session.title,
        day=session.day,
        starts=session.starts,
        ends=session.ends,
        place=place,
        description="\n".join(line for line in lines if line),
        url=url,
        updated_at=session.updated_at,
        cancelled=bool(session.cancelled),
    )


@public_page("/jadwal/{ref:str}", name="session")
async def session_page(request: Request, ref: FromPath[str]) -> Response:
    """``/jadwal/7`` is the page, ``/jadwal/7.ics`` its calendar file."""
    number, ics = (ref[:-4], True) if ref.endswith(".ics") else (ref, False)
    if not number.isascii() or not number.isdigit() or len(number) > 12:
        raise NotFoundException()
    regions = await queries.load_regions()
    session = await queries.public_session(regions, int(number))
    if session is None:
        raise NotFoundException()
    if ics:
        return Response(
            session_calendar(_event(session), get_settings().zone),
            media_type="text/calendar; charset=utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="jadwal-rekam-ktp-{session.id}.ics"'
            },
        )
    today = today_local()
    url = absolute_url(get_settings().base_url, f"/jadwal/{session.id}")
    share_text = (
        f"Perekaman KTP-el: {session.title}, {long_date(session.day)} "
        f"{time_span(session.starts, session.ends)} di {session.place}. Info: {url}"
    )
    query = map_query(session.place, session.address, session.office["short_name"])
    return page(
        request,
        "public/session.html",
        {
            "session": session,
            "past": session.is_past(today),
            "served": [regions.name(code) for code in session.served],
            "share_url": whatsapp_share_url(share_text),
            "maps": {"geo": geo_uri(query), "osm": osm_search_url(query)},
        },
    )

"""Jadwal jemput bola: the schedule with its filters, one page per session and its .ics."""

from litestar import Request, Response
from litestar.di import NamedDependency
from litestar.params import FromPath

from portal.clock import today_local
from portal.domain.links import absolute_url
from portal.public import schedule as sessions
from portal.public.cache import public_page
from portal.public.schedule import ScheduleQuery
from portal.settings import get_settings
from portal.web.forms import query_of
from portal.web.render import render
from portal.web.urls import url


@public_page("/jadwal", name="public:schedule", dependencies={"form": query_of(ScheduleQuery)})
async def schedule(request: Request, form: NamedDependency[ScheduleQuery]) -> Response:
    listing = await sessions.schedule(form, today_local())
    return render(request, "public/schedule.html", vars(listing), block="results")


@public_page("/jadwal/{ref:str}", name="public:session")
async def session(request: Request, ref: FromPath[str]) -> Response:
    """``/jadwal/7`` is the page, ``/jadwal/7.ics`` its calendar file."""
    number, ics = sessions.session_ref(ref)
    page_url = absolute_url(
        get_settings().base_url, url(request, "public:session", ref=str(number))
    )
    if ics:
        calendar = await sessions.calendar_file(number, page_url)
        return Response(
            calendar.body,
            media_type="text/calendar; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{calendar.filename}"'},
        )
    page = await sessions.session_page(number, page_url, today_local())
    return render(request, "public/schedule_session.html", vars(page))

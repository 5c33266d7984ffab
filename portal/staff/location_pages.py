"""A service location's public data (/petugas/konten/lokasi/<id>): its data with a
preview, weekly opening hours and special days."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from litestar import Request, Response, get, post
from litestar.params import FromPath

from portal.domain.errors import Invalid
from portal.domain.scope import Scope
from portal.staff import location
from portal.staff.location import HoursInput, LocationInput, SpecialDayInput
from portal.staff.web import GUARDS, page
from portal.web import flash
from portal.web.forms import form_of
from portal.web.urls import url


async def location_page(
    request: Request, access: Scope, location_id: int, status_code: int = 200, **shown: Any
) -> Response:
    """The page with its three forms; ``shown`` replaces one (``form``, ``hours`` or
    ``day``) by what was sent, with its ``errors``, or adds a ``preview``."""
    v = await location.view(access, location_id)
    context = {
        "v": v,
        "form": LocationInput.of(v.location),
        "hours": location.hours_input(v.hours),
        "day": SpecialDayInput(),
        "failed": "",
        "errors": {},
        "preview": None,
        "weekdays": location.WEEKDAYS,
        **shown,
    }
    return page(request, "staff/location.html", context, access, "konten", status_code=status_code)


async def answer(
    request: Request,
    access: Scope,
    location_id: int,
    work: Awaitable[dict | None],
    code: str,
    part: str,
    form: Any,
) -> Response:
    """After one of the page's forms (``part``: "form", "hours" or "day"): the page again
    with its problems or its preview, else back to it with the message ``code``."""
    try:
        preview = await work
    except Invalid as exc:
        shown = {part: form, "failed": part, "errors": exc.errors}
        return await location_page(request, access, location_id, 422, **shown)
    if preview is not None:
        return await location_page(request, access, location_id, form=form, preview=preview)
    return flash.redirect(url(request, "staff:location", location_id=location_id), code)


@get("/konten/lokasi/{location_id:int}", guards=GUARDS, name="staff:location")
async def location_view(request: Request, access: Scope, location_id: FromPath[int]) -> Response:
    return await location_page(request, access, location_id)


@post(
    "/konten/lokasi/{location_id:int}",
    guards=GUARDS,
    name="staff:location-save",
    dependencies={"form": form_of(LocationInput)},
)
async def location_save(
    request: Request, access: Scope, location_id: FromPath[int], form: LocationInput
) -> Response:
    work = location.save(access, location_id, form)
    return await answer(request, access, location_id, work, "lokasi", "form", form)


@post(
    "/konten/lokasi/{location_id:int}/jam",
    guards=GUARDS,
    name="staff:location-hours",
    dependencies={"form": form_of(HoursInput)},
)
async def location_hours(
    request: Request, access: Scope, location_id: FromPath[int], form: Any
) -> Response:
    work = location.save_hours(access, location_id, form)
    return await answer(request, access, location_id, work, "jam", "hours", form)


@post(
    "/konten/lokasi/{location_id:int}/hari-khusus",
    guards=GUARDS,
    name="staff:location-special-day",
    dependencies={"form": form_of(SpecialDayInput)},
)
async def location_special_day(
    request: Request, access: Scope, location_id: FromPath[int], form: SpecialDayInput
) -> Response:
    work = location.add_special_day(access, location_id, form)
    return await answer(request, access, location_id, work, "hari-khusus", "day", form)


@post(
    "/konten/lokasi/{location_id:int}/hari-khusus/{day_id:int}/hapus",
    guards=GUARDS,
    name="staff:location-special-day-delete",
)
async def location_special_day_delete(
    request: Request, access: Scope, location_id: FromPath[int], day_id: FromPath[int]
) -> Response:
    await location.delete_special_day(access, location_id, day_id)
    path = url(request, "staff:location", location_id=location_id)
    return flash.redirect(path, "hari-khusus-hapus")

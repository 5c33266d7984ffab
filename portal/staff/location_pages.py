"""A service location's public data (``staff:location``): its data with a
preview, its weekly opening hours (part "jam") and its special days ("hari-khusus")."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from litestar import Request, Response
from litestar.params import FromPath

from portal.domain.errors import Invalid, NotFound
from portal.domain.scope import Scope
from portal.staff import location
from portal.staff.inputs import from_row
from portal.staff.location import HoursInput, LocationInput, SpecialDayInput
from portal.staff.web import get, page, post
from portal.web import flash
from portal.web.deps import Access
from portal.web.forms import read_form
from portal.web.urls import url

Save = Callable[[Scope, int, Any], Awaitable[dict | None]]
# The page's forms by the path they post to: (form, its name on the page, save, message).
FORMS: dict[str, tuple[type, str, Save, str]] = {
    "": (LocationInput, "form", location.save, "lokasi"),
    "jam": (HoursInput, "hours", location.save_hours, "jam"),
    "hari-khusus": (SpecialDayInput, "day", location.add_special_day, "hari-khusus"),
}


async def location_page(
    request: Request, access: Scope, location_id: int, status_code: int = 200, **shown: Any
) -> Response:
    """The page with its three forms; ``shown`` replaces one (``form``, ``hours`` or
    ``day``) by what was sent, with its ``errors``, or adds a ``preview``."""
    v = await location.view(access, location_id)
    context = {
        "v": v,
        "form": from_row(LocationInput, v.location),
        "hours": location.hours_input(v.hours),
        "day": SpecialDayInput(),
        "failed": "",
        "errors": {},
        "preview": None,
        "weekdays": location.WEEKDAYS,
        **shown,
    }
    return page(request, "staff/location.html", context, access, "konten", status_code=status_code)


async def send(request: Request, access: Scope, location_id: int, part: str) -> Response:
    """One of the page's forms: the page again with its problems or its preview, else back
    to the page with the form's message."""
    if part not in FORMS:
        raise NotFound()
    model, name, save, code = FORMS[part]
    form: Any = await read_form(request, model)
    try:
        preview = await save(access, location_id, form)
    except Invalid as exc:
        shown = {name: form, "failed": name, "errors": exc.errors}
        return await location_page(request, access, location_id, 422, **shown)
    if preview is not None:
        return await location_page(request, access, location_id, form=form, preview=preview)
    return flash.redirect(url(request, "staff:location", location_id=location_id), code)


@get("/konten/lokasi/{location_id:int}", name="staff:location")
async def location_view(request: Request, access: Access, location_id: FromPath[int]) -> Response:
    return await location_page(request, access, location_id)


@post("/konten/lokasi/{location_id:int}", name="staff:location-save")
async def location_save(request: Request, access: Access, location_id: FromPath[int]) -> Response:
    return await send(request, access, location_id, "")


@post("/konten/lokasi/{location_id:int}/{part:str}", name="staff:location-part")
async def location_part(
    request: Request, access: Access, location_id: FromPath[int], part: FromPath[str]
) -> Response:
    """The weekly hours ("jam") or a new special day ("hari-khusus")."""
    return await send(request, access, location_id, part)


@post(
    "/konten/lokasi/{location_id:int}/{part:str}/{day_id:int}/hapus",
    name="staff:location-special-day-delete",
)
async def location_special_day_delete(
    request: Request,
    access: Access,
    location_id: FromPath[int],
    part: FromPath[str],
    day_id: FromPath[int],
) -> Response:
    """Deletes a special day. Its part ("hari-khusus") is a path parameter: routes do not
    fall back from a fixed segment to a parameter, so a fixed one would hide
    ``location_part``."""
    if part != "hari-khusus":
        raise NotFound()
    await location.delete_special_day(access, location_id, day_id)
    path = url(request, "staff:location", location_id=location_id)
    return flash.redirect(path, "hari-khusus-hapus")

"""Public content maintained by staff (/petugas/konten): locations, opening hours and special
days, requirement items, published figures. Every form can show a preview of the public
rendering before saving ("Pratinjau"); saving changes the public pages at once."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from litestar import Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from portal.staff import content
from portal.staff.scope import StaffScope, staff_scope
from portal.staff.web import GUARDS, actor, redirect, staff_render
from portal.tables.content import PublishedFigure, Requirement
from portal.tables.locations import Location, OpeningHours, SpecialDay


def _previewing(data) -> bool:
    return (data.get("aksi") or "") == "pratinjau"


@get("/konten", guards=GUARDS, name="staff_content")
async def content_page(request: Request) -> Response:
    scope = await staff_scope(request, request.query_params.get("kantor"))
    ids = scope.listing_ids
    locations = (
        await Location.select(
            Location.id, Location.name, Location.kind, Location.active, Location.office
        )
        .where(Location.office.is_in(ids))
        .order_by(Location.name)
    )
    requirements = (
        await Requirement.select(
            Requirement.id,
            Requirement.title,
            Requirement.topic,
            Requirement.office,
            Requirement.verified,
            Requirement.position,
        )
        .where(Requirement.office.is_in(ids) | Requirement.office.is_null())
        .order_by(Requirement.topic)
        .order_by(Requirement.position)
    )
    figures = (
        await PublishedFigure.select()
        .where(PublishedFigure.office.is_in(ids))
        .order_by(PublishedFigure.office)
        .order_by(PublishedFigure.position)
    )
    return staff_render(
        request,
        "staff/content/index.html",
        {
            "locations": locations,
            "requirements": requirements,
            "figures": figures,
            "kinds": content.LOCATION_KIND_LABELS,
            "topics": content.TOPIC_LABELS,
        },
        scope=scope,
        section="konten",
    )


# --- Locations ---------------------------------------------------------------------------------


async def _location(scope: StaffScope, location_id: int) -> dict:
    row = (
        await Location.select()
        .where(Location.id == location_id, Location.office.is_in(scope.allowed_ids))
        .output(load_json=True)
        .first()
    )
    if row is None:
        raise NotFoundException()
    return row


async def _location_page(
    request: Request,
    scope: StaffScope,
    location: dict,
    *,
    form=None,
    hours_form=None,
    day_form=None,
    preview: dict | None = None,
    status_code: int = 200,
) -> Response:
    hours = (
        await OpeningHours.select()
        .where(OpeningHours.location == location["id"])
        .order_by(OpeningHours.weekday)
    )
    days = (
        await SpecialDay.select()
        .where(SpecialDay.location == location["id"])
        .order_by(SpecialDay.day, ascending=False)
    )
    return staff_render(
        request,
        "staff/content/location.html",
        {
            "location": location,
            "form": form or content.location_form(row=location)[0],
            "hours_form": hours_form or content.hours_form(rows=hours)[0],
            "day_form": day_form or content.Form(initial={}),
            "hours": hours,
            "special_days": days,
            "weekdays": content.WEEKDAYS,
            "kinds": content.LOCATION_KIND_LABELS,
            "services": content.SERVICE_LABELS,
            "preview": preview,
        },
        scope=scope,
        section="konten",
        status_code=status_code,
    )


@get("/konten/lokasi/{location_id:int}", guards=GUARDS, name="staff_location")
async def location_page(request: Request, location_id: FromPath[int]) -> Response:
    scope = await staff_scope(request)
    return await _location_page(request, scope, await _location(scope, location_id))


@post("/konten/lokasi/{location_id:int}", guards=GUARDS, name="staff_location_save")
async def location_save(request: Request, location_id: FromPath[int]) -> Response:
    scope = await staff_scope(request)
    location = await _location(scope, location_id)
    data = await request.form()
    form, values = content.location_form(data)
    if values is None:
        return await _location_page(request, scope, location, form=form, status_code=422)
    if _previewing(data):
        preview = {**location, **{col._meta.name: v for col, v in values.items()}}
        return await _location_page(request, scope, location, form=form, preview=preview)
    await content.save_location(actor(request), location, values)
    return redirect(f"/petugas/konten/lokasi/{location_id}", {"disimpan": "lokasi"})


@post("/konten/lokasi/{location_id:int}/jam", guards=GUARDS, name="staff_location_hours")
async def location_hours(request: Request, location_id: FromPath[int]) -> Response:
    scope = await staff_scope(request)
    location = await _location(scope, location_id)
    form, hours = content.hours_form(await request.form())
    if hours is None:
        return await _location_page(request, scope, location, hours_form=form, status_code=422)
    await content.save_hours(actor(request), location, hours)
    return redirect(f"/petugas/konten/lokasi/{location_id}", {"disimpan": "jam"})


@post(
    "/konten/lokasi/{location_id:int}/hari-khusus",
    guards=GUARDS,
    name="staff_location_special_day",
)
async def location_special_day(request: Request, location_id: FromPath[int]) -> Response:
    scope = await staff_scope(request)
    location = await _location(scope, location_id)
    form, values = content.special_day_form(await request.form())
    if values is None:
        return await _location_page(request, scope, location, day_form=form, status_code=422)
    await content.add_special_day(actor(request), location, values)
    return redirect(f"/petugas/konten/lokasi/{location_id}", {"disimpan": "hari-khusus"})


@post(
    "/konten/lokasi/{location_id:int}/hari-khusus/{day_id:int}/hapus",
    guards=GUARDS,
    name="staff_location_special_day_delete",
)
async def location_special_day_delete(
    request: Request, location_id: FromPath[int], day_id: FromPath[int]
) -> Response:
    scope = await staff_scope(request)
    location = await _location(scope, location_id)
    if not await content.delete_special_day(actor(request), location, day_id):
        raise NotFoundException()
    return redirect(f"/petugas/konten/lokasi/{location_id}", {"disimpan": "hari-khusus-hapus"})


# --- Requirement items and figures: a form, a preview, a save ----------------------------------


@dataclass(frozen=True)
class Editable:
    template: str
    flash: str  # the "saved" message key on /petugas/konten
    form: Callable[..., tuple[Any, dict | None]]
    save: Callable[..., Awaitable[int]]
    context: Callable[[], dict] = dict  # what else the template needs


REQUIREMENT = Editable(
    "staff/content/requirement.html",
    "persyaratan",
    content.requirement_form,
    content.save_requirement,
    lambda: {"topics": content.TOPIC_LABELS, "paragraphs": content.paragraphs},
)
FIGURE = Editable("staff/content/figure.html", "angka", content.figure_form, content.save_figure)


def _as_row(values: dict) -> dict:
    return {col._meta.name: v for col, v in values.items()}


def _edit_page(kind, request, scope, form, row, preview=None, status_code=200, office=None):
    return staff_render(
        request,
        kind.template,
        {"form": form, "item": row, "preview": preview, "office": office, **kind.context()},
        scope=scope,
        section="konten",
        status_code=status_code,
    )


async def _create(kind: Editable, request: Request) -> Response:
    data = await request.form()
    scope = await staff_scope(request, data.get("kantor"))
    office = scope.single_office()
    form, values = kind.form(data)
    if office is None:
        form.errors["kantor"] = "Pilih kantor"
        values = None
    if values is None or _previewing(data):
        preview = _as_row(values) if values is not None else None
        return _edit_page(
            kind, request, scope, form, None, preview, 200 if preview else 422, office=office
        )
    await kind.save(actor(request), values, office.id)
    return redirect("/petugas/konten", {"disimpan": kind.flash})


async def _save(kind: Editable, request: Request, scope: StaffScope, row: dict) -> Response:
    data = await request.form()
    form, values = kind.form(data)
    if values is None:
        return _edit_page(kind, request, scope, form, row, status_code=422)
    if _previewing(data):
        return _edit_page(kind, request, scope, form, row, {**row, **_as_row(values)})
    await kind.save(actor(request), values, row["office"], row)
    return redirect("/petugas/konten", {"disimpan": kind.flash})


# --- Requirements ------------------------------------------------------------------------------


async def _requirement(scope: StaffScope, requirement_id: int) -> dict:
    row = await Requirement.select().where(Requirement.id == requirement_id).first()
    if row is None:
        raise NotFoundException()
    # Items shared by both offices belong to no office: only admin may change them.
    if row["office"] is None and not scope.is_admin:
        raise NotFoundException()
    if row["office"] is not None:
        scope.check(row["office"])
    return row


@get("/konten/persyaratan/baru", guards=GUARDS, name="staff_requirement_new")
async def requirement_new(request: Request) -> Response:
    scope = await staff_scope(request, request.query_params.get("kantor"))
    form, _ = content.requirement_form(row={"topic": "dokumen", "position": 100})
    return _edit_page(REQUIREMENT, request, scope, form, None, office=scope.single_office())


@post("/konten/persyaratan/baru", guards=GUARDS, name="staff_requirement_create")
async def requirement_create(request: Request) -> Response:
    return await _create(REQUIREMENT, request)


@get("/konten/persyaratan/{requirement_id:int}", guards=GUARDS, name="staff_requirement")
async def requirement_page(request: Request, requirement_id: FromPath[int]) -> Response:
    scope = await staff_scope(request)
    row = await _requirement(scope, requirement_id)
    form, _ = content.requirement_form(row=row)
    return _edit_page(REQUIREMENT, request, scope, form, row)


@post("/konten/persyaratan/{requirement_id:int}", guards=GUARDS, name="staff_requirement_save")
async def requirement_save(request: Request, requirement_id: FromPath[int]) -> Response:
    scope = await staff_scope(request)
    return await _save(REQUIREMENT, request, scope, await _requirement(scope, requirement_id))


# --- Figures -----------------------------------------------------------------------------------


async def _figure(scope: StaffScope, figure_id: int) -> dict:
    row = (
        await PublishedFigure.select()
        .where(PublishedFigure.id == figure_id, PublishedFigure.office.is_in(scope.allowed_ids))
        .first()
    )
    if row is None:
        raise NotFoundException()
    return row


@get("/konten/angka/baru", guards=GUARDS, name="staff_figure_new")
async def figure_new(request: Request) -> Response:
    scope = await staff_scope(request, request.query_params.get("kantor"))
    form, _ = content.figure_form()
    return _edit_page(FIGURE, request, scope, form, None, office=scope.single_office())


@post("/konten/angka/baru", guards=GUARDS, name="staff_figure_create")
async def figure_create(request: Request) -> Response:
    return await _create(FIGURE, request)


@get("/konten/angka/{figure_id:int}", guards=GUARDS, name="staff_figure")
async def figure_page(request: Request, figure_id: FromPath[int]) -> Response:
    scope = await staff_scope(request)
    row = await _figure(scope, figure_id)
    form, _ = content.figure_form(row=row)
    return _edit_page(FIGURE, request, scope, form, row)


@post("/konten/angka/{figure_id:int}", guards=GUARDS, name="staff_figure_save")
async def figure_save(request: Request, figure_id: FromPath[int]) -> Response:
    scope = await staff_scope(request)
    return await _save(FIGURE, request, scope, await _figure(scope, figure_id))


@post("/konten/angka/{figure_id:int}/hapus", guards=GUARDS, name="staff_figure_delete")
async def figure_delete(request: Request, figure_id: FromPath[int]) -> Response:
    scope = await staff_scope(request)
    row = await _figure(scope, figure_id)
    await content.delete_figure(actor(request), row)
    return redirect("/petugas/konten", {"disimpan": "angka-hapus"})

"""Public content maintained by staff (/petugas/konten): the listing, requirement items and
published figures (locations: ``location_pages``). Every form can show a preview of the
public rendering before saving ("Pratinjau"); saving changes the public pages at once."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.params import FromPath

from portal.domain.errors import Invalid
from portal.domain.scope import Scope
from portal.staff import content
from portal.staff.content import FIGURE, REQUIREMENT, FigureInput, Kind, RequirementInput
from portal.staff.web import GUARDS, page
from portal.web import flash
from portal.web.forms import form_of
from portal.web.urls import url

TEMPLATES = {"requirement": "staff/content_requirement.html", "figure": "staff/content_figure.html"}
SAVED = {"requirement": "persyaratan", "figure": "angka"}


def edit_page(
    request: Request,
    access: Scope,
    kind: Kind,
    form: Any,
    item: dict | None,
    errors: dict[str, str] | None = None,
    preview: dict | None = None,
) -> Response:
    """The form of a new item (``item`` None) or a saved one, with its problems or a
    preview of what it would look like."""
    context = {
        "form": form,
        "item": item,
        "errors": errors or {},
        "preview": preview,
        "office": access.choose(getattr(form, "kantor", "")).single_office(),
    }
    status = 422 if errors else 200
    return page(request, TEMPLATES[kind.name], context, access, "konten", status_code=status)


async def save(
    request: Request, access: Scope, kind: Kind, form: Any, item: dict | None = None
) -> Response:
    try:
        preview = await content.save(access, kind, form, item)
    except Invalid as exc:
        return edit_page(request, access, kind, form, item, exc.errors)
    if preview is not None:
        return edit_page(request, access, kind, form, item, preview=preview)
    return flash.redirect(url(request, "staff:content"), SAVED[kind.name])


@get("/konten", guards=GUARDS, name="staff:content")
async def content_page(request: Request, access: Scope) -> Response:
    context = {"c": await content.index(access)}
    return page(request, "staff/content.html", context, access, "konten")


# --- Requirements ------------------------------------------------------------------------------


@get("/konten/persyaratan/baru", guards=GUARDS, name="staff:requirement-new")
async def requirement_new(request: Request, access: Scope) -> Response:
    form = RequirementInput(kantor=access.kantor)
    return edit_page(request, access, REQUIREMENT, form, None)


@post(
    "/konten/persyaratan/baru",
    guards=GUARDS,
    name="staff:requirement-create",
    dependencies={"form": form_of(RequirementInput)},
)
async def requirement_create(request: Request, access: Scope, form: RequirementInput) -> Response:
    return await save(request, access, REQUIREMENT, form)


@get("/konten/persyaratan/{item_id:int}", guards=GUARDS, name="staff:requirement")
async def requirement_page(request: Request, access: Scope, item_id: FromPath[int]) -> Response:
    row = await content.item(access, REQUIREMENT, item_id)
    return edit_page(request, access, REQUIREMENT, RequirementInput.of(row), row)


@post(
    "/konten/persyaratan/{item_id:int}",
    guards=GUARDS,
    name="staff:requirement-save",
    dependencies={"form": form_of(RequirementInput)},
)
async def requirement_save(
    request: Request, access: Scope, item_id: FromPath[int], form: RequirementInput
) -> Response:
    row = await content.item(access, REQUIREMENT, item_id)
    return await save(request, access, REQUIREMENT, form, row)


# --- Figures -----------------------------------------------------------------------------------


@get("/konten/angka/baru", guards=GUARDS, name="staff:figure-new")
async def figure_new(request: Request, access: Scope) -> Response:
    return edit_page(request, access, FIGURE, FigureInput(kantor=access.kantor), None)


@post(
    "/konten/angka/baru",
    guards=GUARDS,
    name="staff:figure-create",
    dependencies={"form": form_of(FigureInput)},
)
async def figure_create(request: Request, access: Scope, form: FigureInput) -> Response:
    return await save(request, access, FIGURE, form)


@get("/konten/angka/{item_id:int}", guards=GUARDS, name="staff:figure")
async def figure_page(request: Request, access: Scope, item_id: FromPath[int]) -> Response:
    row = await content.item(access, FIGURE, item_id)
    return edit_page(request, access, FIGURE, FigureInput.of(row), row)


@post(
    "/konten/angka/{item_id:int}",
    guards=GUARDS,
    name="staff:figure-save",
    dependencies={"form": form_of(FigureInput)},
)
async def figure_save(
    request: Request, access: Scope, item_id: FromPath[int], form: FigureInput
) -> Response:
    row = await content.item(access, FIGURE, item_id)
    return await save(request, access, FIGURE, form, row)


@post("/konten/angka/{item_id:int}/hapus", guards=GUARDS, name="staff:figure-delete")
async def figure_delete(request: Request, access: Scope, item_id: FromPath[int]) -> Response:
    await content.delete(access, FIGURE, item_id)
    return flash.redirect(url(request, "staff:content"), "angka-hapus")

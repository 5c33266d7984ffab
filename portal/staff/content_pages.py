"""Public content maintained by staff (``staff:content``): the listing, requirement items
("persyaratan") and published figures ("angka"), both edited the same way
(locations: ``location_pages``). Every form can show a preview of the public rendering
before saving ("Pratinjau"); saving changes the public pages at once."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response
from litestar.params import FromPath

from portal.domain.errors import Invalid, NotFound
from portal.domain.scope import Scope
from portal.staff import content
from portal.staff.content import FIGURE, REQUIREMENT, Kind
from portal.staff.web import get, page, post
from portal.web import flash
from portal.web.deps import Access
from portal.web.forms import read_form
from portal.web.urls import url

# The kinds by their path segment, with their page and the message after a save.
KINDS = {"persyaratan": REQUIREMENT, "angka": FIGURE}
TEMPLATES = {"requirement": "staff/content_requirement.html", "figure": "staff/content_figure.html"}
SAVED = {"requirement": "persyaratan", "figure": "angka"}


def kind_of(segment: str) -> Kind:
    if segment not in KINDS:
        raise NotFound()
    return KINDS[segment]


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
        "kind": next(k for k, v in KINDS.items() if v is kind),
        "errors": errors or {},
        "preview": preview,
        "office": access.choose(form.kantor).single_office(),
    }
    status = 422 if errors else 200
    return page(request, TEMPLATES[kind.name], context, access, "konten", status_code=status)


async def save(request: Request, access: Scope, kind: Kind, item: dict | None) -> Response:
    form: Any = await read_form(request, kind.form)
    try:
        preview = await content.save(access, kind, form, item)
    except Invalid as exc:
        return edit_page(request, access, kind, form, item, exc.errors)
    if preview is not None:
        return edit_page(request, access, kind, form, item, preview=preview)
    return flash.redirect(url(request, "staff:content"), SAVED[kind.name])


@get("/konten", name="staff:content")
async def content_page(request: Request, access: Access) -> Response:
    context = {"c": await content.index(access)}
    return page(request, "staff/content.html", context, access, "konten")


@get("/konten/{kind:str}/baru", name="staff:content-new")
async def new_item_page(request: Request, access: Access, kind: FromPath[str]) -> Response:
    item_kind = kind_of(kind)
    form = item_kind.form(kantor=access.kantor)
    return edit_page(request, access, item_kind, form, None)


@post("/konten/{kind:str}/baru", name="staff:content-create")
async def create_item(request: Request, access: Access, kind: FromPath[str]) -> Response:
    return await save(request, access, kind_of(kind), None)


@get("/konten/{kind:str}/{item_id:int}", name="staff:content-item")
async def item_page(
    request: Request, access: Access, kind: FromPath[str], item_id: FromPath[int]
) -> Response:
    item_kind = kind_of(kind)
    row = await content.item(access, item_kind, item_id)
    return edit_page(request, access, item_kind, item_kind.form_of(row), row)


@post("/konten/{kind:str}/{item_id:int}", name="staff:content-save")
async def save_item(
    request: Request, access: Access, kind: FromPath[str], item_id: FromPath[int]
) -> Response:
    item_kind = kind_of(kind)
    return await save(request, access, item_kind, await content.item(access, item_kind, item_id))


@post("/konten/{kind:str}/{item_id:int}/hapus", name="staff:content-delete")
async def delete_item(
    request: Request, access: Access, kind: FromPath[str], item_id: FromPath[int]
) -> Response:
    """Figures may be deleted; requirement items are kept (and edited)."""
    if kind_of(kind) is not FIGURE:
        raise NotFound()
    await content.delete(access, FIGURE, item_id)
    return flash.redirect(url(request, "staff:content"), "angka-hapus")

"""The office's recording kits and operators (``staff:kits``): the list with the forms that
add one, and the edit page of each (taking one out of use instead of deleting it)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from litestar import Request, Response
from litestar.di import NamedDependency
from litestar.params import FromPath

from portal.clock import today_local
from portal.domain import form_tokens
from portal.domain.errors import Conflict, Invalid
from portal.domain.scope import Scope
from portal.staff import kits
from portal.staff.kits import KitInput, OperatorInput
from portal.staff.web import get, page, post
from portal.web import flash
from portal.web.deps import Access
from portal.web.urls import url

SECTION = "alat"

flash.messages(
    {
        "alat-disimpan": flash.ok("Alat rekam disimpan."),
        "operator-disimpan": flash.ok("Operator disimpan."),
    }
)


async def kits_page(
    request: Request, access: Scope, status_code: int = 200, **shown: Any
) -> Response:
    """The list; ``shown`` replaces a new-item form (``kit_form``, ``operator_form``) by
    what was sent, with its ``errors``."""
    context = {
        "v": await kits.kits(access, today_local()),
        "kit_form": KitInput(_token=form_tokens.new_token()),
        "operator_form": OperatorInput(_token=form_tokens.new_token()),
        "errors": {},
        "failed": "",
        **shown,
    }
    return page(request, "staff/kits.html", context, access, SECTION, status_code=status_code)


async def edit_page(
    request: Request, access: Scope, what: str, item: dict, form: Any, **shown: Any
) -> Response:
    """The edit page of a kit or an operator (``what``), with the sessions it has coming."""
    context = {"what": what, "item": item, "form": form, "errors": {}, **shown}
    context["sessions"] = await kits.coming_sessions(what, item["id"], today_local())
    status = 409 if shown.get("conflict") else 422 if shown.get("errors") else 200
    return page(request, "staff/kits_edit.html", context, access, SECTION, status_code=status)


def to_list(request: Request, kantor: str, code: str) -> Response:
    return flash.redirect(url(request, "staff:kits", {"kantor": kantor}), code)


@dataclass(frozen=True)
class Editing:
    """How the edit page of a kit or an operator reads, saves and shows its item."""

    read: Callable[[Scope, int], Awaitable[dict]]
    update: Callable[[Scope, int, Any], Awaitable[None]]
    as_form: Callable[[dict], Any]  # the stored item as its form shows it
    saved: str  # the message code after a save


EDITING = {
    "kit": Editing(kits.kit, kits.update_kit, kits.kit_input, "alat-disimpan"),
    "operator": Editing(
        kits.operator, kits.update_operator, kits.operator_input, "operator-disimpan"
    ),
}


async def show_edit(request: Request, access: Scope, what: str, item_id: int) -> Response:
    editing = EDITING[what]
    row = await editing.read(access, item_id)
    return await edit_page(request, access, what, row, editing.as_form(row))


async def save_edit(
    request: Request, access: Scope, what: str, item_id: int, form: Any
) -> Response:
    """Save an edit page: refused input shows the form again as typed; a colleague's change
    in between shows the item as it is now, with the conflict."""
    editing = EDITING[what]
    try:
        await editing.update(access, item_id, form)
    except Invalid as exc:
        row = await editing.read(access, item_id)
        return await edit_page(request, access, what, row, form, errors=exc.errors)
    except Conflict as exc:
        row = await editing.read(access, item_id)
        return await edit_page(
            request, access, what, row, editing.as_form(row), conflict=exc.message
        )
    return to_list(request, access.kantor, editing.saved)


@get("/alat-rekam", name="staff:kits")
async def kits_list(request: Request, access: Access) -> Response:
    return await kits_page(request, access)


@post("/alat-rekam/baru", name="staff:kit-create", form=KitInput)
async def create_kit(request: Request, access: Access, form: NamedDependency[KitInput]) -> Response:
    try:
        await kits.create_kit(access, form)
    except Invalid as exc:
        return await kits_page(request, access, 422, kit_form=form, errors=exc.errors, failed="kit")
    return to_list(request, form.kantor, "alat-disimpan")


@get("/alat-rekam/{kit_id:int}", name="staff:kit")
async def kit_page(request: Request, access: Access, kit_id: FromPath[int]) -> Response:
    return await show_edit(request, access, "kit", kit_id)


@post("/alat-rekam/{kit_id:int}", name="staff:kit-save", form=KitInput)
async def save_kit(
    request: Request, access: Access, kit_id: FromPath[int], form: NamedDependency[KitInput]
) -> Response:
    return await save_edit(request, access, "kit", kit_id, form)


@post("/alat-rekam/operator/baru", name="staff:operator-create", form=OperatorInput)
async def create_operator(
    request: Request, access: Access, form: NamedDependency[OperatorInput]
) -> Response:
    try:
        await kits.create_operator(access, form)
    except Invalid as exc:
        shown = {"operator_form": form, "errors": exc.errors, "failed": "operator"}
        return await kits_page(request, access, 422, **shown)
    return to_list(request, form.kantor, "operator-disimpan")


@get("/alat-rekam/operator/{operator_id:int}", name="staff:operator")
async def operator_page(request: Request, access: Access, operator_id: FromPath[int]) -> Response:
    return await show_edit(request, access, "operator", operator_id)


@post("/alat-rekam/operator/{operator_id:int}", name="staff:operator-save", form=OperatorInput)
async def save_operator(
    request: Request,
    access: Access,
    operator_id: FromPath[int],
    form: NamedDependency[OperatorInput],
) -> Response:
    return await save_edit(request, access, "operator", operator_id, form)

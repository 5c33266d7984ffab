"""The office's recording kits and operators (``staff:kits``): the list with the forms that
add one, and the edit page of each (taking one out of use instead of deleting it)."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from portal.clock import today_local
from portal.domain import form_tokens
from portal.domain.errors import Conflict, Invalid
from portal.domain.scope import Scope
from portal.staff import kits
from portal.staff.kits import KitInput, OperatorInput
from portal.staff.web import GUARDS, page
from portal.web import flash
from portal.web.deps import Access
from portal.web.forms import form_of
from portal.web.urls import url

SECTION = "alat"
KIT_FORM = {"form": form_of(KitInput)}
OPERATOR_FORM = {"form": form_of(OperatorInput)}

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


@get("/alat-rekam", guards=GUARDS, name="staff:kits")
async def kits_list(request: Request, access: Access) -> Response:
    return await kits_page(request, access)


@post("/alat-rekam/baru", guards=GUARDS, name="staff:kit-create", dependencies=KIT_FORM)
async def create_kit(request: Request, access: Access, form: NamedDependency[KitInput]) -> Response:
    try:
        await kits.create_kit(access, form)
    except Invalid as exc:
        return await kits_page(request, access, 422, kit_form=form, errors=exc.errors, failed="kit")
    return to_list(request, form.kantor, "alat-disimpan")


@get("/alat-rekam/{kit_id:int}", guards=GUARDS, name="staff:kit")
async def kit_page(request: Request, access: Access, kit_id: FromPath[int]) -> Response:
    row = await kits.kit(access, kit_id)
    return await edit_page(request, access, "kit", row, kits.kit_input(row))


@post("/alat-rekam/{kit_id:int}", guards=GUARDS, name="staff:kit-save", dependencies=KIT_FORM)
async def save_kit(
    request: Request, access: Access, kit_id: FromPath[int], form: NamedDependency[KitInput]
) -> Response:
    try:
        await kits.update_kit(access, kit_id, form)
    except Invalid as exc:
        row = await kits.kit(access, kit_id)
        return await edit_page(request, access, "kit", row, form, errors=exc.errors)
    except Conflict as exc:
        row = await kits.kit(access, kit_id)
        return await edit_page(
            request, access, "kit", row, kits.kit_input(row), conflict=exc.message
        )
    return to_list(request, access.kantor, "alat-disimpan")


@post(
    "/alat-rekam/operator/baru",
    guards=GUARDS,
    name="staff:operator-create",
    dependencies=OPERATOR_FORM,
)
async def create_operator(
    request: Request, access: Access, form: NamedDependency[OperatorInput]
) -> Response:
    try:
        await kits.create_operator(access, form)
    except Invalid as exc:
        shown = {"operator_form": form, "errors": exc.errors, "failed": "operator"}
        return await kits_page(request, access, 422, **shown)
    return to_list(request, form.kantor, "operator-disimpan")


@get("/alat-rekam/operator/{operator_id:int}", guards=GUARDS, name="staff:operator")
async def operator_page(request: Request, access: Access, operator_id: FromPath[int]) -> Response:
    row = await kits.operator(access, operator_id)
    return await edit_page(request, access, "operator", row, kits.operator_input(row))


@post(
    "/alat-rekam/operator/{operator_id:int}",
    guards=GUARDS,
    name="staff:operator-save",
    dependencies=OPERATOR_FORM,
)
async def save_operator(
    request: Request,
    access: Access,
    operator_id: FromPath[int],
    form: NamedDependency[OperatorInput],
) -> Response:
    try:
        await kits.update_operator(access, operator_id, form)
    except Invalid as exc:
        row = await kits.operator(access, operator_id)
        return await edit_page(request, access, "operator", row, form, errors=exc.errors)
    except Conflict as exc:
        row = await kits.operator(access, operator_id)
        form = kits.operator_input(row)
        return await edit_page(request, access, "operator", row, form, conflict=exc.message)
    return to_list(request, access.kantor, "operator-disimpan")

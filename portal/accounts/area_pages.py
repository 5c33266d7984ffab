"""/petugas/koordinator/{id}/wilayah: staff change a coordinator's title and area; and the
village picker every coordinator form shares (/petugas/koordinator/desa)."""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery

from portal.accounts import area, manage
from portal.accounts.account_fields import AccountInput, form_values
from portal.accounts.web import Again, refusal
from portal.domain.errors import Conflict, Invalid
from portal.domain.scope import Scope
from portal.web import flash
from portal.web.deps import Access
from portal.web.forms import form_of, refill
from portal.web.render import render
from portal.web.urls import url

COORDINATORS = manage.COORDINATORS


@get("/desa", name="accounts:village-field")
async def village_field(
    request: Request, access: Access, kecamatan: FromQuery[str] = ""
) -> Response:
    """The village picker narrowed to one kecamatan (htmx swaps it into the form)."""
    values = {"kecamatan": kecamatan if kecamatan.isdigit() else ""}
    context = {"values": values, "errors": {}, "narrow": True}
    context.update(await manage.form_choices(access, COORDINATORS))
    return render(request, "accounts/_village_field.html", context, block="field")


async def _area(
    request: Request, access: Scope, user_id: int, again: Again | None = None
) -> Response:
    shown = refusal(again)
    account = await manage.load_account(access, COORDINATORS, user_id)
    values = again.values if again and again.values else form_values(account)
    action = url(request, "accounts:coordinator-area-submit", user_id=user_id)
    context = {"kind": COORDINATORS, "account": account, "values": values, "action": action}
    context.update(shown.context, **await manage.form_choices(access, COORDINATORS))
    return render(request, "accounts/area.html", context, status_code=shown.status)


@get("/{user_id:int}/wilayah", name="accounts:coordinator-area")
async def area_page(request: Request, access: Access, user_id: FromPath[int]) -> Response:
    return await _area(request, access, user_id)


@post(
    "/{user_id:int}/wilayah",
    name="accounts:coordinator-area-submit",
    dependencies={"form": form_of(AccountInput)},
)
async def area_submit(
    request: Request, access: Access, user_id: FromPath[int], form: NamedDependency[AccountInput]
) -> Response:
    try:
        await area.change_area(access, user_id, form)
    except Invalid as exc:
        return await _area(request, access, user_id, Again(exc, refill(form)))
    except Conflict as exc:  # changed meanwhile: the current data, not what was typed
        return await _area(request, access, user_id, Again(exc))
    target = url(request, COORDINATORS.route("detail"), user_id=user_id)
    return flash.redirect(target, "wilayah")


HANDLERS = [village_field, area_page, area_submit]

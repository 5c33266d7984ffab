"""Making a new list: the form (only for coordinators who pick part of their area) and the
post, which the dashboard's one-tap button also sends."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency

from portal.coordinator.new_list import (
    NOTE_MAX,
    Choices,
    ListAlreadyMade,
    NewListInput,
    choices,
    create_list,
)
from portal.domain import form_tokens
from portal.domain.errors import Invalid
from portal.tables.residents import ResidentList
from portal.web import flash
from portal.web.deps import Access
from portal.web.forms import Limit, form_of, refill
from portal.web.render import render
from portal.web.urls import url


@dataclass
class NewListForm(NewListInput):
    note: Annotated[str, Limit(NOTE_MAX * 4)] = ""
    _token: Annotated[str, Limit(form_tokens.MAX_LENGTH)] = ""


def _page(
    request: Request,
    where: Choices,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    *,
    made: ResidentList | None = None,
    status_code: int = 200,
) -> Response:
    context = {
        "where": where,
        "values": values or {},
        "errors": errors or {},
        "summary": [(f"list-{name}", message) for name, message in (errors or {}).items()],
        "create_token": (values or {}).get("_token") or form_tokens.new_token(),
        "made_list": made,
    }
    return render(request, "coordinator/new_list.html", context, status_code=status_code)


@get("/daftar/baru", name="coordinator:new-list")
async def new_list_form(request: Request, access: Access) -> Response:
    return _page(request, await choices(access))


@post("/daftar/baru", name="coordinator:create-list", dependencies={"form": form_of(NewListForm)})
async def create_list_handler(
    request: Request, access: Access, form: NamedDependency[NewListForm]
) -> Response:
    try:
        lst = await create_list(access, form, token=form._token)
    except Invalid as exc:
        return _page(request, await choices(access), refill(form), exc.errors, status_code=400)
    except ListAlreadyMade as exc:
        # Nothing was made: say which list the form made, and give the input back on a
        # fresh form in case a second list is really wanted.
        values = {k: v for k, v in refill(form).items() if k != "_token"}
        where = await choices(access)
        return _page(request, where, values, made=exc.made, status_code=409)
    return flash.redirect(url(request, "coordinator:list", list_id=str(lst.public_id)), "dibuat")

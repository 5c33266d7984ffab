"""A list's page (draft: the editor; submitted: the status of every resident), its title
and note, and the printed round sheet."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from litestar import Request, Response, get, post
from litestar.di import NamedDependency

from portal.clock import today_local
from portal.coordinator import submit
from portal.coordinator.resident_list import print_rows
from portal.coordinator.web import OwnedList, list_url, list_view, to_list
from portal.web.deps import Access, CurrentUser
from portal.web.forms import Limit, form_of
from portal.web.render import render


@dataclass
class InfoForm:
    title: Annotated[str, Limit(submit.TITLE_MAX * 4)] = ""
    note: Annotated[str, Limit(submit.NOTE_MAX * 4)] = ""


INFO = {"form": form_of(InfoForm)}


@get("/daftar/{list_id:str}", name="coordinator:list")
async def show_list(request: Request, own: OwnedList) -> Response:
    return await list_view(request, own)


@post("/daftar/{list_id:str}/info", name="coordinator:list-info", dependencies=INFO)
async def update_info(
    request: Request, access: Access, own: OwnedList, form: NamedDependency[InfoForm]
) -> Response:
    await submit.update_info(access, own, title=form.title, note=form.note)
    return to_list(request, own, "diubah")


@get("/daftar/{list_id:str}/cetak", name="coordinator:print")
async def print_sheet(request: Request, user: CurrentUser, own: OwnedList) -> Response:
    residents, lines = await print_rows(own)
    context = {
        "lst": own.row,
        "area": own.area,
        "list_url": list_url(request, own),
        "residents": residents,
        "lines": lines,
        "printed_on": today_local(),
        "coordinator": user,
    }
    return render(request, "coordinator/resident_list_print.html", context)

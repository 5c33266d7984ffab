"""One resident's page: status, staff notes meant for the coordinator, history, and the
correction form when staff asked for one."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get

from portal.coordinator import rows
from portal.coordinator.resident import resident_view, resubmit_resident
from portal.coordinator.resident_form import FormState
from portal.coordinator.resident_list import OwnList
from portal.coordinator.web import ListResident, OwnedList, edit_state, list_url, problem
from portal.domain.errors import Conflict
from portal.domain.scope import Scope
from portal.tables.residents import Resident
from portal.web import flash
from portal.web.flash import Notice
from portal.web.render import render


async def resident_page(
    request: Request,
    own: OwnList,
    resident: Resident,
    *,
    fs: FormState | None = None,
    refused: Notice | None = None,
    status_code: int = 200,
) -> Response:
    view = await resident_view(own, resident)
    if fs is None and resident.status == "perlu_perbaikan":
        fs = edit_state(request, own, resident, saved=await rows.saved_input(own, resident.id))
    context = {
        "lst": own.row,
        "area": own.area,
        "key": own.key,
        "r": view.row,
        "line": view.line,
        "events": view.events,
        "fs": fs,
        "problem": refused,
    }
    return render(request, "coordinator/resident.html", context, status_code=status_code)


@get("/daftar/{list_id:str}/warga/{resident_id:int}", name="coordinator:resident")
async def show_resident(request: Request, own: OwnedList, resident: ListResident) -> Response:
    return await resident_page(request, own, resident)


async def resubmit(
    request: Request, access: Scope, own: OwnList, resident: Resident, raw: dict[str, Any]
) -> Response:
    """The correction staff asked for, sent back (its form posts where an edit does)."""
    try:
        checked = await resubmit_resident(access, own, resident, raw)
    except Conflict as exc:
        return await resident_page(request, own, resident, refused=problem(exc))
    if not checked.ok:
        fs = edit_state(request, own, resident, checked=checked)
        return await resident_page(request, own, resident, fs=fs, status_code=400)
    page = list_url(request, own, "coordinator:resident", resident_id=resident.id)
    return flash.redirect(page, "dikirim-ulang")

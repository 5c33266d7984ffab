"""Residents one by one on a draft list: add, check a field as it is left (and autosave),
edit in place, add a household member, forget unsaved input, remove.

With htmx each answers the list's editor block (or the one field checked); without
JavaScript every form is a plain POST and a redirect, and errors come back on the page.
"""

from __future__ import annotations

from dataclasses import dataclass

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery

from portal.coordinator import rows
from portal.coordinator.resident_fields import CHECKABLE
from portal.coordinator.resident_list import get_resident
from portal.coordinator.resident_pages import resubmit
from portal.coordinator.web import (
    RESIDENT_FORM,
    ListResident,
    OwnedList,
    ResidentForm,
    add_state,
    changed,
    edit_state,
    field_state,
    list_url,
    list_view,
    problem,
    to_list,
)
from portal.domain.errors import Conflict, NotFound
from portal.domain.form_tokens import FormTokenReused
from portal.web import flash
from portal.web.deps import Access
from portal.web.forms import form_of, read_form
from portal.web.render import render, wants_fragment

RESENT_WITH_OTHER_VALUES = (
    "Formulir ini sudah menyimpan satu warga sebelumnya, jadi isian yang berbeda ini belum "
    "disimpan. Periksa daftar di bawah; jika warga ini memang belum ada, tekan Simpan sekali lagi."
)


@post("/daftar/{list_id:str}/warga", name="coordinator:add-resident", dependencies=RESIDENT_FORM)
async def add(
    request: Request, access: Access, own: OwnedList, form: NamedDependency[ResidentForm]
) -> Response:
    try:
        added = await rows.add_resident(access, own, form.raw(), token=form._token)
    except FormTokenReused:
        # This form already saved a resident and now carries other values (edited after a
        # resend?). Nothing is stored; the input comes back on a fresh form.
        token = await rows.keep_refused_input(access, own, form.raw())
        fs = add_state(request, own, {**form.raw(), "_token": token}, focus=True)
        refused = flash.error(RESENT_WITH_OTHER_VALUES)
        return await list_view(
            request, own, add_fs=fs, problem=refused, status_code=409, block="editor"
        )
    except Conflict as exc:
        return await list_view(request, own, problem=problem(exc), status_code=409)
    if added.resident_id is None:
        fs = add_state(request, own, checked=added.checked, token=form._token)
        return await list_view(request, own, add_fs=fs, status_code=400, block="editor")
    if wants_fragment(request):
        fs = add_state(request, own, focus=True)
        return await list_view(request, own, add_fs=fs, block="editor")
    return flash.redirect(list_url(request, own), "tersimpan", anchor="tambah")


@post("/daftar/{list_id:str}/periksa", name="coordinator:check-field", dependencies=RESIDENT_FORM)
async def check_field(
    request: Request,
    access: Access,
    own: OwnedList,
    form: NamedDependency[ResidentForm],
    field: FromQuery[str] = "",
) -> Response:
    """Validate the field just left and autosave the whole form; answer that field only."""
    if field not in CHECKABLE:
        raise NotFound()
    resident = await get_resident(own, form.resident_id) if form.resident_id else None
    check = await rows.check_field(access, own, resident, form.raw(), form._token)
    if not wants_fragment(request):
        return to_list(request, own)
    # Only the field just left shows its errors; the others wait until they are left too.
    # Ticking "married" also answers the birth-date messages (rows_field.html), which say
    # whatever the birth date itself would.
    fs = field_state(request, own, check).only(field, "dob" if field == "married" else field)
    return render(request, "coordinator/rows_field.html", {"fs": fs, "field": field}, block="field")


@dataclass
class EntryForm:
    resident_id: int | None = None  # None: the add form


ENTRY = {"form": form_of(EntryForm)}


@post("/daftar/{list_id:str}/isian/buang", name="coordinator:discard-entry", dependencies=ENTRY)
async def discard_entry(
    request: Request, own: OwnedList, form: NamedDependency[EntryForm]
) -> Response:
    await rows.discard_input(own, form.resident_id)
    if wants_fragment(request):
        return await list_view(request, own, block="editor")
    anchor = f"row-{form.resident_id}" if form.resident_id else "tambah"
    return flash.redirect(list_url(request, own), anchor=anchor)


@get("/daftar/{list_id:str}/warga/{resident_id:int}/ubah", name="coordinator:edit-resident")
async def edit_form(request: Request, own: OwnedList, resident: ListResident) -> Response:
    if resident.status != "draft":
        page = list_url(request, own, "coordinator:resident", resident_id=resident.id)
        return flash.redirect(page)
    fs = edit_state(request, own, resident, saved=await rows.saved_input(own, resident.id))
    return await list_view(request, own, edit_fs=fs, block="editor")


@get("/daftar/{list_id:str}/warga/{resident_id:int}/serumah", name="coordinator:household-form")
async def household_form(request: Request, own: OwnedList, resident: ListResident) -> Response:
    """The add form with this resident's address, RT and RW already filled in, for the next
    member of the same household."""
    if not own.is_draft:
        return to_list(request, own)
    saved = await rows.saved_input(own, None)
    fs = add_state(request, own, saved, household=resident, focus=True)
    return await list_view(request, own, add_fs=fs, block="editor")


@post("/daftar/{list_id:str}/warga/{resident_id:int}", name="coordinator:save-resident")
async def save_resident(
    request: Request, access: Access, own: OwnedList, resident: ListResident
) -> Response:
    form = await read_form(request, ResidentForm)
    if resident.status == "perlu_perbaikan":
        return await resubmit(request, access, own, resident, form.raw())
    try:
        checked = await rows.update_resident(access, own, resident, form.raw())
    except Conflict as exc:
        return await list_view(request, own, problem=problem(exc), status_code=409)
    if not checked.ok:
        fs = edit_state(request, own, resident, checked=checked)
        return await list_view(request, own, edit_fs=fs, status_code=400, block="editor")
    if wants_fragment(request):
        return await list_view(request, own, block="editor")
    return to_list(request, own, "diubah")


@post("/daftar/{list_id:str}/warga/{resident_id:int}/hapus", name="coordinator:remove-resident")
async def remove(
    request: Request, access: Access, own: OwnedList, resident: ListResident
) -> Response:
    removal = rows.remove_resident(access, own, resident)
    return await changed(request, own, removal, "dihapus", editor=True)

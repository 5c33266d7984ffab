"""Residents one by one: add, check a field as it is left (and autosave), edit, remove, and
the resident page with its status, staff notes and correction form."""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from portal.coordinator.forms import form_data, form_state, with_saved
from portal.coordinator.pages import (
    add_form_state,
    flash_message,
    list_page,
    list_url,
    redirect,
    residents_of,
)
from portal.residents.form_tokens import FormTokenReused
from portal.residents.lists import (
    ListStateError,
    add_resident,
    check_with_duplicates,
    discard_draft_entry,
    get_list,
    get_resident,
    list_area,
    load_draft_entry,
    new_token,
    remove_resident,
    resubmit_resident,
    save_draft_entry,
    update_resident,
)
from portal.residents.status import status_lines
from portal.residents.validation import CHECKABLE, FIELDS, form_values, with_saved_nik
from portal.residents.vocabulary import STATUSES
from portal.settings import get_settings
from portal.tables.residents import ResidentEvent
from portal.web.render import render, wants_fragment

EDITABLE = ("draft", "perlu_perbaikan")
RESENT_WITH_OTHER_VALUES = (
    "Formulir ini sudah menyimpan satu warga sebelumnya, jadi isian yang berbeda ini belum "
    "disimpan. Periksa daftar di bawah; jika warga ini memang belum ada, tekan Simpan sekali lagi."
)


def _raw(data: dict) -> dict:
    return {k: data.get(k, "") for k in FIELDS}


def _resident_id(data: dict) -> int | None:
    raw = str(data.get("resident_id") or "")
    return int(raw) if raw.isdigit() else None


@post("/daftar/{list_id:str}/warga", name="coordinator:add-resident")
async def add(request: Request, list_id: FromPath[str]) -> Response:
    user = request.scope["user"]
    lst = await get_list(user, list_id)
    area = await list_area(lst)
    data = await form_data(request)
    raw = _raw(data)
    token = str(data.get("_token") or "")[:64]
    try:
        checked, resident_id = await add_resident(user, lst, area, raw, token=token)
    except ListStateError as exc:
        return await list_page(request, user, lst, area, problems=[exc.message], status_code=409)
    except FormTokenReused:
        # This form already saved a resident and now carries other values (edited after a
        # resend?). Store nothing; give the input back on a fresh form to save on purpose.
        draft = {**raw, "_token": new_token()}
        await save_draft_entry(user, lst, None, draft)
        return await list_page(
            request,
            user,
            lst,
            area,
            add_fs=add_form_state(lst, area, draft, focus=True),
            problems=[RESENT_WITH_OTHER_VALUES],
            status_code=409,
            block="editor",
        )
    if resident_id is None:
        # Keep what was typed even if the tab is closed now.
        await save_draft_entry(user, lst, None, {**raw, "_token": token})
        fs = form_state(
            prefix="new-",
            action=list_url(lst, "/warga"),
            checked=checked,
            check_url=list_url(lst, "/periksa"),
            token=token,
            fixed_rw=area.rw,
            fixed_rt=area.rt,
            hx_target="#editor",
            hx_show="#tambah",
        )
        return await list_page(request, user, lst, area, add_fs=fs, status_code=400, block="editor")
    if wants_fragment(request):
        fs = add_form_state(lst, area, None, focus=True)
        return await list_page(request, user, lst, area, add_fs=fs, block="editor")
    return redirect(list_url(lst), "tersimpan", anchor="tambah")


@post("/daftar/{list_id:str}/periksa", name="coordinator:check-field")
async def check_field(request: Request, list_id: FromPath[str]) -> Response:
    """Validate the field just left and autosave the whole form; answer that field only."""
    user = request.scope["user"]
    lst = await get_list(user, list_id)
    field = request.query_params.get("field", "")
    if field not in CHECKABLE:
        raise NotFoundException()
    area = await list_area(lst)
    data = await form_data(request)
    raw = _raw(data)
    resident_id = _resident_id(data)
    resident = await get_resident(lst, resident_id) if resident_id else None
    if resident is not None and resident.status not in EDITABLE:
        raise NotFoundException()
    if resident is None and lst.state != "draft":
        raise NotFoundException()
    token = str(data.get("_token") or "")[:64]
    await save_draft_entry(user, lst, resident_id, {**raw, "_token": token})
    merged = with_saved_nik(raw, resident.nik) if resident else raw
    checked = await check_with_duplicates(lst, area, merged, resident_id=resident_id, partial=True)
    checked.raw = raw
    prefix = f"r{resident_id}-" if resident_id else "new-"
    fs = form_state(
        prefix=prefix,
        action="",
        checked=checked,
        check_url=list_url(lst) + "/periksa",
        fixed_rw=area.rw,
        fixed_rt=area.rt,
    )
    if resident is not None:
        with_saved(fs, resident.nik)
    # Only the field just left shows its errors; the others wait until they are left too.
    # Ticking "married" also answers the birth-date messages (field.html), which say
    # whatever the birth date itself would.
    keep = {field, "dob"} if field == "married" else {field}
    fs.errors = {k: v for k, v in fs.errors.items() if k in keep}
    if not wants_fragment(request):
        return redirect(list_url(lst))
    return render(request, "coordinator/field.html", {"fs": fs, "field": field}, block="field")


@post("/daftar/{list_id:str}/isian/buang", name="coordinator:discard-entry")
async def discard_entry(request: Request, list_id: FromPath[str]) -> Response:
    user = request.scope["user"]
    lst = await get_list(user, list_id)
    data = await form_data(request)
    resident_id = _resident_id(data)
    await discard_draft_entry(lst, resident_id)
    if wants_fragment(request):
        area = await list_area(lst)
        return await list_page(request, user, lst, area, block="editor")
    anchor = f"row-{resident_id}" if resident_id else "tambah"
    return redirect(list_url(lst), anchor=anchor)


def _edit_state(lst, area, resident, *, checked=None, draft=None):
    base = list_url(lst, f"/warga/{resident.id}")
    kwargs = {
        "prefix": f"r{resident.id}-",
        "action": base,
        "check_url": list_url(lst) + "/periksa",
        "resident_id": resident.id,
        "fixed_rw": area.rw,
        "fixed_rt": area.rt,
        "submit_label": "Simpan perubahan"
        if resident.status == "draft"
        else "Kirim perbaikan ke petugas",
        "discard_url": list_url(lst, "/isian/buang") if resident.status == "draft" else None,
    }
    if resident.status == "draft":
        kwargs["hx_target"] = "#editor"
        kwargs["hx_show"] = f"#row-{resident.id}"
    if checked is not None:
        fs = form_state(checked=checked, **kwargs)
    elif draft:
        fs = form_state(values=draft, restored=True, **kwargs)
    else:
        fs = form_state(values=form_values(resident.to_dict()), **kwargs)
    return with_saved(fs, resident.nik)


@get("/daftar/{list_id:str}/warga/{resident_id:int}/ubah", name="coordinator:edit-resident")
async def edit_form(
    request: Request, list_id: FromPath[str], resident_id: FromPath[int]
) -> Response:
    user = request.scope["user"]
    lst = await get_list(user, list_id)
    resident = await get_resident(lst, resident_id)
    if resident.status != "draft":
        return redirect(list_url(lst, f"/warga/{resident.id}"))
    area = await list_area(lst)
    fs = _edit_state(lst, area, resident, draft=await load_draft_entry(lst, resident.id))
    return await list_page(
        request, user, lst, area, edit_fs=fs, editing_id=resident.id, block="editor"
    )


@get("/daftar/{list_id:str}/warga/{resident_id:int}/serumah", name="coordinator:household-form")
async def household_form(
    request: Request, list_id: FromPath[str], resident_id: FromPath[int]
) -> Response:
    """The add form with this resident's address, RT and RW already filled in, for the next
    member of the same household."""
    user = request.scope["user"]
    lst = await get_list(user, list_id)
    resident = await get_resident(lst, resident_id)
    if lst.state != "draft":
        return redirect(list_url(lst))
    area = await list_area(lst)
    draft = await load_draft_entry(lst, None)
    fs = add_form_state(lst, area, draft, household=resident, focus=True)
    return await list_page(request, user, lst, area, add_fs=fs, block="editor")


@post("/daftar/{list_id:str}/warga/{resident_id:int}", name="coordinator:save-resident")
async def save_resident(
    request: Request, list_id: FromPath[str], resident_id: FromPath[int]
) -> Response:
    user = request.scope["user"]
    lst = await get_list(user, list_id)
    resident = await get_resident(lst, resident_id)
    area = await list_area(lst)
    raw = _raw(await form_data(request))
    if resident.status == "perlu_perbaikan":
        try:
            checked = await resubmit_resident(user, lst, area, resident, raw, connection=request)
        except ListStateError as exc:
            return await resident_page(request, lst, area, resident, problems=[exc.message])
        if not checked.ok:
            await save_draft_entry(user, lst, resident.id, raw)
            checked.raw = raw
            fs = _edit_state(lst, area, resident, checked=checked)
            return await resident_page(request, lst, area, resident, fs=fs, status_code=400)
        return redirect(list_url(lst, f"/warga/{resident.id}"), "dikirim-ulang")
    try:
        checked = await update_resident(lst, area, resident, raw)
    except ListStateError as exc:
        return await list_page(request, user, lst, area, problems=[exc.message], status_code=409)
    if not checked.ok:
        await save_draft_entry(user, lst, resident.id, raw)
        checked.raw = raw
        fs = _edit_state(lst, area, resident, checked=checked)
        return await list_page(
            request,
            user,
            lst,
            area,
            edit_fs=fs,
            editing_id=resident.id,
            status_code=400,
            block="editor",
        )
    if wants_fragment(request):
        return await list_page(request, user, lst, area, block="editor")
    return redirect(list_url(lst), "diubah")


@post("/daftar/{list_id:str}/warga/{resident_id:int}/hapus", name="coordinator:remove-resident")
async def remove(request: Request, list_id: FromPath[str], resident_id: FromPath[int]) -> Response:
    user = request.scope["user"]
    lst = await get_list(user, list_id)
    resident = await get_resident(lst, resident_id)
    area = await list_area(lst)
    try:
        await remove_resident(lst, resident)
    except ListStateError as exc:
        return await list_page(request, user, lst, area, problems=[exc.message], status_code=409)
    if wants_fragment(request):
        return await list_page(request, user, lst, area, block="editor")
    return redirect(list_url(lst), "dihapus")


async def resident_page(
    request: Request, lst, area, resident, *, fs=None, problems=None, status_code=200
) -> Response:
    rows = [r for r in await residents_of(lst) if r["id"] == resident.id]
    line = (await status_lines(rows))[resident.id]
    events = (
        await ResidentEvent.select(
            ResidentEvent.at,
            ResidentEvent.action,
            ResidentEvent.from_status,
            ResidentEvent.to_status,
            ResidentEvent.reason,
        )
        .where(ResidentEvent.resident == resident.id)
        .order_by(ResidentEvent.at)
    )
    zone = get_settings().zone
    for event in events:
        event["at_text"] = event["at"].astimezone(zone).strftime("%d-%m-%Y %H.%M") + " WIB"
    if fs is None and resident.status == "perlu_perbaikan":
        fs = _edit_state(lst, area, resident, draft=await load_draft_entry(lst, resident.id))
    return render(
        request,
        "coordinator/resident.html",
        {
            "lst": lst,
            "area": area,
            "r": rows[0],
            "line": line,
            "events": events,
            "statuses": STATUSES,
            "fs": fs,
            "problems": problems or [],
            "flash": flash_message(request),
            "list_url": list_url(lst),
        },
        status_code=status_code,
    )


@get("/daftar/{list_id:str}/warga/{resident_id:int}", name="coordinator:resident")
async def show_resident(
    request: Request, list_id: FromPath[str], resident_id: FromPath[int]
) -> Response:
    user = request.scope["user"]
    lst = await get_list(user, list_id)
    resident = await get_resident(lst, resident_id)
    area = await list_area(lst)
    return await resident_page(request, lst, area, resident)

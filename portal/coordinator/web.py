"""What the coordinator's handlers share: the list, resident and import batch a path names
(as dependencies), the messages after a redirect, the resident form as typed input and as a
form state with its addresses, and the list page (whole, or its editor block for htmx)."""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Annotated, Any

from litestar import Request, Response
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath

from portal.coordinator import preview, rows
from portal.coordinator.preview import Batch
from portal.coordinator.resident_check import CheckedResident
from portal.coordinator.resident_fields import FIELDS, form_values
from portal.coordinator.resident_form import FormState, form_state, household_values
from portal.coordinator.resident_list import OwnList, get_resident, list_page, open_list
from portal.domain import form_tokens
from portal.domain.errors import Conflict
from portal.domain.links import whatsapp_share_url
from portal.domain.vocabulary import STATUSES
from portal.tables.residents import Resident
from portal.web import flash
from portal.web.deps import Access
from portal.web.flash import Notice
from portal.web.forms import Limit, form_of
from portal.web.render import render, wants_fragment
from portal.web.urls import url


async def provide_own(access: Access, list_id: FromPath[str]) -> OwnList:
    return await open_list(access, list_id)


async def provide_resident(own: NamedDependency[OwnList], resident_id: FromPath[int]) -> Resident:
    return await get_resident(own, resident_id)


async def provide_batch(access: Access, batch_id: FromPath[str]) -> Batch:
    return await preview.open_batch(access, batch_id)


# What a handler writes to receive the coordinator's list named by ``{list_id}`` (``own:
# OwnedList``), a resident on it named by ``{resident_id}`` (``resident: ListResident``) or
# an import batch named by ``{batch_id}`` (``batch: OwnBatch``); anything not theirs is
# NotFound before the handler runs. Registered on the coordinator's router.
OwnedList = NamedDependency[OwnList]
ListResident = NamedDependency[Resident]
OwnBatch = NamedDependency[Batch]
DEPENDENCIES = {
    "own": Provide(provide_own),
    "resident": Provide(provide_resident),
    "batch": Provide(provide_batch),
}

NOTICES = flash.messages(
    {
        "dibuat": flash.ok(
            "Daftar baru sudah dibuat. Tambahkan warga satu per satu, tempel, atau unggah file."
        ),
        "tersimpan": flash.ok("Warga sudah disimpan di draf."),
        "diubah": flash.ok("Perubahan sudah disimpan."),
        "dihapus": flash.ok("Warga sudah dihapus dari draf."),
        "terkirim": flash.ok(
            "Daftar sudah dikirim ke petugas Dispendukcapil. Status setiap warga bisa "
            "diikuti di halaman ini."
        ),
        "ditarik": flash.ok("Daftar sudah ditarik. Petugas tidak akan memprosesnya."),
        "dibuka": flash.ok("Daftar dibuka lagi sebagai draf. Perbaiki lalu kirim lagi."),
        "impor": flash.ok("Warga dari tempelan/file sudah disimpan di draf."),
        "dikirim-ulang": flash.ok("Perbaikan sudah dikirim. Status warga kembali Diterima."),
        "draf-dihapus": flash.ok("Draf daftar sudah dihapus."),
    }
)
# A field longer than any rule allows still reaches the rule, which names the limit.
_TEXT = Limit(2000)


@dataclass
class ResidentForm:
    """The resident form as posted (also a pasted row being fixed)."""

    full_name: Annotated[str, _TEXT] = ""
    nik: str = ""
    dob: str = ""
    dob_day: str = ""
    dob_month: str = ""
    dob_year: str = ""
    sex: str = ""
    address: Annotated[str, _TEXT] = ""
    rw: str = ""
    rt: str = ""
    phone: str = ""
    category: str = ""
    note: Annotated[str, _TEXT] = ""
    guardian_consent: str = ""
    married: str = ""
    _token: Annotated[str, Limit(form_tokens.MAX_LENGTH)] = ""
    resident_id: int | None = None

    def raw(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in FIELDS}


RESIDENT_FORM = {"form": form_of(ResidentForm)}


def list_url(request: Request, own: OwnList, page: str = "coordinator:list", **path: Any) -> str:
    return url(request, page, list_id=own.key, **path)


def to_list(request: Request, own: OwnList, code: str | None = None, **kwargs: Any) -> Response:
    return flash.redirect(list_url(request, own), code, **kwargs)


def problem(exc: Exception) -> Notice:
    return flash.error(getattr(exc, "message", "") or str(exc))


async def changed(
    request: Request,
    own: OwnList,
    change: Awaitable[object],
    code: str,
    *,
    to: str = "",
    editor: bool = False,
) -> Response:
    """Run a change of the list. Done: back to the list (or ``to``) with the message
    ``code``, or with ``editor`` and htmx the list's editor again. Refused by the list's
    state: the list with the reason (409)."""
    try:
        await change
    except Conflict as exc:
        return await list_view(request, own, problem=problem(exc), status_code=409)
    if editor and wants_fragment(request):
        return await list_view(request, own, block="editor")
    return flash.redirect(to or list_url(request, own), code)


# ---------------------------------------------------------------- resident form states


def _common(request: Request, own: OwnList) -> dict[str, Any]:
    return {
        "check_url": list_url(request, own, "coordinator:check-field"),
        "fixed_rw": own.area.rw,
        "fixed_rt": own.area.rt,
    }


def add_state(
    request: Request,
    own: OwnList,
    saved: dict[str, Any] | None = None,
    *,
    checked: CheckedResident | None = None,
    household: Resident | None = None,
    **kwargs: Any,
) -> FormState:
    """The add form: what was typed and kept, else empty with the list's RW/RT."""
    values = dict(saved or {"rw": own.area.rw or "", "rt": own.area.rt or ""})
    if household is not None:
        values = household_values(values, household)
        kwargs.setdefault("copied_from", household.full_name)
    kwargs.setdefault("token", values.get("_token") or form_tokens.new_token())
    return form_state(
        prefix="new-",
        action=list_url(request, own, "coordinator:add-resident"),
        values=values,
        checked=checked,
        restored=bool(saved) and checked is None,
        hx_target="#editor",
        hx_show="#tambah",
        **_common(request, own),
        **kwargs,
    )


def edit_state(
    request: Request,
    own: OwnList,
    resident: Resident,
    *,
    checked: CheckedResident | None = None,
    saved: dict[str, Any] | None = None,
) -> FormState:
    """Editing a draft row in place, or the correction staff asked for."""
    draft = resident.status == "draft"
    kwargs: dict[str, Any] = {
        "prefix": f"r{resident.id}-",
        "action": list_url(request, own, "coordinator:save-resident", resident_id=resident.id),
        "resident_id": resident.id,
        "saved_nik": resident.nik,
        "submit_label": "Simpan perubahan" if draft else "Kirim perbaikan ke petugas",
        "discard_url": list_url(request, own, "coordinator:discard-entry") if draft else None,
        **_common(request, own),
    }
    if draft:
        kwargs |= {"hx_target": "#editor", "hx_show": f"#row-{resident.id}"}
    if checked is not None:
        return form_state(checked=checked, **kwargs)
    if saved:
        return form_state(values=saved, restored=True, **kwargs)
    return form_state(values=form_values(resident.to_dict()), **kwargs)


def field_state(request: Request, own: OwnList, check: rows.FieldCheck) -> FormState:
    """The one field a field check answers, in the form it came from."""
    resident = check.resident
    return form_state(
        prefix=f"r{resident.id}-" if resident else "new-",
        action="",
        checked=check.checked,
        saved_nik=resident.nik if resident else None,
        **_common(request, own),
    )


# ---------------------------------------------------------------- the list page


async def list_view(
    request: Request,
    own: OwnList,
    *,
    add_fs: FormState | None = None,
    edit_fs: FormState | None = None,
    problem: Notice | None = None,
    status_code: int = 200,
    block: str = "main",
) -> Response:
    """The list page; ``block="editor"`` answers htmx with the editor alone (always 200:
    htmx swaps only 2xx answers, so errors are said inside the fragment)."""
    status = request.query_params.get("status", "")
    page = await list_page(
        own,
        status=status,
        page=request.query_params.get("halaman"),
        editing_id=edit_fs.resident_id if edit_fs else None,
    )
    if add_fs is None and own.is_draft:
        add_fs = add_state(request, own, await rows.saved_input(own, None))
    context = {
        "lst": own.row,
        "area": own.area,
        "key": own.key,
        "page": page,
        "status_filter": status if status in STATUSES else "",
        "add_fs": add_fs,
        "edit_fs": edit_fs,
        "problem": problem,
        "submit_token": form_tokens.new_token(),
        "schedule_share_url": whatsapp_share_url(page.schedule_message)
        if page.schedule_message
        else "",
    }
    if block != "main" and not wants_fragment(request):
        block = "main"
    elif block != "main":
        status_code = 200
    return render(
        request, "coordinator/resident_list.html", context, block=block, status_code=status_code
    )

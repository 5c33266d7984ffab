"""Shared pieces of coordinator pages: the list page context and flash messages."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from litestar import Request, Response
from litestar.response import Redirect

from portal.coordinator.forms import FormState, form_state
from portal.coordinator.schedule_message import schedule_message
from portal.domain.links import whatsapp_share_url
from portal.residents.lists import (
    Scope,
    load_draft_entry,
    new_token,
    status_counts,
)
from portal.residents.status import COUNT_ORDER, status_lines
from portal.residents.validation import SEX_LABELS, ListArea, masked
from portal.residents.vocabulary import CATEGORIES, MARRIED_LABELS, STATUSES
from portal.rules.dates import format_date_id
from portal.settings import get_settings
from portal.tables.accounts import User
from portal.tables.residents import Resident, ResidentList
from portal.web.render import render, wants_fragment

# Messages shown after a redirect, by code: the URL never carries free text.
FLASH = {
    "dibuat": "Daftar baru sudah dibuat. Tambahkan warga satu per satu, tempel, atau unggah file.",
    "tersimpan": "Warga sudah disimpan di draf.",
    "diubah": "Perubahan sudah disimpan.",
    "dihapus": "Warga sudah dihapus dari draf.",
    "terkirim": "Daftar sudah dikirim ke petugas Dispendukcapil. Status setiap warga bisa "
    "diikuti di halaman ini.",
    "ditarik": "Daftar sudah ditarik. Petugas tidak akan memprosesnya.",
    "dibuka": "Daftar dibuka lagi sebagai draf. Perbaiki lalu kirim lagi.",
    "impor": "Warga dari tempelan/file sudah disimpan di draf.",
    "dikirim-ulang": "Perbaikan sudah dikirim. Status warga kembali Diterima.",
    "draf-dihapus": "Draf daftar sudah dihapus.",
}


PAGE_SIZE = 50


@dataclass(frozen=True)
class Pager:
    page: int
    pages: int
    total: int

    @classmethod
    def of(cls, request: Request, total: int) -> Pager:
        pages = max(1, -(-total // PAGE_SIZE))
        raw = request.query_params.get("halaman", "1")
        page = int(raw) if raw.isdigit() else 1
        return cls(min(max(page, 1), pages), pages, total)

    @property
    def first(self) -> int:
        return (self.page - 1) * PAGE_SIZE + 1 if self.total else 0

    @property
    def last(self) -> int:
        return min(self.page * PAGE_SIZE, self.total)


def list_url(lst: ResidentList | dict, suffix: str = "") -> str:
    public_id = lst["public_id"] if isinstance(lst, dict) else lst.public_id
    return f"/koordinator/daftar/{public_id}{suffix}"


def redirect(url: str, flash: str | None = None, anchor: str = "") -> Response:
    target = url + (f"?pesan={flash}" if flash else "") + (f"#{anchor}" if anchor else "")
    return Redirect(target, status_code=303)


def flash_message(request: Request) -> str:
    return FLASH.get(request.query_params.get("pesan", ""), "")


async def residents_of(lst: ResidentList) -> list[dict]:
    rows = (
        await Resident.select(
            Resident.id,
            Resident.full_name,
            Resident.nik,
            Resident.birth_date,
            Resident.sex,
            Resident.address,
            Resident.rw,
            Resident.rt,
            Resident.phone,
            Resident.category,
            Resident.warnings,
            Resident.warn_nik,
            Resident.warn_duplicate,
            Resident.warn_under_age,
            Resident.eligible_from,
            Resident.status,
            Resident.status_reason,
            Resident.reject_code,
            Resident.outreach_session,
            Resident.recorded_on,
            Resident.recorded_place,
            Resident.guardian_consent,
            Resident.married,
        )
        .where(Resident.resident_list == lst.id)
        .order_by(Resident.id)
        .output(load_json=True)
    )
    for row in rows:
        row["nik_masked"] = masked(row["nik"])
        row.pop("nik")  # coordinator pages never need the full number once saved
        row["birth_text"] = format_date_id(row["birth_date"]) if row["birth_date"] else ""
        row["sex_label"] = SEX_LABELS.get(row["sex"] or "", "")
        row["category_label"] = CATEGORIES.get(row["category"], row["category"])
        row["married_label"] = MARRIED_LABELS[bool(row["married"])]
    return rows


# What people of one household share, copied by "Tambah serumah" so a coordinator listing a
# family types the address once.
HOUSEHOLD_FIELDS = ("address", "rw", "rt")


def add_form_state(
    lst: ResidentList,
    area: ListArea,
    draft: dict | None,
    *,
    household: Resident | None = None,
    **kwargs: Any,
) -> FormState:
    base = list_url(lst)
    values = dict(draft or {"rw": area.rw or "", "rt": area.rt or ""})
    if household is not None:
        # On top of anything typed and not saved yet: only the shared fields change.
        values.update({name: getattr(household, name) or "" for name in HOUSEHOLD_FIELDS})
        kwargs.setdefault("copied_from", household.full_name)
    fs = form_state(
        prefix="new-",
        action=base + "/warga",
        values=values,
        check_url=base + "/periksa",
        token=(draft or {}).get("_token") or new_token(),
        fixed_rw=area.rw,
        fixed_rt=area.rt,
        restored=bool(draft),
        hx_target="#editor",
        hx_show="#tambah",
        **kwargs,
    )
    return fs


async def list_page(
    request: Request,
    user: User,
    lst: ResidentList,
    area: ListArea,
    *,
    add_fs: FormState | None = None,
    edit_fs: FormState | None = None,
    editing_id: int | None = None,
    problems: list[str] | None = None,
    status_code: int = 200,
    block: str = "main",
) -> Response:
    residents = await residents_of(lst)
    if lst.state == "draft":
        residents.reverse()  # newest first: the row just added is the first one seen
    status_filter = request.query_params.get("status", "")
    listed = [r for r in residents if r["status"] == status_filter] if status_filter else residents
    pager = Pager.of(request, len(listed))
    if editing_id is not None:
        index = next((i for i, r in enumerate(listed) if r["id"] == editing_id), 0)
        pager = Pager(index // PAGE_SIZE + 1, pager.pages, len(listed))
    shown = listed[(pager.page - 1) * PAGE_SIZE : pager.page * PAGE_SIZE]
    if add_fs is None and lst.state == "draft":
        add_fs = add_form_state(lst, area, await load_draft_entry(lst, None))
    lines = await status_lines(shown) if lst.state != "draft" else {}
    counts = (await status_counts([lst.id])).get(lst.id, Counter())
    message = await schedule_message(lst, area) if lst.state == "submitted" else ""
    context = {
        "lst": lst,
        "area": area,
        "residents": shown,
        "resident_count": len(residents),
        "pager": pager,
        "status_filter": status_filter if status_filter in STATUSES else "",
        "status_filter_label": STATUSES.get(status_filter, ""),
        "lines": lines,
        "counts": [(s, STATUSES[s], counts[s]) for s in COUNT_ORDER if counts.get(s)],
        "total": sum(counts.values()),
        "add_fs": add_fs,
        "edit_fs": edit_fs,
        "editing_id": editing_id,
        "problems": problems or [],
        "flash": flash_message(request),
        "submit_token": new_token(),
        "can_withdraw": lst.state == "submitted"
        and all(r["status"] == "diterima" for r in residents),
        "list_url": list_url(lst),
        "warnings_count": sum(1 for r in residents if r["warnings"]),
        "schedule_message": message,
        "schedule_share_url": whatsapp_share_url(message) if message else "",
        "submitted_text": format_date_id(lst.submitted_at.astimezone(get_settings().zone).date())
        if lst.submitted_at
        else "",
    }
    if block != "main" and not wants_fragment(request):
        block = "main"
    elif block != "main":
        # htmx swaps only 2xx answers; the errors are in the fragment itself.
        status_code = 200
    return render(request, "coordinator/list.html", context, block=block, status_code=status_code)


def scope_text(scope: Scope) -> str:
    parts = []
    if len(scope.villages) == 1:
        v = scope.villages[0]
        parts.append(("Desa " if v["kind"] == "desa" else "Kel. ") + v["name"])
    if scope.rw:
        parts.append(f"RW {scope.rw}")
    if scope.rt:
        parts.append(f"RT {scope.rt}")
    return " ".join(parts)

"""The preview of pasted or uploaded rows: errors and warnings per row, fix a row, leave one
out, then store them all at once (or cancel)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Request, Response, get, post
from litestar.params import FromPath, FromQuery

from portal.coordinator import preview
from portal.coordinator.preview import Batch, PreviewRow
from portal.coordinator.resident_form import FormState, form_state
from portal.coordinator.web import OwnBatch, ResidentForm, list_url, to_list
from portal.domain.errors import Conflict
from portal.web import flash
from portal.web.deps import Access
from portal.web.forms import read_form
from portal.web.render import render
from portal.web.urls import url

PREVIEW_ROWS = 100  # rows listed per group unless "show all"; the rest are counted


@dataclass
class SkipForm:
    skip: str = ""


def _base(request: Request, batch: Batch) -> str:
    return url(request, "coordinator:preview", batch_id=batch.key)


def _groups(rows: list[PreviewRow], show_all: bool) -> dict[str, Any]:
    """Rows by what they need: fixing, a look at their warnings, nothing; each group cut
    to ``PREVIEW_ROWS`` unless all are asked for."""
    errors = [p for p in rows if not p.ok]
    good = [p for p in rows if p.stored]
    warned = [p for p in good if p.checked.warnings]
    plain = [p for p in good if not p.checked.warnings]
    groups = {"with_errors": errors, "warned": warned, "plain": plain}
    shown = {k: v if show_all else v[:PREVIEW_ROWS] for k, v in groups.items()}
    hidden = sum(len(v) - len(shown[k]) for k, v in groups.items())
    skipped = [p for p in rows if p.ok and p.skip]
    return {**groups, "shown": shown, "hidden": hidden, "good": good, "skipped": skipped}


@get("/impor/{batch_id:str}", name="coordinator:preview")
async def show_preview(request: Request, batch: OwnBatch, semua: FromQuery[str] = "") -> Response:
    if batch.confirmed:
        return to_list(request, batch.own, "impor")
    rows = await preview.preview(batch)
    context = {
        "batch": batch,
        "lst": batch.own.row,
        "area": batch.own.area,
        "list_url": list_url(request, batch.own),
        "base": _base(request, batch),
        "total": len(rows),
        **_groups(rows, show_all=semua == "1"),
    }
    return render(request, "coordinator/preview.html", context)


def _fix_state(request: Request, batch: Batch, row: PreviewRow) -> FormState:
    values = dict(row.checked.raw)
    birth = row.checked.values.get("birth_date")
    if birth and not values.get("dob_day"):
        values.update(dob_day=str(birth.day), dob_month=str(birth.month), dob_year=str(birth.year))
    # A row from the office's list keeps its NIK unseen (shown masked, kept when blank).
    saved_nik = values.pop("nik", "") if row.origin else ""
    row.checked.raw = values
    return form_state(
        saved_nik=saved_nik,
        prefix=f"b{row.n}-",
        action=url(request, "coordinator:preview-row-post", batch_id=batch.key, n=row.n),
        checked=row.checked,
        fixed_rw=batch.own.area.rw,
        fixed_rt=batch.own.area.rt,
        submit_label="Simpan perbaikan baris ini",
        cancel_url=_base(request, batch),
    )


@get("/impor/{batch_id:str}/baris/{n:int}", name="coordinator:preview-row")
async def fix_row_form(request: Request, batch: OwnBatch, n: FromPath[int]) -> Response:
    row = next((p for p in await preview.preview(batch) if p.n == n), None)
    if row is None:
        return flash.redirect(_base(request, batch))
    context = {"fs": _fix_state(request, batch, row), "n": n, "base": _base(request, batch)}
    return render(request, "coordinator/preview_row.html", context)


@post("/impor/{batch_id:str}/baris/{n:int}", name="coordinator:preview-row-post")
async def fix_row(request: Request, batch: OwnBatch, n: FromPath[int]) -> Response:
    form = await read_form(request, ResidentForm)
    await preview.fix_row(batch, n, form.raw())
    return flash.redirect(_base(request, batch), anchor=f"baris-{n}")


@post("/impor/{batch_id:str}/baris/{n:int}/lewati", name="coordinator:preview-skip")
async def skip_row(request: Request, batch: OwnBatch, n: FromPath[int]) -> Response:
    form = await read_form(request, SkipForm)
    await preview.set_skip(batch, n, form.skip == "1")
    return flash.redirect(_base(request, batch), anchor=f"baris-{n}")


@post("/impor/{batch_id:str}/simpan", name="coordinator:preview-confirm")
async def confirm(request: Request, access: Access, batch: OwnBatch) -> Response:
    try:
        await preview.confirm(access, batch)
    except Conflict:
        return to_list(request, batch.own)
    return to_list(
        request, batch.own, "kantor-disimpan" if batch.row.source == "kantor" else "impor"
    )


@post("/impor/{batch_id:str}/batal", name="coordinator:preview-cancel")
async def cancel(request: Request, batch: OwnBatch) -> Response:
    await preview.discard(batch)
    return to_list(request, batch.own)

"""Paste and upload: parse, preview with errors and warnings, fix or leave out rows, confirm.
Nothing is stored in the list until the coordinator confirms."""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath

from portal.coordinator.forms import form_data, form_state
from portal.coordinator.pages import list_url, redirect
from portal.residents import batches
from portal.residents.imports import (
    MAX_BYTES,
    MAX_ROWS,
    ImportFileError,
    describe_columns,
    parse_text,
    parse_upload,
    template_csv,
    template_xlsx,
)
from portal.residents.lists import ListStateError, get_list, list_area
from portal.residents.validation import SEX_LABELS, masked
from portal.residents.vocabulary import CATEGORIES, MARRIED_LABELS
from portal.rules.dates import format_date_id
from portal.tables.residents import ResidentList
from portal.web.render import render

PREVIEW_OK_ROWS = 100  # rows listed per group unless "show all"; the rest are counted


def _draft_only(lst: ResidentList) -> None:
    if lst.state != "draft":
        raise ListStateError("Daftar ini sudah dikirim. Buat daftar baru untuk warga tambahan.")


async def _form_page(request, lst, template, *, error="", text="", status_code=200):
    area = await list_area(lst)
    return render(
        request,
        template,
        {
            "lst": lst,
            "area": area,
            "list_url": list_url(lst),
            "error": error,
            "text": text,
            "max_rows": f"{MAX_ROWS:,}".replace(",", "."),
        },
        status_code=status_code,
    )


@get("/daftar/{list_id:str}/tempel", name="coordinator:paste")
async def paste_form(request: Request, list_id: FromPath[str]) -> Response:
    lst = await get_list(request.scope["user"], list_id)
    if lst.state != "draft":
        return redirect(list_url(lst))
    return await _form_page(request, lst, "coordinator/paste.html")


@post("/daftar/{list_id:str}/tempel", name="coordinator:paste-post")
async def paste(request: Request, list_id: FromPath[str]) -> Response:
    user = request.scope["user"]
    lst = await get_list(user, list_id)
    if lst.state != "draft":
        return redirect(list_url(lst))
    data = await form_data(request)
    text = str(data.get("rows") or "")
    try:
        parsed = parse_text(text)
    except ImportFileError as exc:
        return await _form_page(
            request, lst, "coordinator/paste.html", error=exc.message, text=text, status_code=400
        )
    batch = await batches.create_batch(user, lst, source="paste", filename="", parsed=parsed)
    return redirect(f"/koordinator/impor/{batch.public_id}")


@get("/daftar/{list_id:str}/unggah", name="coordinator:upload")
async def upload_form(request: Request, list_id: FromPath[str]) -> Response:
    lst = await get_list(request.scope["user"], list_id)
    if lst.state != "draft":
        return redirect(list_url(lst))
    return await _form_page(request, lst, "coordinator/upload.html")


@post("/daftar/{list_id:str}/unggah", name="coordinator:upload-post")
async def upload(request: Request, list_id: FromPath[str]) -> Response:
    user = request.scope["user"]
    lst = await get_list(user, list_id)
    if lst.state != "draft":
        return redirect(list_url(lst))
    form = await request.form()
    upload_file = form.get("file")
    try:
        if not isinstance(upload_file, UploadFile) or not upload_file.filename:
            raise ImportFileError("Pilih file .csv atau .xlsx terlebih dahulu.")
        content = await upload_file.read(MAX_BYTES + 1)
        source, parsed = parse_upload(upload_file.filename, content)
    except ImportFileError as exc:
        return await _form_page(
            request, lst, "coordinator/upload.html", error=exc.message, status_code=400
        )
    batch = await batches.create_batch(
        user, lst, source=source, filename=upload_file.filename, parsed=parsed
    )
    return redirect(f"/koordinator/impor/{batch.public_id}")


@get("/templat.csv", name="coordinator:template-csv")
async def download_template_csv() -> Response:
    return Response(
        template_csv(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="templat-daftar-warga.csv"'},
    )


@get("/templat.xlsx", name="coordinator:template-xlsx")
async def download_template_xlsx() -> Response:
    return Response(
        template_xlsx(),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": 'attachment; filename="templat-daftar-warga.xlsx"'},
    )


def _row_view(p: batches.PreviewRow) -> dict:
    v = p.checked.values
    return {
        "n": p.n,
        "skip": p.skip,
        "ok": p.ok,
        "name": v.get("full_name") or p.checked.raw.get("full_name") or "(tanpa nama)",
        "nik": masked(v.get("nik")),
        "birth": format_date_id(v["birth_date"]) if v.get("birth_date") else "",
        "sex": SEX_LABELS.get(v.get("sex") or "", ""),
        "rt": v.get("rt") or "",
        "rw": v.get("rw") or "",
        "address": v.get("address") or "",
        "category": CATEGORIES.get(v.get("category") or "", ""),
        "married": MARRIED_LABELS[True] if v.get("married") else "",
        "errors": list(p.checked.errors.values()),
        "warnings": [w["message"] for w in p.checked.warnings],
        "eligibility": p.checked.info.get("eligibility", ""),
    }


async def _preview_context(request, user, public_id):
    batch, rows = await batches.get_batch(user, public_id)
    lst = await ResidentList.objects().where(ResidentList.id == batch.resident_list).first()
    area = await list_area(lst)
    return batch, rows, lst, area


@get("/impor/{batch_id:str}", name="coordinator:preview")
async def show_preview(request: Request, batch_id: FromPath[str]) -> Response:
    user = request.scope["user"]
    batch, rows, lst, area = await _preview_context(request, user, batch_id)
    if batch.confirmed_at is not None:
        return redirect(list_url(lst), "impor")
    checked = await batches.preview(lst, area, rows)
    views = [_row_view(p) for p in checked]
    with_errors = [v for v in views if not v["ok"]]
    skipped = [v for v in views if v["ok"] and v["skip"]]
    good = [v for v in views if v["ok"] and not v["skip"]]
    warned = [v for v in good if v["warnings"]]
    plain = [v for v in good if not v["warnings"]]
    show_all = request.query_params.get("semua") == "1"
    return render(
        request,
        "coordinator/preview.html",
        {
            "batch": batch,
            "lst": lst,
            "area": area,
            "list_url": list_url(lst),
            "base": f"/koordinator/impor/{batch.public_id}",
            "total": len(views),
            "with_errors": with_errors,
            "errors_shown": with_errors if show_all else with_errors[:PREVIEW_OK_ROWS],
            "skipped": skipped,
            "warned": warned,
            "warned_shown": warned if show_all else warned[:PREVIEW_OK_ROWS],
            "plain": plain if show_all else plain[:PREVIEW_OK_ROWS],
            "hidden": 0
            if show_all
            else sum(
                max(0, len(group) - PREVIEW_OK_ROWS) for group in (with_errors, warned, plain)
            ),
            "good_count": len(good),
            "columns": [c for c in describe_columns(_columns(rows)) if c],
            "draft": lst.state == "draft",
        },
    )


def _columns(rows: list[dict]) -> list[str]:
    seen: list[str] = []
    for row in rows[:50]:
        for key in row["fields"]:
            if key not in seen:
                seen.append(key)
    return seen


def _fix_state(base: str, n: int, area, *, values=None, checked=None):
    return form_state(
        prefix=f"b{n}-",
        action=f"{base}/baris/{n}",
        values=values,
        checked=checked,
        fixed_rw=area.rw,
        fixed_rt=area.rt,
        submit_label="Simpan perbaikan baris ini",
        cancel_url=base,
    )


@get("/impor/{batch_id:str}/baris/{n:int}", name="coordinator:preview-row")
async def fix_row_form(request: Request, batch_id: FromPath[str], n: FromPath[int]) -> Response:
    user = request.scope["user"]
    batch, rows, lst, area = await _preview_context(request, user, batch_id)
    checked = {p.n: p for p in await batches.preview(lst, area, rows)}
    if n not in checked:
        return redirect(f"/koordinator/impor/{batch.public_id}")
    p = checked[n]
    values = dict(p.checked.raw)
    birth = p.checked.values.get("birth_date")
    if birth and not values.get("dob_day"):
        values.update(dob_day=str(birth.day), dob_month=str(birth.month), dob_year=str(birth.year))
    p.checked.raw = values
    base = f"/koordinator/impor/{batch.public_id}"
    return render(
        request,
        "coordinator/preview_row.html",
        {"fs": _fix_state(base, n, area, checked=p.checked), "n": n, "base": base, "lst": lst},
    )


@post("/impor/{batch_id:str}/baris/{n:int}", name="coordinator:preview-row-post")
async def fix_row(request: Request, batch_id: FromPath[str], n: FromPath[int]) -> Response:
    user = request.scope["user"]
    batch, rows, _lst, _area = await _preview_context(request, user, batch_id)
    data = await form_data(request)
    await batches.fix_row(batch, rows, n, data)
    return redirect(f"/koordinator/impor/{batch.public_id}", anchor=f"baris-{n}")


@post("/impor/{batch_id:str}/baris/{n:int}/lewati", name="coordinator:preview-skip")
async def skip_row(request: Request, batch_id: FromPath[str], n: FromPath[int]) -> Response:
    user = request.scope["user"]
    batch, rows, _, _ = await _preview_context(request, user, batch_id)
    data = await form_data(request)
    await batches.set_skip(batch, rows, n, str(data.get("skip") or "") == "1")
    return redirect(f"/koordinator/impor/{batch.public_id}", anchor=f"baris-{n}")


@post("/impor/{batch_id:str}/simpan", name="coordinator:preview-confirm")
async def confirm(request: Request, batch_id: FromPath[str]) -> Response:
    user = request.scope["user"]
    batch, rows, lst, area = await _preview_context(request, user, batch_id)
    try:
        await batches.confirm(user, batch, rows, lst, area, connection=request)
    except ListStateError:
        return redirect(list_url(lst))
    return redirect(list_url(lst), "impor")


@post("/impor/{batch_id:str}/batal", name="coordinator:preview-cancel")
async def cancel(request: Request, batch_id: FromPath[str]) -> Response:
    user = request.scope["user"]
    batch, _, lst, _ = await _preview_context(request, user, batch_id)
    await batches.discard(batch)
    return redirect(list_url(lst))

"""Paste and upload: the forms, reading what was sent into a batch to preview, and the
templates to download. Nothing is stored in the list until the coordinator confirms the
preview (``preview_pages``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency

from portal.coordinator import preview
from portal.coordinator.import_template import template_csv, template_xlsx
from portal.coordinator.imports import (
    MAX_BYTES,
    RULES,
    ImportFileError,
    ParsedRows,
    parse_text,
    parse_upload,
)
from portal.coordinator.resident_list import OwnList
from portal.coordinator.web import OwnedList, list_url, to_list
from portal.domain.scope import Scope
from portal.web import flash
from portal.web.deps import Access
from portal.web.forms import Limit, Verbatim, form_of
from portal.web.render import render
from portal.web.urls import url

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class PasteForm:
    # More than a paste may hold, so the size rule (not the form) says it is too much.
    rows: Annotated[Verbatim, Limit(MAX_BYTES + 1)] = ""


PASTE = {"form": form_of(PasteForm)}


@dataclass
class UploadForm:
    file: UploadFile | None = None


UPLOAD = {"form": form_of(UploadForm)}


def _form_page(
    request: Request, own: OwnList, way: str, *, error: str = "", text: str = ""
) -> Response:
    """The paste or the upload form (``way``), with the reason the last try was refused."""
    context = {
        "lst": own.row,
        "area": own.area,
        "list_url": list_url(request, own),
        "way": way,
        "error": error,
        "text": text,
        "rules": RULES,
    }
    return render(request, "coordinator/imports.html", context, status_code=400 if error else 200)


Read = Callable[[], tuple[str, str, ParsedRows]]


async def _to_preview(
    request: Request, access: Scope, own: OwnList, way: str, read: Read, text: str = ""
) -> Response:
    """What was pasted or uploaded (``read``: its source, file name and rows) as a batch to
    preview; a list no longer a draft goes back to the list, and what cannot be read back to
    its form (``way``) with the reason and what was pasted."""
    if not own.is_draft:
        return to_list(request, own)
    try:
        source, filename, parsed = read()
    except ImportFileError as exc:
        return _form_page(request, own, way, error=exc.message, text=text)
    key = await preview.create_batch(access, own, source=source, filename=filename, parsed=parsed)
    return flash.redirect(url(request, "coordinator:preview", batch_id=key))


@get("/daftar/{list_id:str}/tempel", name="coordinator:paste")
async def paste_form(request: Request, own: OwnedList) -> Response:
    return _form_page(request, own, "paste") if own.is_draft else to_list(request, own)


@get("/daftar/{list_id:str}/unggah", name="coordinator:upload")
async def upload_form(request: Request, own: OwnedList) -> Response:
    return _form_page(request, own, "upload") if own.is_draft else to_list(request, own)


@post("/daftar/{list_id:str}/tempel", name="coordinator:paste-post", dependencies=PASTE)
async def paste(
    request: Request, access: Access, own: OwnedList, form: NamedDependency[PasteForm]
) -> Response:
    rows = form.rows
    return await _to_preview(
        request, access, own, "paste", lambda: ("paste", "", parse_text(rows)), rows
    )


@post("/daftar/{list_id:str}/unggah", name="coordinator:upload-post", dependencies=UPLOAD)
async def upload(
    request: Request, access: Access, own: OwnedList, form: NamedDependency[UploadForm]
) -> Response:
    def read() -> tuple[str, str, ParsedRows]:
        if form.file is None:
            raise ImportFileError("Pilih file .csv atau .xlsx terlebih dahulu.")
        # The upload is spooled (in memory up to 1 MiB, then a temporary file): read at once.
        data = form.file.file.read(MAX_BYTES + 1)
        source, parsed = parse_upload(form.file.filename, data)
        return source, form.file.filename, parsed

    return await _to_preview(request, access, own, "upload", read)


def _download(content: bytes, media_type: str, filename: str) -> Response:
    disposition = f'attachment; filename="{filename}"'
    return Response(content, media_type=media_type, headers={"Content-Disposition": disposition})


@get("/templat.csv", name="coordinator:template-csv")
async def download_template_csv() -> Response:
    return _download(template_csv(), "text/csv; charset=utf-8", "templat-daftar-warga.csv")


@get("/templat.xlsx", name="coordinator:template-xlsx")
async def download_template_xlsx() -> Response:
    return _download(template_xlsx(), XLSX, "templat-daftar-warga.xlsx")

"""Importing the office's "belum rekam" export (``staff:office-imports``): the upload form
and past imports, the import's progress, preview and summary, its rows of each kind, the
rows with errors as a CSV, confirm and cancel. Reading and applying the file is the job's
(``portal.staff.office_import_job``); these pages only show where it is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, BinaryIO, cast

from litestar import Request, Response
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery

from portal.domain.errors import Conflict, DomainError, Invalid
from portal.domain.scope import Scope
from portal.rules.dates import DateError, parse_date_text
from portal.settings import get_settings
from portal.staff import office_imports
from portal.staff.exports_pages import download
from portal.staff.office_imports import UploadInput
from portal.staff.web import get, page, post
from portal.web import flash
from portal.web.deps import Access
from portal.web.forms import Limit
from portal.web.render import wants_fragment
from portal.web.urls import url

flash.messages(
    {
        "sisir-diunggah": flash.ok(
            "Berkas sudah diunggah. Portal sedang membacanya; hasilnya tampil di halaman ini."
        ),
        "sisir-disimpan": flash.ok(
            "Impor disimpan. Portal sedang memasukkan datanya ke daftar dari kantor."
        ),
        "sisir-dibatalkan": flash.ok("Impor dibatalkan. Berkas dan barisnya sudah dihapus."),
    }
)


@dataclass
class DecisionForm:
    """Confirm or cancel: the version of the import the page showed."""

    versi: int | None = None


ROW_KINDS = office_imports.ROW_KINDS


def _as_of(text: str) -> date | None:
    """The date the export is "per", typed as the date field sends it (or day first)."""
    if not text:
        return None
    try:
        return parse_date_text(text)  # a date after today is the service's to refuse
    except DateError as exc:
        raise Invalid({"tanggal": exc.message}) from None


@dataclass
class UploadForm:
    """The upload: the date the export is "per", an admin's office, the file."""

    tanggal: Annotated[str, Limit(40)] = ""
    kantor: Annotated[str, Limit(40)] = ""
    berkas: UploadFile | None = None


def _upload_input(form: UploadForm) -> UploadInput:
    """The posted file and fields as the service takes them; the file stays spooled."""
    as_of = _as_of(form.tanggal)
    file = form.berkas
    if file is None:
        raise Invalid({"berkas": "Pilih file .csv atau .xlsx dari kantor terlebih dahulu."})
    size = file.file.seek(0, 2)
    return UploadInput(file.filename, cast(BinaryIO, file.file), size, as_of, form.kantor)


async def imports_page(
    request: Request, access: Scope, halaman: str = "", **shown: Any
) -> Response:
    """The upload form and past imports; ``shown``: a refused upload's ``errors``,
    ``values`` and ``problem`` (a Conflict), and the status to answer with."""
    rows, pager = await office_imports.imports(access, halaman)
    status = shown.pop("status", 200)
    context = {"imports": rows, "pager": pager, "max_bytes": get_settings().max_import_bytes}
    return page(
        request,
        "staff/office_imports.html",
        {**context, **shown},
        access,
        "sisir",
        status_code=status,
    )


def _to_import(request: Request, public_id: str, code: str | None = None) -> Response:
    return flash.redirect(url(request, "staff:office-import", import_id=public_id), code)


@get("/sisir", name="staff:office-imports")
async def imports_list(request: Request, access: Access, halaman: FromQuery[str] = "") -> Response:
    return await imports_page(request, access, halaman)


@post(
    "/sisir/unggah",
    name="staff:office-import-upload",
    form=UploadForm,
    request_max_body_size=get_settings().max_import_bytes,
)
async def upload(request: Request, access: Access, form: NamedDependency[UploadForm]) -> Response:
    values = {"tanggal": form.tanggal, "kantor": form.kantor}
    chosen = access.choose(form.kantor)
    try:
        public_id = await office_imports.upload(access, _upload_input(form))
    except Invalid as exc:
        return await imports_page(
            request, chosen, errors=exc.errors, values=values, status=exc.status
        )
    except Conflict as exc:
        problem = flash.error(exc.message)
        return await imports_page(request, chosen, problem=problem, values=values, status=409)
    return _to_import(request, public_id, "sisir-diunggah")


@get("/sisir/templat.csv", name="staff:office-import-template")
async def template(request: Request) -> Response:
    return download(office_imports.template_csv())


async def import_page(
    request: Request, access: Scope, import_id: str, exc: DomainError | None = None
) -> Response:
    """One import in its present state; htmx polling gets the ``progress`` block only, and
    once the job is done with it a full load (``HX-Redirect``) into the next state."""
    view = await office_imports.import_view(access, import_id)
    poll = wants_fragment(request)
    errors: list[Any] = []
    if view.can_confirm and view.counts.errors and not poll:
        # The first page of rows to fix, beside the counts (an audited view of rows).
        errors, _ = await office_imports.import_rows(access, import_id, "galat", 1)
    # Done: a full load of the page in its next state, at its plain address, so a message
    # of the upload or confirm (?pesan=…) does not outlive what it announced.
    here = url(request, "staff:office-import", import_id=import_id)
    headers = {"HX-Redirect": here} if poll and not view.runnable else {}
    context = {
        "v": view,
        "error_rows": errors,
        "problem": flash.error(exc.message) if exc else None,
    }
    return page(
        request,
        "staff/office_imports_detail.html",
        context,
        access,
        "sisir",
        block="progress",
        status_code=exc.status if exc else 200,
        headers=headers,
    )


@get("/sisir/impor/{import_id:str}", name="staff:office-import")
async def import_detail(request: Request, access: Access, import_id: FromPath[str]) -> Response:
    return await import_page(request, access, import_id)


@get("/sisir/impor/{import_id:str}/baris", name="staff:office-import-rows")
async def import_rows(
    request: Request,
    access: Access,
    import_id: FromPath[str],
    jenis: FromQuery[str] = "galat",
    halaman: FromQuery[str] = "",
) -> Response:
    view = await office_imports.import_view(access, import_id)
    rows, pager = await office_imports.import_rows(access, import_id, jenis, halaman)
    context = {"v": view, "kind": jenis, "kinds": ROW_KINDS, "rows": rows, "pager": pager}
    return page(request, "staff/office_imports_rows.html", context, access, "sisir")


@get("/sisir/impor/{import_id:str}/galat.csv", name="staff:office-import-errors-csv")
async def errors_csv(access: Access, import_id: FromPath[str]) -> Response:
    return download(await office_imports.errors_csv(access, import_id))


async def _decide(
    request: Request, access: Scope, import_id: str, version: int | None, decision: Any, code: str
) -> Response:
    """Confirm or cancel: the import page again with the message when the import moved on
    meanwhile, else back to it with ``code``."""
    try:
        await decision(access, import_id, version or 0)
    except Conflict as exc:
        return await import_page(request, access, import_id, exc)
    return _to_import(request, import_id, code)


@post("/sisir/impor/{import_id:str}/simpan", name="staff:office-import-confirm", form=DecisionForm)
async def confirm(
    request: Request, access: Access, import_id: FromPath[str], form: NamedDependency[DecisionForm]
) -> Response:
    return await _decide(
        request, access, import_id, form.versi, office_imports.confirm, "sisir-disimpan"
    )


@post("/sisir/impor/{import_id:str}/batal", name="staff:office-import-cancel", form=DecisionForm)
async def cancel(
    request: Request, access: Access, import_id: FromPath[str], form: NamedDependency[DecisionForm]
) -> Response:
    return await _decide(
        request, access, import_id, form.versi, office_imports.cancel, "sisir-dibatalkan"
    )

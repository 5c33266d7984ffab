"""Error pages in Indonesian. Stack traces only in development."""

from __future__ import annotations

import logging
import traceback
from urllib.parse import urlencode

from litestar import MediaType, Request, Response, get
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
)
from litestar.response import Redirect
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR
from litestar.types import ExceptionHandlersMap

from portal import db
from portal.domain.errors import DomainError, Forbidden, NotFound, Throttled
from portal.ops.limits import BodyTooLarge
from portal.settings import get_settings
from portal.web.guards import STANDALONE
from portal.web.render import render_html

log = logging.getLogger("portal.errors")

RETRY_AFTER_SECONDS = 5

TITLES = {
    400: "Permintaan tidak dapat diproses",
    401: "Silakan masuk terlebih dahulu",
    403: "Anda tidak memiliki akses ke halaman ini",
    404: "Halaman tidak ditemukan",
    405: "Cara akses tidak didukung",
    409: "Data sudah berubah",
    413: "Berkas atau isian terlalu besar",
    429: "Terlalu banyak permintaan",
    500: "Maaf, terjadi kesalahan pada sistem",
    503: "Layanan sedang tidak tersedia",
}


def _page(
    request: Request,
    status: int,
    *,
    detail: str = "",
    trace: str = "",
    headers: dict[str, str] | None = None,
) -> Response:
    title = TITLES.get(status, "Terjadi kesalahan")
    try:
        html = render_html(
            request,
            "errors/error.html",
            {"status": status, "title": title, "detail": detail, "trace": trace},
        )
        media = MediaType.HTML
    except Exception:  # the template itself failed: still answer, in plain text
        log.exception("error page could not be rendered")
        html, media = f"{status} {title}", MediaType.TEXT
    return Response(
        html,
        status_code=status,
        media_type=media,
        headers={"Cache-Control": "no-store", **(headers or {})},
    )


def http_error(request: Request, exc: HTTPException) -> Response:
    status = exc.status_code
    if isinstance(exc, NotAuthorizedException) and request.method == "GET":
        return _to_login(request)
    detail = ""
    if isinstance(exc, PermissionDeniedException) and "CSRF" in str(exc.detail):
        detail = (
            "Formulir ini sudah kedaluwarsa atau dikirim dari luar portal. "
            "Muat ulang halaman lalu kirim lagi."
        )
    elif isinstance(exc, NotFoundException):
        detail = "Periksa kembali alamat yang Anda ketik, atau mulai dari beranda."
    elif isinstance(exc, NotAuthorizedException):
        detail = "Halaman ini hanya untuk pengguna yang sudah masuk."
    elif status == 413:
        detail = _too_large(getattr(exc, "limit", 0))
    headers = dict(getattr(exc, "headers", None) or {})
    return _page(request, status, detail=detail, headers=headers)


def _too_large(limit: int) -> str:
    from portal.coordinator.imports import MAX_BYTES as UPLOAD_MAX
    from portal.ops.limits import size_text

    settings = get_settings()
    if limit and limit == settings.max_import_bytes:
        # Splitting an office export in Excel mangles its NIKs: say the limit, not "split".
        return (
            f"Berkas data kantor paling besar {size_text(settings.max_import_bytes)}. "
            "Simpan ulang sebagai CSV (lebih kecil dari XLSX), lalu unggah lagi."
        )
    return (
        f"Berkas yang diunggah paling besar {size_text(UPLOAD_MAX)}, dan seluruh isian "
        f"formulir paling besar {size_text(settings.max_body_bytes)}. "
        "Perkecil berkasnya atau bagi menjadi beberapa bagian, lalu kirim lagi."
    )


def domain_error(request: Request, exc: DomainError) -> Response:
    """A service's refusal that its handler did not turn into a page of its own."""
    headers = {}
    if isinstance(exc, Throttled):
        headers["Retry-After"] = str(exc.retry_after)
    detail = exc.message if not isinstance(exc, NotFound | Forbidden) else ""
    if isinstance(exc, NotFound):
        detail = "Periksa kembali alamat yang Anda ketik, atau mulai dari beranda."
    return _page(request, exc.status, detail=detail, headers=headers)


def _to_login(request: Request) -> Response:
    target = "/masuk?" + urlencode({"next": request.url.path})
    if request.headers.get("HX-Request"):
        return Response("", status_code=204, headers={"HX-Redirect": target})
    return Redirect(target, status_code=303)


def database_unavailable(request: Request, exc: Exception) -> Response:
    from portal.piccolo_conf import DB

    state: db.DatabaseState = request.app.state.db_state
    if not isinstance(exc, db.DatabaseUnavailable):
        db.report_failure(state, DB, exc)
    return _page(
        request,
        503,
        detail="Basis data sedang dipulihkan. Coba lagi dalam beberapa detik.",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def server_error(request: Request, exc: Exception) -> Response:
    if isinstance(exc, db.UNAVAILABLE_ERRORS):
        return database_unavailable(request, exc)
    log.error(
        "unhandled error on %s %s: %s",
        request.method,
        request.url.path,
        type(exc).__name__,
        exc_info=exc,
    )
    trace = ""
    if get_settings().env == "development":
        trace = "".join(traceback.format_exception(exc))
    return _page(request, HTTP_500_INTERNAL_SERVER_ERROR, trace=trace)


@get("/galat/413", name="web:body-too-large", sync_to_thread=False, **STANDALONE)
def body_too_large_page() -> None:
    """What nginx shows when it refuses an oversized body itself (``error_page 413`` in
    deploy/nginx.conf): the body never reaches the app, the visitor still gets this page."""
    raise BodyTooLarge()


EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    HTTPException: http_error,
    DomainError: domain_error,
    db.DatabaseUnavailable: database_unavailable,
    Exception: server_error,
}

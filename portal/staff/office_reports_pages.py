"""Reports from coordinators for the office's records (``staff:office-reports``): the
listing with its filters, marking reports as taken into the office's records, the CSV."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated
from urllib.parse import parse_qsl

from litestar import Request, Response
from litestar.di import NamedDependency

from portal.domain.errors import Conflict, DomainError, Invalid
from portal.domain.inputs import Limit
from portal.domain.scope import Scope
from portal.staff import office_reports
from portal.staff.exports_pages import download
from portal.staff.office_reports import ReportFilter
from portal.staff.web import get, page, post
from portal.web import flash
from portal.web.deps import Access
from portal.web.flash import Counts, Notice
from portal.web.urls import url


@dataclass
class HandleForm:
    pilih: list[str] = field(default_factory=list)  # "id.version" of each ticked report
    kembali: Annotated[str, Limit(2000)] = ""  # the listing's query string


def _handled(counts: Counts) -> Notice:
    n = counts["n"]
    return flash.ok(
        f"{n} laporan ditandai sudah diproses." if n > 1 else "Laporan ditandai sudah diproses."
    )


flash.messages({"laporan-diproses": _handled})


async def _listing(
    request: Request,
    access: Scope,
    f: ReportFilter,
    picks: list[str] | None = None,
    exc: DomainError | None = None,
) -> Response:
    view = await office_reports.reports(access, f)
    context = {
        "v": view,
        "picks": picks or [],
        "errors": exc.errors if isinstance(exc, Invalid) else {},
        "problem": flash.error(exc.message) if isinstance(exc, DomainError) else None,
    }
    status = exc.status if exc is not None else 200
    return page(request, "staff/office_reports.html", context, access, "sisir", status_code=status)


@get("/sisir/laporan", name="staff:office-reports")
async def reports_page(request: Request, access: Access) -> Response:
    return await _listing(request, access, ReportFilter.of(request.query_params))


@post("/sisir/laporan/proses", name="staff:office-reports-handle", form=HandleForm)
async def handle_reports(
    request: Request, access: Access, form: NamedDependency[HandleForm]
) -> Response:
    f = ReportFilter.of(dict(parse_qsl(form.kembali)))
    chosen = access.choose(f.kantor)
    try:
        handled = await office_reports.handle(chosen, form.pilih)
    except (Invalid, Conflict) as exc:
        return await _listing(request, chosen, f, picks=form.pilih, exc=exc)
    back = url(request, "staff:office-reports", query=f.params())
    return flash.redirect(back, "laporan-diproses", n=handled)


@get("/sisir/laporan.csv", name="staff:office-reports-csv")
async def reports_csv(request: Request, access: Access) -> Response:
    f = ReportFilter.of(request.query_params)
    return download(await office_reports.reports_csv(access, f))

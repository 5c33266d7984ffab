"""Coverage of the office's list (``staff:coverage``): checked per kecamatan, kelurahan/desa
and RT, and reminders for coordinators who have not opened their list."""

from __future__ import annotations

from litestar import Request, Response
from litestar.params import FromQuery

from portal.domain.links import absolute_url
from portal.settings import get_settings
from portal.staff import coverage
from portal.staff.web import get, page
from portal.web.deps import Access
from portal.web.urls import url


@get("/sisir/cakupan", name="staff:coverage")
async def coverage_page(
    request: Request, access: Access, kecamatan: FromQuery[str] = "", kelurahan: FromQuery[str] = ""
) -> Response:
    link = absolute_url(get_settings().base_url, url(request, "coordinator:office-list"))
    view = await coverage.coverage(access, kecamatan, kelurahan, link)
    return page(request, "staff/coverage.html", {"v": view}, access, "sisir")

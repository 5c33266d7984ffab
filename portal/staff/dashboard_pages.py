"""The staff dashboard (``staff:dashboard``)."""

from __future__ import annotations

from litestar import Request, Response, get

from portal.clock import today_local
from portal.staff import dashboard
from portal.staff.web import GUARDS, page
from portal.web.deps import Access


@get("/", guards=GUARDS, name="staff:dashboard")
async def dashboard_page(request: Request, access: Access) -> Response:
    chosen = request.query_params.get("kecamatan") or ""
    context = {
        "o": await dashboard.overview(access, chosen, today_local()),
        "columns": dashboard.COLUMNS,
        "column_heads": dashboard.COLUMN_HEADS,
        "segments": dashboard.SEGMENTS,
        "week_label": dashboard.week_label,
    }
    return page(request, "staff/dashboard.html", context, access, "ringkasan")

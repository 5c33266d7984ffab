"""The staff dashboard (``staff:dashboard``)."""

from __future__ import annotations

from litestar import Request, Response

from portal.clock import today_local
from portal.staff import card_stock, dashboard, targets
from portal.staff.web import get, page
from portal.web.deps import Access


@get("/", name="staff:dashboard")
async def dashboard_page(request: Request, access: Access) -> Response:
    chosen = request.query_params.get("kecamatan") or ""
    context = {
        "o": await dashboard.overview(access, chosen, today_local()),
        "columns": dashboard.COLUMNS,
        "column_heads": dashboard.COLUMN_HEADS,
        "segments": dashboard.SEGMENTS,
        "week_label": dashboard.week_label,
        "stock": await card_stock.summary(access, today_local()),
        "targets": await targets.panel(access, today_local()),
    }
    return page(request, "staff/dashboard.html", context, access, "ringkasan")

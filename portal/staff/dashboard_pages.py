"""The staff dashboard (/petugas)."""

from __future__ import annotations

from litestar import Request, Response, get

from portal.clock import today_local
from portal.staff import dashboard
from portal.staff.charts import fill_bar
from portal.staff.regions import office_regions
from portal.staff.scope import staff_scope
from portal.staff.web import GUARDS, staff_render


@get("/", guards=GUARDS, name="staff_dashboard")
async def dashboard_page(request: Request) -> Response:
    scope = await staff_scope(request, request.query_params.get("kantor"))
    ids = scope.listing_ids
    regions = await office_regions(ids)
    kecamatan, villages = await dashboard.progress(ids, regions)
    chosen = request.query_params.get("kecamatan") or ""
    chosen_kec = regions.kecamatan_by_code(chosen)
    day = today_local()
    weeks = await dashboard.recorded_per_week(ids, day)
    sessions = await dashboard.upcoming(ids, day)
    for session in sessions:
        session["fill"] = fill_bar(session["booked"], session["capacity"])
    whole = dashboard.total(kecamatan)
    return staff_render(
        request,
        "staff/dashboard.html",
        {
            "whole": whole,
            "kecamatan": kecamatan,
            "chosen": chosen_kec,
            "villages": villages.get(chosen_kec.code, []) if chosen_kec else [],
            "columns": dashboard.COLUMN_LABELS,
            "segments": dashboard.SEGMENTS,
            "progress_chart": dashboard.progress_chart(kecamatan),
            "village_chart": dashboard.progress_chart(villages.get(chosen_kec.code, []))
            if chosen_kec
            else None,
            "weeks": weeks,
            "week_label": dashboard.week_label,
            "weekly_chart": dashboard.weekly_chart(weeks),
            "sessions": sessions,
            "oldest": await dashboard.oldest_unhandled(ids),
            "today": day,
        },
        scope=scope,
        section="ringkasan",
    )

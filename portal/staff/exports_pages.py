"""Spreadsheet downloads: the filtered queue and a session's roster, as CSV or XLSX."""

from __future__ import annotations

from litestar import Request, Response
from litestar.params import FromPath

from portal.clock import today_local
from portal.domain.scope import Scope
from portal.staff import exports
from portal.staff.queue import QueueFilter
from portal.staff.web import get
from portal.web.deps import Access


def download(export: exports.Export) -> Response:
    disposition = f'attachment; filename="{export.filename}"'
    return Response(
        export.body, media_type=export.media_type, headers={"Content-Disposition": disposition}
    )


async def _queue(request: Request, access: Scope, fmt: str) -> Response:
    f = QueueFilter.from_query(request.query_params)
    return download(await exports.queue_export(access, f, fmt, today_local()))


@get("/antrian/ekspor.csv", name="staff:queue-csv")
async def queue_csv(request: Request, access: Access) -> Response:
    return await _queue(request, access, "csv")


@get("/antrian/ekspor.xlsx", name="staff:queue-xlsx")
async def queue_xlsx(request: Request, access: Access) -> Response:
    return await _queue(request, access, "xlsx")


@get("/jadwal/{session_id:int}/daftar.csv", name="staff:roster-csv")
async def roster_csv(access: Access, session_id: FromPath[int]) -> Response:
    return download(await exports.roster_export(access, session_id, "csv"))


@get("/jadwal/{session_id:int}/daftar.xlsx", name="staff:roster-xlsx")
async def roster_xlsx(access: Access, session_id: FromPath[int]) -> Response:
    return download(await exports.roster_export(access, session_id, "xlsx"))

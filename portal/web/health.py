"""Liveness and readiness probes."""

from __future__ import annotations

from litestar import Request, Response, get

from portal import db
from portal.web.guards import STANDALONE


@get("/healthz", name="web:health", sync_to_thread=False, **STANDALONE)
def healthz() -> Response:
    return Response("ok", media_type="text/plain", headers={"Cache-Control": "no-store"})


@get("/readyz", name="web:ready", **STANDALONE)
async def readyz(request: Request) -> Response:
    from portal.piccolo_conf import DB

    state: db.DatabaseState = request.app.state.db_state
    await db.check_database(DB, state)
    if state.ready:
        return Response("ready", media_type="text/plain", headers={"Cache-Control": "no-store"})
    db.ensure_watcher(DB, state)
    return Response(
        f"not ready: {state.reason}",
        status_code=503,
        media_type="text/plain",
        headers={"Cache-Control": "no-store", "Retry-After": "5"},
    )

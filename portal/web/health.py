"""Liveness and readiness probes."""

from __future__ import annotations

from litestar import Request, Response, get

from portal import db

PROBE_OPTS = {"public": True, "no_db": True, "skip_csrf": True}


@get("/healthz", name="web:health", opt=PROBE_OPTS, include_in_schema=False, sync_to_thread=False)
def healthz() -> Response:
    return Response("ok", media_type="text/plain", headers={"Cache-Control": "no-store"})


@get("/readyz", name="web:ready", opt=PROBE_OPTS, include_in_schema=False)
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

"""App-wide guard: routes that need the database fail fast with 503 while it is down."""

from __future__ import annotations

from litestar.connection import ASGIConnection
from litestar.handlers import BaseRouteHandler

from portal import db


def database_ready(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    if handler.opt.get("no_db"):
        return
    state: db.DatabaseState = connection.app.state.db_state
    if not state.ready:
        raise db.DatabaseUnavailable(state.reason)

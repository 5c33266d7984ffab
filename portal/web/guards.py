"""App-wide guard: routes that need the database fail fast with 503 while it is down; and
the options of the routes that need neither it nor a session."""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers import BaseRouteHandler

from portal import db

# A route that answers without the database, a session or a CSRF cookie, and stays out of
# any API schema: the probes, static files, the page nginx shows for an oversized body.
# ``@get(path, name=…, **STANDALONE)``.
STANDALONE_OPT = {"public": True, "no_db": True, "skip_csrf": True}
STANDALONE: dict[str, Any] = {"opt": STANDALONE_OPT, "include_in_schema": False}


def database_ready(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    if handler.opt.get("no_db"):
        return
    state: db.DatabaseState = connection.app.state.db_state
    if not state.ready:
        raise db.DatabaseUnavailable(state.reason)

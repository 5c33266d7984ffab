"""The Litestar application factory: wires plugins, routes and middleware, nothing else."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar import Litestar
from litestar.config.compression import CompressionConfig
from litestar.datastructures import State
from litestar.plugins.htmx import HTMXPlugin
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig

from portal import PROJECT_ROOT, db
from portal.auth.sessions import session_middleware
from portal.logging_setup import configure_logging
from portal.ops import jobs
from portal.ops.limits import body_limit, import_body_gate
from portal.ops.metrics import prometheus_config
from portal.ops.request_log import request_log
from portal.routes import ROUTES
from portal.settings import Settings, get_settings
from portal.web.csrf import csrf_middleware
from portal.web.deps import DEPENDENCIES
from portal.web.errors import EXCEPTION_HANDLERS
from portal.web.guards import database_ready
from portal.web.head import head_as_get
from portal.web.headers import security_headers
from portal.web.hosts import allowed_hosts
from portal.web.templating import configure_environment

log = logging.getLogger("portal.app")


class MigrationsPending(RuntimeError):
    pass


class UnsafeDatabase(RuntimeError):
    """Production against a PostgreSQL server that may lose committed transactions."""


@asynccontextmanager
async def lifespan(app: Litestar) -> AsyncIterator[None]:
    from portal.piccolo_conf import DB

    settings = get_settings()
    state: db.DatabaseState = app.state.db_state
    if settings.engine == "sqlite":
        db.prepare_sqlite(str(settings.sqlite_path))
    ok = await db.check_database(DB, state)
    if state.pending_migrations:
        raise MigrationsPending(
            f"{len(state.pending_migrations)} database migration(s) not applied; "
            "run `portal migrate` (or `make migrate`) first"
        )
    if state.unsafe_settings:
        raise UnsafeDatabase(state.reason)
    if not ok:
        log.error("starting without a database: %s; retrying in the background", state.reason)
        db.ensure_watcher(DB, state)
    try:
        async with jobs.running(settings.jobs == "on"):
            yield
    finally:
        if state._task is not None:
            state._task.cancel()
        pool = getattr(DB, "pool", None)
        if pool is not None:
            await DB.close_connection_pool()


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or get_settings()
    configure_logging(settings)
    production = settings.production
    app = Litestar(
        route_handlers=ROUTES,
        lifespan=[lifespan],
        state=State({"db_state": db.DatabaseState()}),
        guards=[database_ready],
        dependencies=DEPENDENCIES,
        middleware=[
            prometheus_config().middleware,
            allowed_hosts(settings.allowed_hosts),
            body_limit,
            session_middleware,
            import_body_gate,  # needs the session, runs before CSRF reads the form
            csrf_middleware(settings),
        ],
        before_send=[security_headers(production)],
        plugins=[HTMXPlugin()],
        template_config=TemplateConfig(
            directory=PROJECT_ROOT / "templates",
            engine=JinjaTemplateEngine,
            engine_callback=configure_environment,
        ),
        compression_config=CompressionConfig(
            backend="gzip", minimum_size=512, gzip_compress_level=6
        ),
        exception_handlers=EXCEPTION_HANDLERS,
        request_max_body_size=settings.max_body_bytes,
        openapi_config=None,
        logging_config=None,  # portal.logging_setup owns logging (JSON lines, NIK redaction)
        debug=False,
    )
    # Around Litestar's whole handler (not per route) so every response is logged, HEAD
    # requests under their own name.
    app.asgi_handler = request_log(head_as_get(app.asgi_handler))
    return app

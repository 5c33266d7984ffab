"""Database engine selection, readiness and recovery.

SQLite is the zero-setup default; PostgreSQL (asyncpg pool) is production. The app must
start even when PostgreSQL is unreachable: `DatabaseState` remembers why the database is not
usable, pages that need it answer 503, and a background task retries until it comes back.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import asyncpg
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine

from portal.settings import Settings

log = logging.getLogger("portal.db")

os.environ.setdefault("PICCOLO_CONF", "portal.piccolo_conf")

# Errors that mean "the database is not reachable right now", as opposed to a bug.
UNAVAILABLE_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    TimeoutError,
    asyncio.TimeoutError,
    asyncpg.exceptions.CannotConnectNowError,
    asyncpg.exceptions.ConnectionDoesNotExistError,
    asyncpg.exceptions.ConnectionFailureError,
    asyncpg.exceptions.TooManyConnectionsError,
    asyncpg.exceptions.AdminShutdownError,
    asyncpg.exceptions.CrashShutdownError,
    asyncpg.exceptions.InterfaceError,
    asyncpg.exceptions.InternalClientError,
    sqlite3.OperationalError,
)


# The two engines the portal runs on.
AnyEngine = PostgresEngine | SQLiteEngine


class DatabaseUnavailable(Exception):
    """Raised (and turned into a 503 page) while the database cannot be used."""


def make_engine(settings: Settings) -> AnyEngine:
    if settings.engine == "postgres":
        parts = urlsplit(settings.database_url)
        if not parts.hostname and not parts.path.strip("/"):
            raise ValueError("PORTAL_DATABASE_URL needs a host and a database name")
        return PostgresEngine(
            config={
                "dsn": settings.database_url,
                "timeout": settings.db_connect_timeout,
                "command_timeout": 30,
            }
        )
    path = settings.sqlite_path
    path.parent.mkdir(parents=True, exist_ok=True)
    # `timeout` makes a writer wait for another process's write lock instead of failing.
    return SQLiteEngine(path=str(path), timeout=15)


def prepare_sqlite(path: str) -> None:
    """WAL lets readers proceed during a write; it is persistent, so setting it once is enough."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode=WAL")


@dataclass
class DatabaseState:
    ready: bool = False
    reason: str = "belum diperiksa"
    pending_migrations: list[str] = field(default_factory=list)
    unsafe_settings: list[str] = field(default_factory=list)
    _task: asyncio.Task | None = None


async def pending_migrations() -> list[str]:
    """Ids of the migrations on disk that the database has not recorded as run.

    One read of the migration table, not Piccolo's one query per migration (its ``check``
    command): this runs at every start and, while the database is down, every second."""
    from piccolo.apps.migrations.commands.base import BaseMigrationManager
    from piccolo.apps.migrations.tables import Migration

    manager = BaseMigrationManager()
    await manager.create_migration_table()
    rows = await Migration.select(Migration.app_name, Migration.name)
    ran = {(row["app_name"], row["name"]) for row in rows}
    pending: list[str] = []
    for app_module in manager.get_app_modules():
        config = app_module.APP_CONFIG
        modules = manager.get_migration_modules(config.resolved_migrations_folder_path)
        ids = manager.get_migration_ids(modules)
        pending += [i for i in ids if (config.app_name, i) not in ran]
    return pending


DURABILITY_QUERY = (
    "SELECT current_setting('fsync') AS fsync, "
    "current_setting('synchronous_commit') AS synchronous_commit"
)


def durability_problems(row: dict) -> list[str]:
    """An acknowledged submission must survive a crash of the database server: refuse a
    server that may lose committed transactions (fsync off) or acknowledge a commit before
    it is on disk (synchronous_commit off)."""
    return [f"{name}={row[name]}" for name in ("fsync", "synchronous_commit") if row[name] == "off"]


async def check_database(engine: AnyEngine, state: DatabaseState) -> bool:
    """Connect, make sure migrations are applied (and, in production, that the server keeps
    committed data), and record the outcome in `state`."""
    unsafe: list[str] = []
    try:
        if isinstance(engine, PostgresEngine):
            if engine.pool is None and _use_pool():
                await engine.start_connection_pool(min_size=1, max_size=_pool_max())
            rows = await asyncio.wait_for(
                engine._run_in_new_connection(DURABILITY_QUERY), timeout=3
            )
            if _require_durable():
                unsafe = durability_problems(dict(rows[0]))
        else:
            await asyncio.wait_for(engine._run_in_new_connection("SELECT 1"), timeout=3)
        state.pending_migrations = await pending_migrations()
    except UNAVAILABLE_ERRORS as exc:
        if isinstance(engine, PostgresEngine) and engine.pool is not None:
            await _close_pool(engine)
        _mark_down(state, f"{type(exc).__name__}: {exc}")
        return False
    state.unsafe_settings = unsafe
    if unsafe:
        _mark_down(
            state,
            "PostgreSQL may lose acknowledged data (" + ", ".join(unsafe) + "); "
            "production refuses it: turn fsync and synchronous_commit on",
        )
        return False
    if state.pending_migrations:
        state.ready = False
        state.reason = "migrasi belum dijalankan (jalankan: portal migrate)"
        return False
    if not state.ready:
        log.info("database ready")
        if isinstance(engine, PostgresEngine) and engine.pool is not None:
            # Connections opened before the outage are dead; replace them now rather than
            # let the first requests after recovery find out one by one.
            await engine.pool.expire_connections()
    state.ready = True
    state.reason = ""
    return True


def _use_pool() -> bool:
    """Litestar's test client runs the app (lifespan and requests) on an event loop of its
    own while the tests query from theirs, and an asyncpg pool is bound to one loop: the
    app opens no pool in tests (tests/integration/conftest.py pools each loop itself)."""
    from portal.settings import get_settings

    return get_settings().env != "test"


def _require_durable() -> bool:
    from portal.settings import get_settings

    return get_settings().production


def _pool_max() -> int:
    from portal.settings import get_settings

    return get_settings().db_pool_max


async def _close_pool(engine: PostgresEngine) -> None:
    pool, engine.pool = engine.pool, None
    if pool is not None:
        pool.terminate()


def _mark_down(state: DatabaseState, reason: str) -> None:
    if state.ready or state.reason != reason:
        log.error("database unavailable: %s", reason)
    state.ready = False
    state.reason = reason


def report_failure(state: DatabaseState, engine: AnyEngine, exc: BaseException) -> None:
    """Called when a request hit a database error: mark down and start recovering."""
    _mark_down(state, f"{type(exc).__name__}: {exc}")
    ensure_watcher(engine, state)


def ensure_watcher(engine: AnyEngine, state: DatabaseState, interval: float = 1.0) -> None:
    if state._task is not None and not state._task.done():
        return

    async def watch() -> None:
        while not state.ready:
            await asyncio.sleep(interval)
            await check_database(engine, state)

    state._task = asyncio.get_running_loop().create_task(watch())

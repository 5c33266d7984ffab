"""Integration fixtures: a real database (SQLite or PostgreSQL), migrated from empty,
reference content loaded once, dynamic tables emptied before every test."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import asyncpg
import pytest
from litestar.testing import AsyncTestClient
from piccolo.engine.postgres import PostgresEngine

from tests.conftest import ENGINE, IN_CI, POSTGRES_SERVER, TEST_DB_NAME

# Tables whose rows belong to one test only. Reference content (offices, regions,
# locations, requirements, figures) is loaded once per run.
DYNAMIC_TABLES = [
    # The drive's tables first: they point at residents, sessions and users, nothing at them.
    "session_operator",
    "session_plan",
    "kit_operator",
    "recording_kit",
    "card_stock_movement",
    "card_stock",
    "card_state",
    "office_month_tally",
    "office_target",
    "office_list_visit",
    "office_person",
    "office_import_row",
    "office_upload_part",
    "office_import",
    "import_batch",
    "draft_entry",
    "form_token",
    "resident_note",
    "resident_event",
    "resident",
    "resident_list",
    "outreach_area",
    "outreach_session",
    "audit_entry",
    "activation_token",
    "recovery_code",
    "login_attempt",
    "throttle_notice",
    "login_challenge",
    "user_session",
    "portal_user",
]


async def _create_postgres_database() -> None:
    try:
        conn = await asyncpg.connect(POSTGRES_SERVER, timeout=5)
    except (OSError, asyncpg.PostgresError) as exc:
        message = f"PostgreSQL not reachable at {POSTGRES_SERVER}: {exc}"
        if IN_CI:
            pytest.exit(f"FAIL (CI=true): {message}", returncode=1)
        pytest.skip(f"SKIPPED ALL POSTGRES TESTS: {message}", allow_module_level=True)
    try:
        await conn.execute(f'CREATE DATABASE "{TEST_DB_NAME}"')
        # A throwaway database: a commit need not wait for the disk. Every test commits
        # many times, and on a busy machine the flushes took most of the run. (The app
        # refuses such a server in production, portal/db.py; tests run as "test".)
        await conn.execute(f'ALTER DATABASE "{TEST_DB_NAME}" SET synchronous_commit = off')
    finally:
        await conn.close()


class _Borrowed:
    """A pooled connection that goes back to its pool where Piccolo closes it."""

    def __init__(self, pool: asyncpg.Pool, connection: asyncpg.Connection) -> None:
        self._pool, self._connection = pool, connection

    def __getattr__(self, name: str):
        return getattr(self._connection, name)

    async def close(self) -> None:
        await self._pool.release(self._connection)


# Connection pools by event loop. In the test environment the app opens a connection per
# query (portal/db.py: the tests' own queries run on another event loop than the app, and
# an asyncpg pool belongs to one loop): thousands of connections per run, each a new
# server process. Two loops borrow from a pool of their own instead, as production does:
# the tests' (session-wide) and, while the `client` fixture lives, the loop its requests
# run on. Any other loop connects per query as before.
_POOLS: dict[asyncio.AbstractEventLoop, asyncpg.Pool] = {}


async def _open_loop_pool() -> None:
    from portal.piccolo_conf import DB

    assert isinstance(DB, PostgresEngine)
    pool = await asyncpg.create_pool(**DB.config, min_size=1, max_size=10)
    _POOLS[asyncio.get_running_loop()] = pool


async def _close_loop_pool() -> None:
    pool = _POOLS.pop(asyncio.get_running_loop(), None)
    if pool is not None:
        try:
            await asyncio.wait_for(pool.close(), timeout=10)
        except TimeoutError:  # a connection still out: nothing may wait for it now
            pool.terminate()


def _borrow_from_loop_pools() -> None:
    from portal.piccolo_conf import DB

    connect = PostgresEngine.get_new_connection

    async def get_new_connection(engine: PostgresEngine):
        pool = _POOLS.get(asyncio.get_running_loop()) if engine is DB else None
        if pool is None:
            return await connect(engine)
        return _Borrowed(pool, await pool.acquire())

    PostgresEngine.get_new_connection = get_new_connection  # type: ignore[method-assign]


async def _drop_postgres_database() -> None:
    from portal.piccolo_conf import DB

    if getattr(DB, "pool", None) is not None:
        await DB.close_connection_pool()
    await _close_loop_pool()
    conn = await asyncpg.connect(POSTGRES_SERVER, timeout=5)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{TEST_DB_NAME}" WITH (FORCE)')
    finally:
        await conn.close()


@pytest.fixture(scope="session")
async def database() -> AsyncIterator[None]:
    if ENGINE == "postgres":
        await _create_postgres_database()
    from piccolo.apps.migrations.commands.forwards import run_forwards

    from portal.db import prepare_sqlite
    from portal.settings import get_settings

    settings = get_settings()
    if settings.engine == "sqlite":
        prepare_sqlite(str(settings.sqlite_path))
    result = await run_forwards(app_name="all")
    assert result.success, result.message
    if ENGINE == "postgres":
        _borrow_from_loop_pools()
        await _open_loop_pool()
    from portal.content.load import load_content

    await load_content()
    yield
    if ENGINE == "postgres":
        await _drop_postgres_database()


async def clear_dynamic_tables() -> None:
    """Empty the dynamic tables and restart their ids at 1, in one transaction.

    DELETE rather than TRUNCATE on PostgreSQL: the tables hold a few rows, and TRUNCATE
    replaces every table's files (tens of milliseconds per test, far more on a busy
    server). Ids restart as TRUNCATE's RESTART IDENTITY did, and as SQLite's do."""
    from portal.piccolo_conf import DB

    async with DB.transaction():
        if ENGINE == "postgres":
            # The audit log refuses DELETE (append-only trigger): replica mode skips user
            # triggers, and the foreign-key checks, for this transaction only.
            await DB.run_ddl("SET LOCAL session_replication_role = replica")
            for table in DYNAMIC_TABLES:
                await DB.run_ddl(f"DELETE FROM {table}")
            await DB.run_ddl(
                "SELECT "
                + ", ".join(
                    f"setval(pg_get_serial_sequence('{table}', 'id'), 1, false)"
                    for table in DYNAMIC_TABLES
                )
            )
            return
        # SQLite has no such mode: the append-only triggers are lifted inside the
        # transaction, so no other connection ever sees the table without them.
        triggers = await DB.run_ddl(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
            "AND tbl_name = 'audit_entry'"
        )
        for trigger in triggers:
            await DB.run_ddl(f"DROP TRIGGER {trigger['name']}")
        for table in DYNAMIC_TABLES:
            await DB.run_ddl(f"DELETE FROM {table}")
        for trigger in triggers:
            await DB.run_ddl(trigger["sql"])


@pytest.fixture
async def db(database: None) -> AsyncIterator[None]:
    await clear_dynamic_tables()
    yield


@pytest.fixture(scope="session")
def app(database: None):
    from portal.app import create_app

    return create_app()


@pytest.fixture
async def client(app, db: None) -> AsyncIterator[AsyncTestClient]:
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as test_client:
        if ENGINE == "postgres":
            test_client.blocking_portal.call(_open_loop_pool)
        try:
            yield test_client
        finally:
            if ENGINE == "postgres":
                test_client.blocking_portal.call(_close_loop_pool)


@pytest.fixture
def login_as(client: AsyncTestClient):
    """Sign ``client`` in as a user without the login form (which has its own tests)."""
    from portal.auth.sessions import cookie_name, start_session

    async def _login(user) -> None:
        cookie = await start_session(user)
        client.cookies.set(cookie_name(), cookie.value)

    return _login

"""Integration fixtures: a real database (SQLite or PostgreSQL), migrated from empty,
reference content loaded once, dynamic tables emptied before every test."""

from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

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
    finally:
        await conn.close()


async def _drop_postgres_database() -> None:
    from portal.piccolo_conf import DB

    if getattr(DB, "pool", None) is not None:
        await DB.close_connection_pool()
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
    from portal.content.load import load_content

    await load_content()
    yield
    if ENGINE == "postgres":
        await _drop_postgres_database()


async def clear_dynamic_tables() -> None:
    from portal.piccolo_conf import DB

    if ENGINE == "postgres":
        await DB.run_ddl("TRUNCATE " + ", ".join(DYNAMIC_TABLES) + " RESTART IDENTITY CASCADE")
    else:
        # The audit log refuses DELETE (append-only triggers); tests lift that briefly.
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
        yield test_client


@pytest.fixture
def login_as(client: AsyncTestClient):
    """Sign ``client`` in as a user without the login form (which has its own tests)."""
    from portal.auth.sessions import cookie_name, start_session

    async def _login(user) -> None:
        cookie = await start_session(user)
        client.cookies.set(cookie_name(), cookie.value)

    return _login

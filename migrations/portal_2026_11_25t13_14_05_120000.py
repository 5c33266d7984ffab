"""The audit log is append-only in the database itself, not only in the app: a trigger
refuses every UPDATE and DELETE on audit_entry (PostgreSQL and SQLite alike).

A DBA who must prune old entries under a retention rule does it outside the app, e.g. on
PostgreSQL as a superuser with ``SET session_replication_role = replica`` for that session.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.engine.postgres import PostgresEngine

ID = "2026-11-25T13:14:05:120000"
VERSION = "1.38.0"
DESCRIPTION = "audit_entry: triggers refuse UPDATE and DELETE"

POSTGRES_UP = [
    """
    CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'audit_entry is append-only: % refused', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END;
    $$
    """,
    """
    CREATE TRIGGER audit_entry_append_only
    BEFORE UPDATE OR DELETE ON audit_entry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()
    """,
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_entry",
    "DROP FUNCTION IF EXISTS audit_entry_append_only()",
]
SQLITE_UP = [
    """
    CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry
    BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only: UPDATE refused'); END
    """,
    """
    CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry
    BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only: DELETE refused'); END
    """,
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS audit_entry_no_update",
    "DROP TRIGGER IF EXISTS audit_entry_no_delete",
]


async def _run(postgres: list[str], sqlite: list[str]) -> None:
    engine = engine_finder()
    for statement in postgres if isinstance(engine, PostgresEngine) else sqlite:
        await engine.run_ddl(statement)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="portal", description=DESCRIPTION)

    async def up():
        await _run(POSTGRES_UP, SQLITE_UP)

    async def down():
        await _run(POSTGRES_DOWN, SQLITE_DOWN)

    manager.add_raw(up)
    manager.add_raw_backwards(down)
    return manager

"""Indexes for the staff queue, dashboard and rosters.

Composite indexes (office first, then the sort key and id for keyset pagination) cannot be
declared on Piccolo columns, so they are raw SQL; both engines understand them. On
PostgreSQL, trigram (pg_trgm) GIN indexes make ``name_key LIKE '%budi%'`` and
``nik LIKE '%1234'`` index searches; SQLite has no equivalent and scans instead.

``resident`` may already hold many rows while the site runs, so the indexes are built
concurrently, outside a transaction (portal/online_ddl.py).
"""

import logging

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.engine.postgres import PostgresEngine

from portal.online_ddl import create_index, drop_index

ID = "2026-11-25T15:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Staff queue, dashboard and roster indexes"

log = logging.getLogger("portal.migrations")

INDEXES = {
    # Counts per status for a whole office: an index-only scan of this narrow index.
    "resident_office_status": "resident (office, status)",
    # Keyset pages in each sort order; the trailing status lets the counts of a date or
    # category filter come from the index alone.
    "resident_office_submitted": "resident (office, submitted_at, id, status)",
    "resident_office_status_submitted": "resident (office, status, submitted_at, id)",
    "resident_office_name": "resident (office, name_key, id)",
    "resident_office_category_submitted": "resident (office, category, submitted_at, id, status)",
    "resident_office_rw_rt": "resident (office, rw, rt, status)",
    "resident_assigned": "resident (assigned_to, status)",
    "resident_office_unassigned": "resident (office, status) WHERE assigned_to IS NULL",
    "resident_office_recorded": "resident (office, recorded_on)",
    "resident_name_birth": "resident (name_key, birth_date)",
    "outreach_session_office_day": "outreach_session (office, day, starts)",
}
TRIGRAM_INDEXES = {
    "resident_name_key_trgm": "resident USING gin (name_key gin_trgm_ops)",
    "resident_nik_trgm": "resident USING gin (nik gin_trgm_ops)",
}


async def create_indexes():
    engine = engine_finder()
    for name, target in INDEXES.items():
        await create_index(name, target)
    if not isinstance(engine, PostgresEngine):
        return
    available = await engine.run_ddl("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
    if not available:
        log.warning("pg_trgm is not available: name and NIK search will scan")
        return
    await engine.run_ddl("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, target in TRIGRAM_INDEXES.items():
        await create_index(name, target)


async def drop_indexes():
    for name in [*INDEXES, *TRIGRAM_INDEXES]:
        await drop_index(name)


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="portal", description=DESCRIPTION, wrap_in_transaction=False
    )
    manager.add_raw(create_indexes)
    manager.add_raw_backwards(drop_indexes)
    return manager

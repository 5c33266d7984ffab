"""Duplicate checks look residents up by village and birth date (a spelling variant of a
name only counts with the same birth date), so they get an index of their own. ``resident``
holds data on a running site: built concurrently (portal/online_ddl.py)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from portal.online_ddl import create_index, drop_index

ID = "2026-11-25T17:29:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Index for duplicate checks by village and birth date"

NAME = "resident_village_birth"


async def create():
    await create_index(NAME, "resident (village, birth_date)")


async def drop():
    await drop_index(NAME)


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="portal", description=DESCRIPTION, wrap_in_transaction=False
    )
    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager

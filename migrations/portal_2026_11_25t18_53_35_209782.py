"""throttle_notice: sign-ins refused by the throttle write one audit entry per episode, not
one per refused request; this table remembers which episodes were written (see
portal/auth/throttle.py)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod

ID = "2026-11-25T18:53:35:209782"
VERSION = "1.38.0"
DESCRIPTION = "throttle_notice: one audit entry per throttle episode"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="portal", description=DESCRIPTION)

    manager.add_table(
        class_name="ThrottleNotice",
        tablename="throttle_notice",
        schema=None,
        columns=None,
    )

    manager.add_column(
        table_class_name="ThrottleNotice",
        tablename="throttle_notice",
        column_name="episode_hash",
        db_column_name="episode_hash",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 64,
            "default": "",
            "null": False,
            "primary_key": False,
            "unique": True,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="ThrottleNotice",
        tablename="throttle_notice",
        column_name="at",
        db_column_name="at",
        column_class_name="Timestamptz",
        column_class=Timestamptz,
        params={
            "default": TimestamptzNow(),
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": True,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    return manager

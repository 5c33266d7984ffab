"""The portal's one Piccolo app: every table, one set of migrations in ``migrations/``."""

from typing import cast

from piccolo.conf.apps import AppConfig
from piccolo.table import Table

from portal import PROJECT_ROOT
from portal.tables import ALL_TABLES

APP_CONFIG = AppConfig(
    app_name="portal",
    migrations_folder_path=str(PROJECT_ROOT / "migrations"),
    # Every entry is a Table; the list's inferred type is their common mixin (Keyed).
    table_classes=cast("list[type[Table]]", ALL_TABLES),
    migration_dependencies=[],
    commands=[],
)

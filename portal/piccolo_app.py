"""The portal's one Piccolo app: every table, one set of migrations in ``migrations/``."""

from piccolo.conf.apps import AppConfig

from portal import PROJECT_ROOT
from portal.tables import ALL_TABLES

APP_CONFIG = AppConfig(
    app_name="portal",
    migrations_folder_path=str(PROJECT_ROOT / "migrations"),
    table_classes=ALL_TABLES,
    migration_dependencies=[],
    commands=[],
)

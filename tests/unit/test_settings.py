import pytest

from portal.settings import DEV_SECRET, Settings, SettingsError, get_settings


def test_defaults_to_sqlite_under_var(monkeypatch):
    monkeypatch.delenv("PORTAL_DATABASE_URL", raising=False)
    settings = Settings(_env_file=None, database_url="")
    assert settings.engine == "sqlite"
    assert settings.sqlite_path.parts[-2:] == ("var", "portal.sqlite3")


def test_postgres_url_selects_postgres():
    assert Settings(_env_file=None, database_url="postgresql://u@h/db").engine == "postgres"


def test_wrong_database_url_is_refused_with_the_variable_named(monkeypatch):
    monkeypatch.setenv("PORTAL_DATABASE_URL", "mysql://nope")
    get_settings.cache_clear()
    try:
        with pytest.raises(SettingsError, match="PORTAL_DATABASE_URL"):
            get_settings()
    finally:
        get_settings.cache_clear()


def test_production_refuses_default_secret_and_sqlite():
    with pytest.raises(ValueError, match="SECRET_KEY"):
        Settings(
            _env_file=None,
            env="production",
            secret_key=DEV_SECRET,
            database_url="postgresql://u@h/db",
        )
    with pytest.raises(ValueError, match="postgresql"):
        Settings(_env_file=None, env="production", secret_key="s" * 40, database_url="")


def test_unknown_time_zone_is_refused():
    with pytest.raises(ValueError):
        Settings(_env_file=None, time_zone="Mars/Olympus")

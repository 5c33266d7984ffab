"""Typed settings, read once from the environment (prefix ``PORTAL_``).

Every setting is documented in ``.env.example``. A wrong value stops the process at start
with a message naming the variable; an unreachable database does not (see ``portal.db``).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from portal import PROJECT_ROOT

DEV_SECRET = "dev-only-secret-change-me-dev-only-secret-change-me"  # noqa: S105


class SettingsError(RuntimeError):
    """A setting is missing or wrong; the message says which and how to fix it."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="PORTAL_", env_file=PROJECT_ROOT / ".env", extra="ignore", frozen=True
    )

    env: Literal["development", "production", "test"] = "development"
    database_url: str = ""
    """Empty: SQLite file ``var/portal.sqlite3``. ``sqlite:///path`` or ``postgresql://…``."""
    secret_key: str = DEV_SECRET
    base_url: str = "http://127.0.0.1:8000"
    time_zone: str = "Asia/Jakarta"
    allowed_hosts: list[str] = Field(default_factory=lambda: ["127.0.0.1", "localhost"])
    trusted_proxies: list[str] = Field(default_factory=list)
    """Addresses of reverse proxies whose X-Forwarded-For is believed."""
    db_pool_min: int = 1
    db_pool_max: int = 10
    db_connect_timeout: float = 2.0
    max_body_bytes: int = 3 * 1024 * 1024
    max_import_bytes: int = 32 * 1024 * 1024
    """The office export upload (staff only, one route); every other body: max_body_bytes."""
    jobs: Literal["on", "off"] = "on"
    """on: every ``portal serve`` worker runs the import job loop; off: ``portal jobs`` does."""
    staff_idle_minutes: int = 30
    staff_lifetime_hours: int = 12
    coordinator_idle_minutes: int = 240
    coordinator_lifetime_hours: int = 72
    login_attempts_per_minute: int = 5
    """Sign-in attempts (right or wrong) accepted per client address per minute."""
    login_failures_per_hour: int = 20
    """Failed sign-ins per account per hour before growing delays start."""
    activation_link_hours: int = 72
    purge_after_days: int = 180
    log_level: str = "INFO"
    log_format: Literal["json", "text"] = "json"
    metrics_allowed: list[str] = Field(default_factory=lambda: ["127.0.0.1", "::1"])
    """Addresses allowed to read /metrics (direct peers; never a proxied request)."""

    @field_validator("database_url")
    @classmethod
    def _check_url(cls, value: str) -> str:
        if value and not value.startswith(("sqlite:///", "postgresql://", "postgres://")):
            raise ValueError("harus kosong, sqlite:///PATH atau postgresql://…")
        return value

    @field_validator("time_zone")
    @classmethod
    def _check_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @model_validator(mode="after")
    def _production_rules(self) -> Settings:
        if self.env == "production":
            if self.secret_key == DEV_SECRET or len(self.secret_key) < 32:
                raise ValueError("PORTAL_SECRET_KEY must be a random value of 32+ characters")
            if not self.database_url.startswith(("postgresql://", "postgres://")):
                raise ValueError("production needs PORTAL_DATABASE_URL=postgresql://…")
        return self

    @property
    def engine(self) -> Literal["sqlite", "postgres"]:
        return "postgres" if self.database_url.startswith("postgres") else "sqlite"

    @property
    def sqlite_path(self) -> Path:
        if self.database_url.startswith("sqlite:///"):
            return Path(self.database_url.removeprefix("sqlite:///"))
        return PROJECT_ROOT / "var" / "portal.sqlite3"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def production(self) -> bool:
        return self.env == "production"


@functools.cache
def get_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"PORTAL_{'_'.join(str(p) for p in err['loc']).upper() or 'SETTINGS'}: {err['msg']}"
            for err in exc.errors()
        )
        raise SettingsError(f"Invalid settings: {problems}") from None

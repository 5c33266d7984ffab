"""The portal's clock: Mojokerto's wall time (``PORTAL_TIME_ZONE``, WIB by default), never
the server's. From 17:00 to 24:00 UTC the two dates differ, and a session held "today" in
Mojokerto is tomorrow for a server on UTC."""

from __future__ import annotations

from datetime import date, datetime

from portal.settings import get_settings


def now_local() -> datetime:
    return datetime.now(get_settings().zone)


def today_local() -> date:
    return now_local().date()

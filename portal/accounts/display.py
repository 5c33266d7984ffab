"""How account data reads on a page: role and title names, scope, dates, states."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from portal.rules.dates import format_date_id
from portal.settings import get_settings

ROLE_LABELS = {"admin": "Admin", "staff": "Petugas", "coordinator": "Koordinator"}
TITLE_LABELS = {
    "ketua_rt": "Ketua RT",
    "ketua_rw": "Ketua RW",
    "kader_pkk": "Kader PKK",
    "operator_sekolah": "Operator sekolah",
}


def when(moment: datetime | None) -> str:
    """ "25 November 2026 13.05 WIB" in the portal's time zone."""
    if moment is None:
        return "–"
    settings = get_settings()
    local = moment.astimezone(settings.zone)
    zone = local.tzname() if settings.time_zone != "Asia/Jakarta" else "WIB"
    return f"{format_date_id(local.date())} {local:%H.%M} {zone}"


def scope_label(row: dict[str, Any]) -> str:
    """ "RT 03 / RW 02, Surodinawan, Kec. Prajurit Kulon" from a row holding scope_rt,
    scope_rw, village_name and kecamatan_name (missing parts are left out)."""
    parts = []
    if row.get("scope_rt"):
        parts.append(f"RT {row['scope_rt']} / RW {row.get('scope_rw') or '–'}")
    elif row.get("scope_rw"):
        parts.append(f"RW {row['scope_rw']}")
    if row.get("village_name"):
        parts.append(row["village_name"])
    if row.get("kecamatan_name"):
        parts.append(f"Kec. {row['kecamatan_name']}")
    return ", ".join(parts) or "–"


def account_state(row: dict[str, Any]) -> tuple[str, str]:
    """(label, tag class) of an account."""
    if not row.get("active"):
        return "Nonaktif", "error"
    if not row.get("password_hash"):
        return "Menunggu aktivasi", "warn"
    return "Aktif", "ok"


HELPERS = {
    "when": when,
    "scope_label": scope_label,
    "account_state": account_state,
    "role_labels": ROLE_LABELS,
    "title_labels": TITLE_LABELS,
}

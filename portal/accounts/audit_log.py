"""Reading the audit log: staff see their office's entries, admin every entry. Read-only:
there is no route that edits or deletes an entry, and the database refuses UPDATE and
DELETE on the table anyway (see the migration)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from piccolo.custom_types import Combinable

from portal.domain.paging import Pager
from portal.domain.scope import Scope
from portal.domain.vocabulary import AUDIT_ACTIONS
from portal.settings import get_settings
from portal.tables.accounts import AuditEntry

BAD_DATE = "Tanggal tidak valid. Tulis seperti 2026-11-25"


@dataclass
class AuditFilters:
    halaman: int | None = None
    action: str = ""
    user: str = ""
    object_type: str = ""
    object_id: str = ""
    since: str = ""  # the first day, ISO ("from" in the address)
    until: str = ""  # the last day ("to")


@dataclass(frozen=True)
class AuditLog:
    rows: list[dict]
    pager: Pager
    values: dict[str, str]  # the filters as applied, kept in the form and on page links
    errors: dict[str, str]  # filters that could not be read (the others still apply)
    actions: list[tuple[str, str]]  # (action, words) of every action recorded in scope
    all_offices: bool


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def _filter_where(filters: AuditFilters) -> tuple[list[Combinable], dict, dict]:
    where: list[Combinable] = []
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    exact = {
        "action": (AuditEntry.action, filters.action[:60]),
        "user": (AuditEntry.actor_name, filters.user.lower()[:120]),
        "object_type": (AuditEntry.object_type, filters.object_type[:40]),
        "object_id": (AuditEntry.object_id, filters.object_id[:40]),
    }
    for name, (column, value) in exact.items():
        if value:
            where.append(column == value)
            values[name] = value
    zone = get_settings().zone
    for name, raw in (("from", filters.since), ("to", filters.until)):
        if not raw:
            continue
        day = _day(raw)
        if day is None:
            errors[name] = BAD_DATE
            continue
        values[name] = day.isoformat()
        moment = datetime.combine(day, time.min, tzinfo=zone)
        where.append(
            AuditEntry.at >= moment
            if name == "from"
            else AuditEntry.at < moment + timedelta(days=1)
        )
    return where, values, errors


async def read_log(access: Scope, filters: AuditFilters) -> AuditLog:
    """The entries of the scope's office (an admin: every entry, also those of no office),
    newest first, filtered and paged in SQL."""
    access.require_staff()
    scope = [] if access.is_admin else [access.office_where(AuditEntry.office, listing=False)]
    where, values, errors = _filter_where(filters)
    pager = Pager.of(filters.halaman, await AuditEntry.count().where(*scope, *where))
    rows = (
        await AuditEntry.select(
            *AuditEntry.all_columns(exclude=[AuditEntry.actor, AuditEntry.office]),
            AuditEntry.office.short_name.as_alias("office_name"),
        )
        .where(*scope, *where)
        .order_by(AuditEntry.at, ascending=False)
        .order_by(AuditEntry.id, ascending=False)
        .limit(pager.size)
        .offset(pager.offset)
    )
    for row in rows:
        row["detail_text"] = detail_text(row["detail"])
    recorded = (
        await AuditEntry.select(AuditEntry.action)
        .where(*scope)
        .distinct()
        .order_by(AuditEntry.action)
    )
    actions = [(r["action"], AUDIT_ACTIONS.get(r["action"], r["action"])) for r in recorded]
    return AuditLog(rows, pager, values, errors, actions, all_offices=access.is_admin)


def detail_text(detail: Any) -> str:
    """An entry's detail as one line: "key: value, …" (values as JSON)."""
    if isinstance(detail, str):
        try:
            detail = json.loads(detail or "{}")
        except ValueError:
            return detail
    if not detail:
        return ""
    return ", ".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in detail.items())

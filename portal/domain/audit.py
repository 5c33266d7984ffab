"""The audit log: append-only, one call for every recorded action, written inside the
transaction of the change it records, so a change and its audit line commit together or
not at all.

Never pass a password, token or full NIK in ``detail``: log the resident's id and a masked
NIK instead. Entries are only ever inserted; nothing in the app updates or deletes them, and
the database refuses to (triggers on audit_entry, PostgreSQL and SQLite; see the migration
"audit_entry: triggers refuse UPDATE and DELETE"). Data minimisation (``portal purge``) must
leave audit entries alone, and never delete a user row: entries reference their actor.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from portal.domain.actor import Actor
from portal.tables.accounts import AuditEntry


async def record(
    actor: Actor | None,
    action: str,
    *,
    office_id: int | None = None,
    object_type: str = "",
    object_id: Any = "",
    detail: dict[str, Any] | None = None,
    actor_name: str | None = None,
) -> None:
    """Append one entry. ``office_id`` defaults to the actor's office; ``actor_name``
    overrides the name shown (a failed sign-in names the account tried, not a user)."""
    if office_id is None and actor is not None:
        office_id = actor.office_id
    await AuditEntry(
        at=datetime.now(UTC),
        actor=actor.user_id if actor else None,
        actor_name=actor_name if actor_name is not None else (actor.username if actor else ""),
        role=actor.role if actor else "",
        office=office_id,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        detail=detail or {},
        ip=actor.ip if actor else "",
    ).save()


def nik_access_detail(resident_ids: Iterable[int], **extra: object) -> dict:
    """The ``detail`` of an entry for an action that showed or exported full NIKs: the breach
    query (``portal audit-nik``) finds every such entry by resident id."""
    return {"nik_revealed": True, "resident_ids": sorted({int(i) for i in resident_ids}), **extra}

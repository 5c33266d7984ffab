"""The audit log: append-only, one call for every recorded action.

Never pass a password, token or full NIK in ``detail``: log the resident's id and a masked
NIK instead. Entries are only ever inserted; nothing in the app updates or deletes them, and
the database refuses to (triggers on audit_entry, PostgreSQL and SQLite; see the migration
"audit_entry: triggers refuse UPDATE and DELETE"). Data minimisation (``portal purge``) must
leave audit entries alone, and never delete a user row: entries reference their actor.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from litestar.connection import ASGIConnection

from portal.tables.accounts import AuditEntry, User
from portal.web.client_ip import client_ip


async def record(
    action: str,
    *,
    actor: User | None = None,
    connection: ASGIConnection | None = None,
    office_id: int | None = None,
    object_type: str = "",
    object_id: Any = "",
    detail: dict[str, Any] | None = None,
    actor_name: str | None = None,
) -> None:
    if actor is None and connection is not None:
        actor = connection.scope.get("user")
    if office_id is None and actor is not None:
        office_id = (
            actor.office if isinstance(actor.office, int) else getattr(actor.office, "id", None)
        )
    await AuditEntry(
        at=datetime.now(UTC),
        actor=actor.id if actor else None,
        actor_name=actor_name or (actor.username if actor else ""),
        role=actor.role if actor else "",
        office=office_id,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        detail=detail or {},
        ip=client_ip(connection) if connection is not None else "",
    ).save()

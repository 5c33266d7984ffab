"""Moved: lists are ``portal.coordinator`` services on ``portal.domain.scope.Scope``. Kept
only for a test of another area that still asks where a coordinator may make lists; the
lead deletes it."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from portal.coordinator.new_list import choices
from portal.domain.scope import scope_for


async def coordinator_scope(user: Any) -> SimpleNamespace:
    """Villages to choose from (id, name, kind) and the fixed RW/RT, as before."""
    where = await choices(await scope_for(user))
    villages = [{"id": v.id, "name": v.name, "kind": v.kind} for v in where.villages]
    return SimpleNamespace(villages=villages, rw=where.rw, rt=where.rt)

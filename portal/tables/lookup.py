"""Reading the rows of many ids at once, the same way in every area."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from piccolo.columns import Column


async def rows_by(
    key: Column, ids: Collection[Any], *columns: Any, where: tuple[Any, ...] = ()
) -> dict[Any, dict]:
    """The rows of ``key``'s table whose ``key`` is one of ``ids`` (and that meet ``where``),
    each under its key; ``columns`` are what is read and include ``key``. No ids, no query:
    ``rows_by(CardState.resident, ids, CardState.resident, CardState.state)``."""
    if not ids:
        return {}
    table = key._meta.table
    rows = await table.select(*columns).where(key.is_in(list(ids)), *where)
    return {row[key._meta.name]: row for row in rows}

"""Changing several rows a form showed, each at the version the form saw: all of them or
none. A row changed meanwhile (another officer, another tab), outside the scope, or no
longer in a state the change allows does not match its conditional UPDATE; the caller then
raises inside its write transaction, which undoes the rows that did match."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from piccolo.table import Table


async def update_each(
    table: type[Table], items: Iterable[tuple[int, int]], values: Mapping[Any, Any], *where: Any
) -> list[int]:
    """One conditional UPDATE per (id, version) with ``values`` and the version bumped, in
    the caller's transaction. Returns the ids that did not match."""
    key = table._meta.primary_key
    version: Any = table._meta.get_column_by_name("version")  # an Integer: it adds
    refused = []
    for row_id, seen in items:
        done = (
            await table.update({**values, version: version + 1})
            .where(key == row_id, version == seen, *where)
            .returning(key)
        )
        if not done:
            refused.append(row_id)
    return refused

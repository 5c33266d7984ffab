"""Columns of a table by name: a select that reads many columns names them on one line."""

from __future__ import annotations

from typing import Any

from piccolo.table import Table


def columns(table: type[Table], names: str) -> list[Any]:
    """``columns(Resident, "id full_name rt")`` → [Resident.id, Resident.full_name, ...]."""
    return [getattr(table, name) for name in names.split()]

"""The office's list ("sisir data") as both areas read it: who counts as listed now, the
import whose list coordinators see, and the progress of a list (docs/drive.md §6.4).

Coordinators (``portal.coordinator.office_list``) and staff (``portal.staff.coverage``)
count the same people the same way from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from piccolo.columns.combination import And

from portal.domain.vocabulary import OFFICE_OUTCOMES
from portal.tables.office_lists import OfficeImport, OfficePerson


def current() -> And:
    """Listed by the latest export and not minimised."""
    return OfficePerson.gone_import.is_null() & OfficePerson.purged_at.is_null()


@dataclass(frozen=True)
class ImportRef:
    """The applied import whose list coordinators of an office see now."""

    id: int
    public_id: str
    data_as_of: date | None
    applied_at: datetime | None


async def latest_import(office_id: int) -> ImportRef | None:
    row = (
        await OfficeImport.select(
            OfficeImport.id,
            OfficeImport.public_id,
            OfficeImport.data_as_of,
            OfficeImport.applied_at,
        )
        .where(OfficeImport.office == office_id, OfficeImport.state == "applied")
        .order_by(OfficeImport.applied_at, ascending=False)
        .order_by(OfficeImport.id, ascending=False)
        .first()
    )
    if row is None:
        return None
    return ImportRef(row["id"], str(row["public_id"]), row["data_as_of"], row["applied_at"])


@dataclass
class Progress:
    """How far a list is checked: "12 dari 24 sudah dicek", and by outcome."""

    total: int = 0
    by_outcome: dict[str, int] = field(default_factory=dict)
    waiting: int = 0  # "masih tinggal" not yet made a resident of a list

    @property
    def checked(self) -> int:
        return sum(self.by_outcome.values())

    @property
    def unchecked(self) -> int:
        return self.total - self.checked

    @property
    def outcomes(self) -> list[tuple[str, int]]:
        """(outcome, count) in the order of the vocabulary, zeros left out."""
        return [
            (code, self.by_outcome[code]) for code in OFFICE_OUTCOMES if self.by_outcome.get(code)
        ]


def progress_of(rows: list[dict[str, Any]], waiting: int = 0) -> Progress:
    """A ``Progress`` from (outcome, count) groups counted in SQL."""
    result = Progress(waiting=waiting)
    for row in rows:
        result.total += row["count"]
        if row["outcome"] is not None:
            result.by_outcome[row["outcome"]] = row["count"]
    return result

"""The office's "belum rekam" people as a coordinator meets them: the condition that keeps
them to the coordinator's area, the import whose list it is, the progress of that list, and
the link back from a resident that "masih tinggal di sini" made.

There is no copy of the office's data per coordinator: a coordinator's list is a query over
the register (``office_person``), their office and their area (``Scope.area_where`` on the
canonical RW/RT), people the latest export still lists and whom no purge has minimised.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from piccolo.columns.combination import And
from piccolo.query.functions.aggregate import Count

from portal.coordinator.resident_check import CheckedResident
from portal.coordinator.resident_list import OwnList
from portal.coordinator.rows import new_resident
from portal.domain import audit
from portal.domain.scope import Scope
from portal.domain.vocabulary import OFFICE_OUTCOMES
from portal.tables.office_lists import OfficeImport, OfficePerson
from portal.tables.residents import Resident


def current() -> And:
    """Listed by the latest export and not minimised."""
    return OfficePerson.gone_import.is_null() & OfficePerson.purged_at.is_null()


def in_area(access: Scope) -> And:
    """The coordinator's people: their office, their village (and RW/RT), current."""
    return (
        access.office_where(OfficePerson.office, listing=False)
        & access.area_where(OfficePerson.village, OfficePerson.rw, OfficePerson.rt)
        & current()
    )


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


async def progress(access: Scope) -> Progress:
    rows = (
        await OfficePerson.select(OfficePerson.outcome, Count(OfficePerson.id))
        .where(in_area(access))
        .group_by(OfficePerson.outcome)
    )
    waiting = await OfficePerson.count().where(
        in_area(access), OfficePerson.outcome == "tinggal", OfficePerson.resident.is_null()
    )
    return progress_of(rows, waiting)


async def store_from_office(
    access: Scope, own: OwnList, rows: list[tuple[int, CheckedResident]], moment: datetime
) -> int:
    """Rows of a batch that came from the office's list ("masih tinggal di sini"), stored
    by the batch confirm inside its transaction: each resident on its own, to learn its id,
    and its office person linked back to it. Returns how many were linked."""
    pairs = []
    for person_id, checked in rows:
        made = await Resident.insert(new_resident(own, checked, moment)).returning(Resident.id)
        pairs.append((person_id, made[0]["id"]))
    return await link_residents(access, pairs)


async def link_residents(access: Scope, pairs: list[tuple[int, int]]) -> int:
    """(office person id, resident id) of people "masih tinggal di sini" who have just
    become residents of one of the coordinator's lists; called by the batch confirm inside
    its transaction. A person already linked, or no longer "tinggal" in this office (a
    re-import moved them meanwhile), keeps what they have: the resident stays on the list."""
    if not pairs:
        return 0
    linked = []
    for person_id, resident_id in pairs:
        done = (
            await OfficePerson.update(
                {
                    OfficePerson.resident: resident_id,
                    OfficePerson.version: OfficePerson.version + 1,
                    OfficePerson.updated_at: datetime.now(UTC),
                }
            )
            .where(
                OfficePerson.id == person_id,
                access.office_where(OfficePerson.office, listing=False),
                OfficePerson.outcome == "tinggal",
                OfficePerson.resident.is_null(),
            )
            .returning(OfficePerson.id)
        )
        if done:
            linked.append((person_id, resident_id))
    if linked:
        await audit.record(
            access.actor,
            "office_person.link",
            object_type="office_person",
            object_id=",".join(str(p) for p, _ in linked),
            detail={
                "office_person_ids": [p for p, _ in linked],
                "resident_ids": [r for _, r in linked],
            },
        )
    return len(linked)


async def dashboard_card(access: Scope) -> Progress | None:
    """The dashboard's "Daftar dari kantor" card, once the office has applied an import."""
    if access.area is None or await latest_import(access.offices[0].id) is None:
        return None
    return await progress(access)

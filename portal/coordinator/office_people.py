"""The office's "belum rekam" people as a coordinator meets them: the condition that keeps
them to the coordinator's area, the progress of their list, the dashboard card, and the link
back from a resident that "masih tinggal di sini" made (the batch confirm's hook).

There is no copy of the office's data per coordinator: a coordinator's list is a query over
the register (``office_person``), their office and their area (``Scope.area_where`` on the
canonical RW/RT), people the latest export still lists and whom no purge has minimised.
"""

from __future__ import annotations

from datetime import UTC, datetime

from piccolo.columns.combination import And
from piccolo.query.functions.aggregate import Count

from portal.coordinator.resident_check import CheckedResident
from portal.coordinator.resident_list import OwnList
from portal.coordinator.rows import new_resident
from portal.domain import audit
from portal.domain.office_list import Progress, current, latest_import, progress_of
from portal.domain.scope import Scope
from portal.tables.office_lists import OfficePerson
from portal.tables.residents import Resident


def in_area(access: Scope) -> And:
    """The coordinator's people: their office, their village (and RW/RT), current."""
    return (
        access.office_where(OfficePerson.office, listing=False)
        & access.area_where(OfficePerson.village, OfficePerson.rw, OfficePerson.rt)
        & current()
    )


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

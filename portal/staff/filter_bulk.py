"""Bulk actions on every resident a queue filter matches, not only the ticked rows of a page.

The filter is re-evaluated on the server when the action runs, never trusted from the page:
the officer confirms a count, and if the filter now matches another number of residents
(someone verified, rejected or added residents meanwhile) nothing is done and the fresh
count is shown to confirm again. Reading the rows and acting on them happen in the same
write transaction, so what is counted is what is changed.

The per-row rules are those of the ticked-rows path (it is the same code): office scope,
allowed status moves (other rows are skipped and reported), version checks, session
capacity all-or-nothing, one ResidentEvent and one audit entry per resident. On top, one
audit entry for the whole action records the filter and the count.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date

from portal.audit import record
from portal.residents import vocabulary
from portal.rules.dates import format_date_id
from portal.staff import queue
from portal.staff.regions import Regions
from portal.staff.scope import StaffScope
from portal.staff.transactions import write_transaction
from portal.staff.triage import Actor, Outcome
from portal.tables.accounts import User
from portal.tables.residents import Resident

# Every resident costs an UPDATE and an audit INSERT inside one write transaction that holds
# SQLite's only write lock (PostgreSQL: the rows' locks) until it commits; 2,000 keeps that
# to a few seconds, and keeps the single multi-row ResidentEvent INSERT (7 values a row)
# under both engines' 32,766 bound-parameter limit. It is also more than the residents
# waiting in the largest kelurahan/desa, so "all of kelurahan X" fits; wider filters are
# narrowed first, which is also a sensible check on what is about to be changed.
CAP = 2000


class CountChanged(Exception):
    """The filter matches another number of residents than the officer confirmed."""

    def __init__(self, count: int) -> None:
        super().__init__(f"filter now matches {count}")
        self.count = count


class TooMany(Exception):
    def __init__(self, count: int) -> None:
        super().__init__(f"filter matches {count}, more than {CAP}")
        self.count = count


async def matching_count(scope: StaffScope, f: queue.QueueFilter, regions: Regions) -> int:
    return await queue.count_matching(f, scope.listing_ids, regions, scope.user.id)


async def act_on_filter(
    actor: Actor,
    scope: StaffScope,
    f: queue.QueueFilter,
    regions: Regions,
    confirmed: int,
    action: str,
    run: Callable[[list[tuple[int, int]]], Awaitable[Outcome]],
    audit_detail: dict | None = None,
) -> Outcome:
    """Apply ``run`` (the ticked-rows action) to every resident ``f`` matches, in one
    transaction. Raises TooMany or CountChanged before changing anything."""
    async with write_transaction():
        rows = await queue.all_matching(
            f,
            scope.listing_ids,
            regions,
            scope.user.id,
            (Resident.id, Resident.version),
            limit=CAP + 1,
        )
        if len(rows) > CAP:
            raise TooMany(await matching_count(scope, f, regions))
        if len(rows) != confirmed:
            raise CountChanged(len(rows))
        outcome = await run([(r["id"], r["version"]) for r in rows])
        await record(
            "queue_bulk_filter",
            actor=actor.user,
            connection=actor.connection,
            office_id=scope.current.id if scope.current else None,
            object_type="queue",
            detail={
                "action": action,
                "filters": f.active(),
                "count": len(rows),
                "done": len(outcome.done),
                "skipped": len(outcome.refused),
                "conflicts": len(outcome.conflicts),
                **(audit_detail or {}),
            },
        )
    return outcome


def _date_words(value: str) -> str:
    """A filter date as staff say it ("5 Januari 2026"); the filter parser already refused
    anything that is not an ISO date."""
    try:
        return format_date_id(date.fromisoformat(value))
    except ValueError:
        return value


async def filter_words(f: queue.QueueFilter, regions: Regions, scope: StaffScope) -> list[str]:
    """The filter as the officer would say it, for the confirmation step."""
    words = []
    if f.kantor and scope.current:
        words.append(f"Kantor: {scope.current.short_name}")
    if f.status:
        words.append(f"Status: {vocabulary.STATUSES.get(f.status, f.status)}")
    if f.kecamatan:
        kec = regions.kecamatan_by_code(f.kecamatan)
        words.append(f"Kecamatan: {kec.name if kec else f.kecamatan}")
    if f.desa:
        village = regions.village_by_code(f.desa)
        words.append(f"Kelurahan/desa: {village.name if village else f.desa}")
    if f.rw:
        words.append(f"RW {f.rw}")
    if f.rt:
        words.append(f"RT {f.rt}")
    if f.kategori:
        words.append(f"Kategori: {vocabulary.CATEGORIES.get(f.kategori, f.kategori)}")
    if f.koordinator:
        who = (
            await User.select(User.full_name)
            .where(User.id == int(f.koordinator), User.office.is_in(scope.allowed_ids))
            .first()
        )
        words.append(f"Koordinator: {who['full_name'] if who else '#' + f.koordinator}")
    if f.dari:
        words.append(f"Dikirim sejak {_date_words(f.dari)}")
    if f.sampai:
        words.append(f"Dikirim sampai {_date_words(f.sampai)}")
    if f.peringatan:
        words.append(f"Peringatan: {vocabulary.WARNING_FLAGS.get(f.peringatan, f.peringatan)}")
    if f.ditugaskan:
        words.append(f"Ditangani: {queue.ASSIGNED[f.ditugaskan]}")
    if f.q and "q" not in f.errors:
        words.append(f"Pencarian: “{f.q}”")
    return words

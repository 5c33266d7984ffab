"""Bulk actions from the queue: on the rows ticked on one page, or on every resident a queue
filter matches, not only those of a page.

A whole filter is re-evaluated on the server when the action runs, never trusted from the
page: the officer confirms a count, and if the filter now matches another number of
residents (someone verified, rejected or added residents meanwhile) nothing is done and the
fresh count is shown to confirm again. Reading the rows and acting on them happen in the
same write transaction, so what is counted is what is changed.

The per-row rules are those of the ticked rows (it is the same code): office scope, allowed
status moves (other rows are skipped and reported), version checks, session capacity
all-or-nothing, one ResidentEvent and one audit entry per resident. On top, one audit entry
for the whole action records the filter and the count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Annotated
from urllib.parse import parse_qsl

from portal.domain import audit, vocabulary
from portal.domain.errors import Conflict
from portal.domain.inputs import Limit
from portal.domain.regions import RegionTree, region_tree
from portal.domain.scope import Scope
from portal.domain.transactions import write_transaction
from portal.rules.dates import format_date_id, format_long_date_id
from portal.staff import queue, triage
from portal.staff.scheduling import schedulable_session, schedule
from portal.staff.triage import Outcome, invalid
from portal.tables.accounts import User
from portal.tables.residents import Resident

ACTIONS = {"verifikasi": "Verifikasi", "jadwalkan": "Jadwalkan", "tolak": "Tolak"}

# Every resident costs an UPDATE and an audit INSERT inside one write transaction that holds
# SQLite's only write lock (PostgreSQL: the rows' locks) until it commits; 2,000 keeps that
# to a few seconds, and keeps the single multi-row ResidentEvent INSERT (7 values a row)
# under both engines' 32,766 bound-parameter limit. It is also more than the residents
# waiting in the largest kelurahan/desa, so "all of kelurahan X" fits; wider filters are
# narrowed first, which is also a sensible check on what is about to be changed.
CAP = 2000


@dataclass
class BulkInput:
    aksi: str = ""
    cakupan: str = ""  # "saringan": every result of the filter; else the ticked rows
    pilih: list[str] = field(default_factory=list)  # ticked rows, "id.version"
    saringan: Annotated[str, Limit(4000)] = ""  # the filter, as the queue's query string
    jumlah: int | None = None  # the count the officer confirmed
    sesi: int | None = None
    alasan_tolak: str = ""
    keterangan_tolak: Annotated[str, Limit(triage.MAX_REASON)] = ""
    kembali: Annotated[str, Limit(4000)] = ""


class CountChanged(Conflict):
    """The filter matches another number of residents than the officer confirmed."""

    def __init__(self, count: int) -> None:
        super().__init__(f"filter now matches {count}")
        self.count = count


class TooMany(Conflict):
    status = 422

    def __init__(self, count: int) -> None:
        super().__init__(f"filter matches {count}, more than {CAP}")
        self.count = count


@dataclass
class Confirmation:
    """What the officer is asked to confirm before acting on a whole filter."""

    access: Scope  # with the filter's office choice
    count: int
    cap: int
    action: str
    action_words: list[str]
    filter_words: list[str]
    filter_query: str
    fields: dict[str, str]  # the action's own fields, sent again with the confirmation
    changed_from: int | None = None  # the count confirmed before, when it changed


async def act(access: Scope, form: BulkInput, today: date) -> Outcome | Confirmation:
    """The ticked rows' action, or for a whole filter either its confirmation or, once the
    officer confirmed the count, its outcome."""
    if form.cakupan == "saringan":
        return await on_filter(access, form, today)
    items = triage.parse_items(form.pilih)
    if not items:
        raise invalid("kosong", "Pilih minimal satu warga")
    return await run(access, form, items, today)


async def run(access: Scope, form: BulkInput, items: triage.Items, today: date) -> Outcome:
    """The action named by ``aksi``: the ticked rows and the whole filter both come here,
    so they follow the same rules."""
    if form.aksi == "verifikasi":
        return await triage.verify(access, items)
    if form.aksi == "tolak":
        return await triage.reject(access, items, form.alasan_tolak, form.keterangan_tolak)
    if form.aksi == "jadwalkan":
        return await schedule(access, items, form.sesi, today)
    raise invalid("aksi", "Pilih tindakan")


async def on_filter(access: Scope, form: BulkInput, today: date) -> Outcome | Confirmation:
    f = queue.QueueFilter.from_query(dict(parse_qsl(form.saringan)))
    chosen = access.choose(f.kantor)
    regions = await region_tree(chosen.listing_ids)
    # A missing session or reason is said on the queue page, not after the confirmation.
    words = await action_words(chosen, form, today)

    async def confirmation(count: int, changed_from: int | None = None) -> Confirmation:
        return Confirmation(
            access=chosen,
            count=count,
            cap=CAP,
            action=form.aksi,
            action_words=words,
            filter_words=await filter_words(f, regions, chosen),
            filter_query=form.saringan,
            fields={
                "aksi": form.aksi,
                "sesi": str(form.sesi or ""),
                "alasan_tolak": form.alasan_tolak,
                "keterangan_tolak": form.keterangan_tolak,
            },
            changed_from=changed_from,
        )

    if form.jumlah is None:
        count = await queue.count_matching(f, chosen, regions)
        if count == 0:
            raise invalid("nihil", "Tidak ada warga yang cocok dengan saringan ini")
        return await confirmation(count)
    try:
        return await act_on_filter(chosen, f, regions, form, today)
    except TooMany as exc:
        changed = exc.count != form.jumlah
        return await confirmation(exc.count, form.jumlah if changed else None)
    except CountChanged as exc:
        return await confirmation(exc.count, form.jumlah)


async def act_on_filter(
    access: Scope, f: queue.QueueFilter, regions: RegionTree, form: BulkInput, today: date
) -> Outcome:
    """Apply the action to every resident ``f`` matches, in one transaction. Raises TooMany
    or CountChanged before changing anything."""
    async with write_transaction():
        columns = (Resident.id, Resident.version)
        rows = await queue.all_matching(f, access, regions, columns, limit=CAP + 1)
        if len(rows) > CAP:
            raise TooMany(await queue.count_matching(f, access, regions))
        if len(rows) != form.jumlah:
            raise CountChanged(len(rows))
        outcome = await run(access, form, [(r["id"], r["version"]) for r in rows], today)
        await audit.record(
            access.actor,
            "queue_bulk_filter",
            office_id=access.current.id if access.current else None,
            object_type="queue",
            detail={
                "action": form.aksi,
                "filters": f.active(),
                "count": len(rows),
                "done": len(outcome.done),
                "skipped": len(outcome.refused),
                "conflicts": len(outcome.conflicts),
            },
        )
    return outcome


async def action_words(access: Scope, form: BulkInput, today: date) -> list[str]:
    """What the action will do, checked before the officer is asked to confirm it."""
    if form.aksi == "verifikasi":
        return ["Verifikasi"]
    if form.aksi == "tolak":
        _, reason = triage.reject_reason(form.alasan_tolak, form.keterangan_tolak)
        return ["Tolak", f"Alasan: {reason}"]
    if form.aksi == "jadwalkan":
        session = await schedulable_session(access, form.sesi, today)
        return ["Jadwalkan", f"Sesi: {session['title']} ({format_long_date_id(session['day'])})"]
    raise invalid("aksi", "Pilih tindakan")


def _date_words(value: str) -> str:
    """A filter date as staff say it ("5 Januari 2026"); the filter parser already refused
    anything that is not an ISO date."""
    try:
        return format_date_id(date.fromisoformat(value))
    except ValueError:
        return value


async def filter_words(f: queue.QueueFilter, regions: RegionTree, access: Scope) -> list[str]:
    """The filter as the officer would say it, for the confirmation step."""
    kec = regions.kecamatan_by_code(f.kecamatan)
    village = regions.village_by_code(f.desa)
    who = None
    if f.koordinator:
        who = await (
            User.select(User.full_name)
            .where(User.id == int(f.koordinator), access.office_where(User.office, listing=False))
            .first()
        )
    said = [
        (f.kantor and access.current, f"Kantor: {access.current and access.current.short_name}"),
        (f.status, f"Status: {vocabulary.label('status', f.status)}"),
        (f.kecamatan, f"Kecamatan: {kec.name if kec else f.kecamatan}"),
        (f.desa, f"Kelurahan/desa: {village.name if village else f.desa}"),
        (f.rw, f"RW {f.rw}"),
        (f.rt, f"RT {f.rt}"),
        (f.kategori, f"Kategori: {vocabulary.label('category', f.kategori)}"),
        (f.koordinator, f"Koordinator: {who['full_name'] if who else '#' + f.koordinator}"),
        (f.dari, f"Dikirim sejak {_date_words(f.dari)}"),
        (f.sampai, f"Dikirim sampai {_date_words(f.sampai)}"),
        (f.peringatan, f"Peringatan: {vocabulary.label('warning', f.peringatan)}"),
        (f.ditugaskan, f"Ditangani: {queue.ASSIGNED.get(f.ditugaskan, '')}"),
        (f.q and "q" not in f.errors, f"Pencarian: “{f.q}”"),
    ]
    return [words for used, words in said if used]

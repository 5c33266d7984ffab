"""What staff do to residents: status moves, assignment, duplicates, notes.

Every change is one transaction that (1) updates the resident only if its ``version`` is the
one the officer saw (``UPDATE … WHERE id = ? AND version = ?``, then bump): a second officer
acting on the same page gets a conflict instead of overwriting; (2) writes a ResidentEvent
and an audit entry; (3) keeps ``OutreachSession.booked`` in step. A resident holds a place
in a session while its status is ``dijadwalkan`` or ``sudah_rekam`` there; places are taken
with a conditional UPDATE that refuses to pass the capacity, in the same transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from portal.domain import audit, vocabulary
from portal.domain.errors import Conflict, Invalid, NotFound
from portal.domain.scope import Scope
from portal.domain.transactions import write_transaction
from portal.staff.after_recording_begin import begin as begin_card_states
from portal.tables.lookup import rows_by
from portal.tables.outreach import OutreachSession
from portal.tables.residents import Resident, ResidentEvent, ResidentNote

HOLDING = frozenset({"dijadwalkan", "sudah_rekam"})
MAX_REASON = 1000
MAX_NOTE = 2000


Items = list[tuple[int, int]]  # (resident id, the version the officer saw)
Values = Mapping[Any, Any]  # Resident column → value


class SessionFull(Conflict):
    """A session cannot take everyone asked for; nobody was scheduled."""

    def __init__(self, remaining: int) -> None:
        message = "Sesi itu sudah penuh; pilih sesi lain"
        if remaining:
            message = f"Sesi itu hanya tersisa {remaining} tempat; pilih sesi lain"
        super().__init__(message)
        self.remaining = remaining


def invalid(field_name: str, message: str) -> Invalid:
    return Invalid({field_name: message})


@dataclass
class Outcome:
    """What happened to each resident of a (bulk) action."""

    done: list[dict] = field(default_factory=list)
    conflicts: list[dict] = field(default_factory=list)  # changed by someone else meanwhile
    refused: list[dict] = field(default_factory=list)  # this move is not allowed for them

    @property
    def ok(self) -> bool:
        return not self.conflicts and not self.refused

    def merge(self, other: Outcome) -> None:
        self.done += other.done
        self.conflicts += other.conflicts
        self.refused += other.refused


def now() -> datetime:
    return datetime.now(UTC)


def parse_items(values: list[str]) -> Items:
    """Checkbox values "id.version" → [(id, version)]; malformed values are dropped."""
    items: dict[int, int] = {}
    for value in values:
        rid, _, version = str(value).partition(".")
        if rid.isdigit() and version.isdigit():
            items[int(rid)] = int(version)
    return sorted(items.items())


_ROW = (
    Resident.id,
    Resident.full_name,
    Resident.status,
    Resident.version,
    Resident.office,
    Resident.outreach_session,
)


async def _rows(access: Scope, ids: list[int]) -> dict[int, dict]:
    in_scope = (access.office_where(Resident.office, listing=False), Resident.status != "draft")
    return await rows_by(Resident.id, ids, *_ROW, where=in_scope)


def _holds(status: str, session_id: int | None) -> int | None:
    return session_id if status in HOLDING else None


async def _take_places(session_id: int, count: int, check_capacity: bool) -> bool:
    """Add ``count`` places to a session; with ``check_capacity`` refuse (False) rather than
    pass its capacity. The WHERE is re-checked after any concurrent writer commits."""
    if count <= 0:
        if count < 0:
            await OutreachSession.raw(
                "UPDATE outreach_session "
                "SET booked = CASE WHEN booked > {} THEN booked - {} ELSE 0 END WHERE id = {}",
                -count,
                -count,
                session_id,
            )
        return True
    if not check_capacity:
        await OutreachSession.raw(
            "UPDATE outreach_session SET booked = booked + {} WHERE id = {}", count, session_id
        )
        return True
    taken = await OutreachSession.raw(
        "UPDATE outreach_session SET booked = booked + {} "
        "WHERE id = {} AND (capacity = 0 OR booked + {} <= capacity) RETURNING id",
        count,
        session_id,
        count,
    )
    return bool(taken)


async def _remaining(session_id: int) -> int:
    row = (
        await OutreachSession.select(OutreachSession.capacity, OutreachSession.booked)
        .where(OutreachSession.id == session_id)
        .first()
    )
    if row is None or row["capacity"] == 0:
        return 0
    return max(row["capacity"] - row["booked"], 0)


async def _bump(rid: int, version: int, values: Values, moment: datetime) -> bool:
    """Write ``values`` if the resident is still at ``version``; False when it is not."""
    updated = (
        await Resident.update(
            {Resident.version: version + 1, Resident.updated_at: moment, **values}
        )
        .where(Resident.id == rid, Resident.version == version)
        .returning(Resident.id)
    )
    return bool(updated)


def _event(access: Scope, row: dict, action: str, to: str, reason: str, at: datetime):
    return ResidentEvent(
        resident=row["id"],
        at=at,
        actor=access.actor.user_id,
        action=action,
        from_status=row["status"],
        to_status=to,
        reason=reason,
    )


async def audit_resident(access: Scope, action: str, row: dict, detail: dict | None = None) -> None:
    """The audit line of something done to (or seen of) one resident."""
    await audit.record(
        access.actor,
        action,
        office_id=row["office"],
        object_type="resident",
        object_id=row["id"],
        detail=detail,
    )


Check = Callable[[dict], str | None]


async def apply_moves(
    access: Scope,
    items: Items,
    target: str,
    *,
    values: Values | None = None,
    reason: str = "",
    audit_detail: dict[str, Any] | None = None,
    check_capacity: bool = False,
    extra_check: Check | None = None,
) -> Outcome:
    """Move every resident of ``items`` to ``target`` in one transaction.

    Residents outside the scope are ignored as if they did not exist. ``values`` are further
    columns to set (Column → value). ``extra_check(row)`` may return a reason to refuse a
    row. Raises SessionFull (nothing changed) when a capacity would be passed.
    """
    values = values or {}
    outcome = Outcome()
    moment = now()
    async with write_transaction():
        rows = await _rows(access, [rid for rid, _ in items])
        deltas: dict[int, int] = defaultdict(int)
        moved: list[dict] = []
        for rid, version in items:
            row = rows.get(rid)
            if row is None:
                continue
            brief = {"id": rid, "full_name": row["full_name"], "status": row["status"]}
            if row["version"] != version:
                outcome.conflicts.append(brief)
                continue
            refusal = "status" if not vocabulary.can_move(row["status"], target) else None
            if refusal is None and extra_check is not None:
                refusal = extra_check(row)
            if refusal:
                outcome.refused.append({**brief, "why": refusal})
                continue
            if not await _bump(rid, version, {Resident.status: target, **values}, moment):
                outcome.conflicts.append(brief)
                continue
            new_session = values.get(Resident.outreach_session, row["outreach_session"])
            before = _holds(row["status"], row["outreach_session"])
            after = _holds(target, new_session)
            if before != after:
                if before is not None:
                    deltas[before] -= 1
                if after is not None:
                    deltas[after] += 1
            moved.append(row)
            outcome.done.append(brief)
        for session_id in sorted(deltas):
            if not await _take_places(session_id, deltas[session_id], check_capacity):
                raise SessionFull(await _remaining(session_id))
        if moved:
            await ResidentEvent.insert(
                *[_event(access, row, "status", target, reason, moment) for row in moved]
            )
        if target == "sudah_rekam":  # every road to "recorded" passes here
            await begin_card_states(moved)
        for row in moved:
            detail = {"from": row["status"], "to": target, **(audit_detail or {})}
            await audit_resident(access, "resident_status", row, detail)
    return outcome


# --- Single-resident actions -----------------------------------------------------------------


def clean_text(value: str | None, limit: int) -> str:
    return (value or "").strip()[:limit]


async def verify(access: Scope, items: Items) -> Outcome:
    return await apply_moves(
        access,
        items,
        "diverifikasi",
        values={Resident.status_reason: "", Resident.reject_code: None},
    )


async def ask_correction(access: Scope, items: Items, reason: str) -> Outcome:
    reason = clean_text(reason, MAX_REASON)
    if not reason:
        raise invalid("alasan_perbaikan", "Tulis apa yang perlu diperbaiki koordinator")
    return await apply_moves(
        access,
        items,
        "perlu_perbaikan",
        values={Resident.status_reason: reason},
        reason=reason,
    )


def reject_reason(code: str, text: str) -> tuple[str, str]:
    """(code, reason text) for a rejection; "lainnya" needs the officer's own words."""
    if code not in vocabulary.REJECT_REASONS:
        raise invalid("alasan_tolak", "Pilih alasan penolakan")
    text = clean_text(text, MAX_REASON)
    if code == "lainnya" and not text:
        raise invalid("keterangan_tolak", "Tulis alasan penolakan")
    label = vocabulary.REJECT_REASONS[code]
    return code, f"{label}: {text}" if text else label


async def reject(access: Scope, items: Items, code: str, text: str = "") -> Outcome:
    code, reason = reject_reason(code, text)
    return await apply_moves(
        access,
        items,
        "ditolak",
        values={Resident.reject_code: code, Resident.status_reason: reason},
        reason=reason,
        audit_detail={"reject_code": code},
    )


async def reopen(access: Scope, items: Items, reason: str = "") -> Outcome:
    reason = clean_text(reason, MAX_REASON)
    return await apply_moves(
        access,
        items,
        "diterima",
        values={
            Resident.reject_code: None,
            Resident.duplicate_of: None,
            Resident.status_reason: reason,
        },
        reason=reason or "Dibuka kembali",
    )


async def unschedule(access: Scope, items: Items) -> Outcome:
    return await apply_moves(
        access,
        items,
        "diverifikasi",
        values={Resident.outreach_session: None},
        reason="Jadwal dibatalkan",
    )


def parse_day(value: str, field_name: str, label: str) -> date:
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        raise invalid(field_name, f"{label} harus tanggal yang benar") from None


async def mark_recorded(
    access: Scope, items: Items, day_text: str, place: str, today: date
) -> Outcome:
    day = parse_day(day_text, "tanggal_rekam", "Tanggal rekam")
    if day > today:
        raise invalid("tanggal_rekam", "Tanggal rekam tidak boleh di masa depan")
    place = clean_text(place, 200)
    if not place:
        raise invalid("tempat_rekam", "Tulis tempat perekaman")
    outcome = Outcome()
    async with write_transaction():
        rows = await _rows(access, [rid for rid, _ in items])
        # Recorded outside the session they missed: that session does not count them.
        absent = {rid for rid, row in rows.items() if row["status"] == "tidak_hadir"}
        groups: list[tuple[Items, Values]] = [
            ([i for i in items if i[0] not in absent], {}),
            ([i for i in items if i[0] in absent], {Resident.outreach_session: None}),
        ]
        for group, values in groups:
            if not group:
                continue
            part = await apply_moves(
                access,
                group,
                "sudah_rekam",
                values={Resident.recorded_on: day, Resident.recorded_place: place, **values},
                reason=f"Direkam {day.isoformat()} di {place}",
            )
            outcome.merge(part)
    return outcome


async def mark_duplicate(
    access: Scope, rid: int, version: int, of_id: int, reason: str = ""
) -> Outcome:
    if of_id == rid:
        raise invalid("duplikat_dari", "Warga tidak bisa menjadi duplikat dirinya sendiri")
    original = (await _rows(access, [of_id])).get(of_id)
    if original is None:
        raise invalid("duplikat_dari", "Warga asli tidak ditemukan di kantor ini")
    reason = clean_text(reason, MAX_REASON)
    text = f"Duplikat dari #{of_id} {original['full_name']}" + (f": {reason}" if reason else "")

    def same_office(row: dict) -> str | None:
        return None if row["office"] == original["office"] else "office"

    return await apply_moves(
        access,
        [(rid, version)],
        "duplikat",
        values={Resident.duplicate_of: of_id, Resident.status_reason: text},
        reason=text,
        audit_detail={"duplicate_of": of_id},
        extra_check=same_office,
    )


async def _touch(
    access: Scope, rid: int, version: int, values: Values, event: str, audit_action: str
) -> bool:
    """A version-guarded change that is not a status move. False on conflict."""
    moment = now()
    async with write_transaction():
        row = (await _rows(access, [rid])).get(rid)
        if row is None:
            raise NotFound()
        if row["version"] != version or not await _bump(rid, version, values, moment):
            return False
        await _event(access, row, event, row["status"], "", moment).save()
        await audit_resident(access, audit_action, row)
    return True


async def assign(access: Scope, rid: int, version: int, take: bool) -> bool:
    return await _touch(
        access,
        rid,
        version,
        {Resident.assigned_to: access.actor.user_id if take else None},
        "assigned" if take else "released",
        "resident_assigned" if take else "resident_released",
    )


async def not_duplicate(access: Scope, rid: int, version: int) -> bool:
    return await _touch(
        access,
        rid,
        version,
        {Resident.warn_duplicate: False},
        "not_duplicate",
        "resident_not_duplicate",
    )


async def add_note(access: Scope, rid: int, body: str, visible: bool) -> None:
    body = clean_text(body, MAX_NOTE)
    if not body:
        raise invalid("catatan", "Tulis isi catatan")
    async with write_transaction():
        row = (await _rows(access, [rid])).get(rid)
        if row is None:
            raise NotFound()
        await ResidentNote(
            resident=rid,
            author=access.actor.user_id,
            at=now(),
            body=body,
            visible_to_coordinator=visible,
        ).save()
        await audit_resident(access, "resident_note", row, {"visible_to_coordinator": visible})

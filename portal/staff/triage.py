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
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotFoundException

from portal.audit import record
from portal.residents import vocabulary
from portal.staff.transactions import write_transaction
from portal.tables.accounts import User
from portal.tables.outreach import OutreachSession
from portal.tables.residents import Resident, ResidentEvent, ResidentNote

HOLDING = frozenset({"dijadwalkan", "sudah_rekam"})
MAX_REASON = 1000
MAX_NOTE = 2000


@dataclass
class Actor:
    """Who acts, and the request (for the audit log's IP address)."""

    user: User
    connection: ASGIConnection | None = None


class ActionError(ValueError):
    """Bad input for an action; ``field`` names the form field to show it next to."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name
        self.message = message


class SessionFull(Exception):
    def __init__(self, remaining: int) -> None:
        super().__init__(f"{remaining} places left")
        self.remaining = remaining


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


def parse_items(values: list[str]) -> list[tuple[int, int]]:
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


async def _rows(office_ids: list[int], ids: list[int]) -> dict[int, dict]:
    if not ids:
        return {}
    rows = await Resident.select(*_ROW).where(
        Resident.id.is_in(ids), Resident.office.is_in(office_ids), Resident.status != "draft"
    )
    return {row["id"]: row for row in rows}


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


async def apply_moves(
    actor: Actor,
    office_ids: list[int],
    items: list[tuple[int, int]],
    target: str,
    *,
    values: dict[str, Any] | None = None,
    reason: str = "",
    audit_detail: dict[str, Any] | None = None,
    check_capacity: bool = False,
    extra_check=None,
) -> Outcome:
    """Move every resident of ``items`` ((id, version seen)) to ``target`` in one transaction.

    Residents outside ``office_ids`` are ignored as if they did not exist. ``values`` are
    further columns to set (Column → value). ``extra_check(row)`` may return a reason to
    refuse a row. Raises SessionFull (nothing changed) when a capacity would be passed.
    """
    values = values or {}
    outcome = Outcome()
    moment = now()
    async with write_transaction():
        rows = await _rows(office_ids, [rid for rid, _ in items])
        deltas: dict[int, int] = defaultdict(int)
        events: list[ResidentEvent] = []
        audits: list[tuple[dict, dict]] = []
        for rid, version in items:
            row = rows.get(rid)
            if row is None:
                continue
            brief = {"id": rid, "full_name": row["full_name"], "status": row["status"]}
            if row["version"] != version:
                outcome.conflicts.append(brief)
                continue
            refusal = None
            if not vocabulary.can_move(row["status"], target):
                refusal = "status"
            elif extra_check is not None:
                refusal = extra_check(row)
            if refusal:
                outcome.refused.append({**brief, "why": refusal})
                continue
            new_session = values.get(Resident.outreach_session, row["outreach_session"])
            updated = (
                await Resident.update(
                    {
                        Resident.status: target,
                        Resident.version: version + 1,
                        Resident.updated_at: moment,
                        **values,
                    }
                )
                .where(Resident.id == rid, Resident.version == version)
                .returning(Resident.id)
            )
            if not updated:
                outcome.conflicts.append(brief)
                continue
            before = _holds(row["status"], row["outreach_session"])
            after = _holds(target, new_session)
            if before != after:
                if before is not None:
                    deltas[before] -= 1
                if after is not None:
                    deltas[after] += 1
            events.append(
                ResidentEvent(
                    resident=rid,
                    at=moment,
                    actor=actor.user.id,
                    action="status",
                    from_status=row["status"],
                    to_status=target,
                    reason=reason,
                )
            )
            audits.append((row, {"from": row["status"], "to": target}))
            outcome.done.append(brief)
        for session_id in sorted(deltas):
            if not await _take_places(session_id, deltas[session_id], check_capacity):
                raise SessionFull(await _remaining(session_id))
        if events:
            await ResidentEvent.insert(*events)
        for row, detail in audits:
            await record(
                "resident_status",
                actor=actor.user,
                connection=actor.connection,
                office_id=row["office"],
                object_type="resident",
                object_id=row["id"],
                detail={**detail, **(audit_detail or {})},
            )
    return outcome


# --- Single-resident actions -----------------------------------------------------------------


def clean_text(value: str | None, limit: int) -> str:
    return (value or "").strip()[:limit]


async def verify(actor: Actor, office_ids, items) -> Outcome:
    return await apply_moves(
        actor,
        office_ids,
        items,
        "diverifikasi",
        values={Resident.status_reason: "", Resident.reject_code: None},
    )


async def ask_correction(actor: Actor, office_ids, items, reason: str) -> Outcome:
    reason = clean_text(reason, MAX_REASON)
    if not reason:
        raise ActionError("alasan_perbaikan", "Tulis apa yang perlu diperbaiki koordinator")
    return await apply_moves(
        actor,
        office_ids,
        items,
        "perlu_perbaikan",
        values={Resident.status_reason: reason},
        reason=reason,
    )


def reject_reason(code: str, text: str) -> tuple[str, str]:
    """(code, reason text) for a rejection; "lainnya" needs the officer's own words."""
    if code not in vocabulary.REJECT_REASONS:
        raise ActionError("alasan_tolak", "Pilih alasan penolakan")
    text = clean_text(text, MAX_REASON)
    if code == "lainnya" and not text:
        raise ActionError("keterangan_tolak", "Tulis alasan penolakan")
    label = vocabulary.REJECT_REASONS[code]
    return code, f"{label}: {text}" if text else label


async def reject(actor: Actor, office_ids, items, code: str, text: str = "") -> Outcome:
    code, reason = reject_reason(code, text)
    return await apply_moves(
        actor,
        office_ids,
        items,
        "ditolak",
        values={Resident.reject_code: code, Resident.status_reason: reason},
        reason=reason,
        audit_detail={"reject_code": code},
    )


async def reopen(actor: Actor, office_ids, items, reason: str = "") -> Outcome:
    reason = clean_text(reason, MAX_REASON)
    return await apply_moves(
        actor,
        office_ids,
        items,
        "diterima",
        values={
            Resident.reject_code: None,
            Resident.duplicate_of: None,
            Resident.status_reason: reason,
        },
        reason=reason or "Dibuka kembali",
    )


async def unschedule(actor: Actor, office_ids, items) -> Outcome:
    return await apply_moves(
        actor,
        office_ids,
        items,
        "diverifikasi",
        values={Resident.outreach_session: None},
        reason="Jadwal dibatalkan",
    )


def parse_day(value: str, field_name: str, label: str) -> date:
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        raise ActionError(field_name, f"{label} harus tanggal yang benar") from None


async def mark_recorded(
    actor: Actor, office_ids, items, day_text: str, place: str, today: date
) -> Outcome:
    day = parse_day(day_text, "tanggal_rekam", "Tanggal rekam")
    if day > today:
        raise ActionError("tanggal_rekam", "Tanggal rekam tidak boleh di masa depan")
    place = clean_text(place, 200)
    if not place:
        raise ActionError("tempat_rekam", "Tulis tempat perekaman")
    outcome = Outcome()
    async with write_transaction():
        rows = await _rows(office_ids, [rid for rid, _ in items])
        # Recorded outside the session they missed: that session does not count them.
        absent = {rid for rid, row in rows.items() if row["status"] == "tidak_hadir"}
        for group, values in (
            ([i for i in items if i[0] not in absent], {}),
            ([i for i in items if i[0] in absent], {Resident.outreach_session: None}),
        ):
            if not group:
                continue
            part = await apply_moves(
                actor,
                office_ids,
                group,
                "sudah_rekam",
                values={Resident.recorded_on: day, Resident.recorded_place: place, **values},
                reason=f"Direkam {day.isoformat()} di {place}",
            )
            outcome.merge(part)
    return outcome


async def mark_duplicate(
    actor: Actor, office_ids, rid: int, version: int, of_id: int, reason: str = ""
) -> Outcome:
    if of_id == rid:
        raise ActionError("duplikat_dari", "Warga tidak bisa menjadi duplikat dirinya sendiri")
    original = await (
        Resident.select(Resident.id, Resident.office, Resident.full_name)
        .where(Resident.id == of_id, Resident.office.is_in(office_ids), Resident.status != "draft")
        .first()
    )
    if original is None:
        raise ActionError("duplikat_dari", "Warga asli tidak ditemukan di kantor ini")
    reason = clean_text(reason, MAX_REASON)
    text = f"Duplikat dari #{of_id} {original['full_name']}" + (f": {reason}" if reason else "")

    def same_office(row: dict) -> str | None:
        return None if row["office"] == original["office"] else "office"

    return await apply_moves(
        actor,
        office_ids,
        [(rid, version)],
        "duplikat",
        values={Resident.duplicate_of: of_id, Resident.status_reason: text},
        reason=text,
        audit_detail={"duplicate_of": of_id},
        extra_check=same_office,
    )


async def _touch(
    actor: Actor,
    office_ids,
    rid: int,
    version: int,
    values: dict,
    event: str,
    audit_action: str,
    reason: str = "",
) -> bool:
    """A version-guarded change that is not a status move. False on conflict."""
    async with write_transaction():
        row = (await _rows(office_ids, [rid])).get(rid)
        if row is None:
            raise NotFoundException()
        if row["version"] != version:
            return False
        updated = (
            await Resident.update(
                {Resident.version: version + 1, Resident.updated_at: now(), **values}
            )
            .where(Resident.id == rid, Resident.version == version)
            .returning(Resident.id)
        )
        if not updated:
            return False
        await ResidentEvent(
            resident=rid,
            at=now(),
            actor=actor.user.id,
            action=event,
            from_status=row["status"],
            to_status=row["status"],
            reason=reason,
        ).save()
        await record(
            audit_action,
            actor=actor.user,
            connection=actor.connection,
            office_id=row["office"],
            object_type="resident",
            object_id=rid,
        )
    return True


async def assign(actor: Actor, office_ids, rid: int, version: int, take: bool) -> bool:
    return await _touch(
        actor,
        office_ids,
        rid,
        version,
        {Resident.assigned_to: actor.user.id if take else None},
        "assigned" if take else "released",
        "resident_assigned" if take else "resident_released",
    )


async def not_duplicate(actor: Actor, office_ids, rid: int, version: int) -> bool:
    return await _touch(
        actor,
        office_ids,
        rid,
        version,
        {Resident.warn_duplicate: False},
        "not_duplicate",
        "resident_not_duplicate",
    )


async def add_note(actor: Actor, office_ids, rid: int, body: str, visible: bool) -> None:
    body = clean_text(body, MAX_NOTE)
    if not body:
        raise ActionError("catatan", "Tulis isi catatan")
    row = (await _rows(office_ids, [rid])).get(rid)
    if row is None:
        raise NotFoundException()
    async with write_transaction():
        await ResidentNote(
            resident=rid,
            author=actor.user.id,
            at=now(),
            body=body,
            visible_to_coordinator=visible,
        ).save()
        await record(
            "resident_note",
            actor=actor.user,
            connection=actor.connection,
            office_id=row["office"],
            object_type="resident",
            object_id=rid,
            detail={"visible_to_coordinator": visible},
        )

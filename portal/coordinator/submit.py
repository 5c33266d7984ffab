"""A list changes hands: submitted to staff (all residents or none, once per form token),
withdrawn while staff have not acted, reopened as a draft, deleted as a draft, retitled.

Each runs in one write transaction with its history events and its audit line; a state
that does not allow the change is a ``Conflict`` with the reason in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from portal.coordinator.duplicates import DUPLICATE_CODES, candidate_for, find_duplicates
from portal.coordinator.duplicates import name_warning as duplicate_note
from portal.coordinator.resident_check import CheckedResident
from portal.coordinator.resident_list import OwnList, record
from portal.coordinator.rows import now, require_draft
from portal.domain.errors import Conflict
from portal.domain.scope import Scope
from portal.domain.transactions import UNIQUE_VIOLATIONS, write_transaction
from portal.tables.residents import DraftEntry, ImportBatch, Resident, ResidentEvent, ResidentList

TITLE_MAX = 150
NOTE_MAX = 1000


async def _events(access: Scope, ids: list[int], moment: datetime, action: str, move: str) -> None:
    """One history event per resident when a whole list moves ("draft>diterima")."""
    if not ids:
        return
    from_status, to_status = move.split(">")
    await ResidentEvent.insert(
        *[
            ResidentEvent(
                resident=rid,
                at=moment,
                actor=access.user_id,
                action=action,
                from_status=from_status,
                to_status=to_status,
            )
            for rid in ids
        ]
    )


def _list_update(state: str, moment: datetime, **columns: Any) -> Any:
    values = {getattr(ResidentList, k): v for k, v in columns.items()}
    return ResidentList.update(
        {
            ResidentList.state: state,
            ResidentList.updated_at: moment,
            ResidentList.version: ResidentList.version + 1,
            **values,
        }
    )


# ---------------------------------------------------------------- submit


@dataclass
class Submitted:
    now: bool  # False: this request found the list already submitted (a resend)
    count: int


async def submit_problems(own: OwnList) -> list[str]:
    """Why a draft cannot be submitted yet (empty, or the same NIK twice)."""
    rows = (
        await Resident.select(Resident.id, Resident.full_name, Resident.nik)
        .where(Resident.resident_list == own.id)
        .order_by(Resident.id)
    )
    if not rows:
        return ["Daftar masih kosong. Tambahkan minimal satu warga."]
    problems = []
    seen: dict[str, str] = {}
    for row in rows:
        if row["nik"] and row["nik"] in seen:
            problems.append(
                f"{row['full_name']} dan {seen[row['nik']]} memakai NIK yang sama. "
                "Perbaiki atau hapus salah satunya."
            )
        elif row["nik"]:
            seen[row["nik"]] = row["full_name"]
    return problems


async def submit_list(access: Scope, own: OwnList, *, token: str) -> Submitted:
    """All residents or none, once per token: a resend finds the list submitted."""
    if own.state == "submitted":
        return Submitted(False, await Resident.count().where(Resident.resident_list == own.id))
    require_draft(own)
    if not token:
        raise Conflict("Formulir kirim tidak lengkap. Muat ulang halaman lalu kirim lagi.")
    if problems := await submit_problems(own):
        raise Conflict(" ".join(problems))
    try:
        async with write_transaction():
            moment = now()
            claimed = (
                await _list_update("submitted", moment, submit_token=token, submitted_at=moment)
                .where(ResidentList.id == own.id, ResidentList.state == "draft")
                .returning(ResidentList.id)
            )
            if not claimed:
                return Submitted(
                    False, await Resident.count().where(Resident.resident_list == own.id)
                )
            count = await _send_residents(access, own, moment)
            await DraftEntry.delete().where(DraftEntry.resident_list == own.id)
            await record(access, "list.submit", own, residents=count, area=own.area.label)
    except UNIQUE_VIOLATIONS:
        # The same token on another list: a form copied across tabs. Nothing was stored.
        raise Conflict(
            "Formulir kirim ini sudah dipakai. Muat ulang halaman lalu kirim lagi."
        ) from None
    return Submitted(True, count)


async def _send_residents(access: Scope, own: OwnList, moment: datetime) -> int:
    """Every draft resident → diterima, with the duplicate check run again against what
    other lists hold now."""
    rows = (
        await Resident.select()
        .where(Resident.resident_list == own.id, Resident.status == "draft")
        .output(load_json=True)
    )
    candidates = [
        candidate_for(row["id"], CheckedResident(raw={}, values=row), resident_id=row["id"])
        for row in rows
    ]
    found = await find_duplicates(own.id, own.area, candidates)
    others: dict[int, set[str]] = {}
    for row in rows:
        result = found[row["id"]]
        warnings = [w for w in row["warnings"] or [] if w.get("code") not in DUPLICATE_CODES]
        warnings += result.warnings
        await Resident.update(
            {
                Resident.status: "diterima",
                Resident.submitted_at: moment,
                Resident.updated_at: moment,
                Resident.warnings: warnings,
                Resident.warn_duplicate: any(w["code"] in DUPLICATE_CODES for w in warnings),
                Resident.version: Resident.version + 1,
            }
        ).where(Resident.id == row["id"])
        for other in result.other_ids:
            match = "similar" if other in result.similar_ids else "same"
            others.setdefault(other, set()).add(match)
    await _events(access, [row["id"] for row in rows], moment, "submit", "draft>diterima")
    await _flag_matches(others, own.area.label)
    return len(rows)


async def _flag_matches(others: dict[int, set[str]], area: str) -> None:
    """Residents already in other lists that a new submission matches ("same" NIK or name,
    or "similar" name) get the flag too, so staff see the pair from either side. The note
    names only the area."""
    if not others:
        return
    rows = (
        await Resident.select(Resident.id, Resident.warnings)
        .where(Resident.id.is_in(list(others)))
        .output(load_json=True)
    )
    for row in rows:
        warnings = list(row["warnings"] or [])
        for match in sorted(others[row["id"]]):
            note = duplicate_note("flagged", match, area=area)
            if not any(w.get("message") == note["message"] for w in warnings):
                warnings.append(note)
        await Resident.update({Resident.warnings: warnings, Resident.warn_duplicate: True}).where(
            Resident.id == row["id"]
        )


# ---------------------------------------------------------------- withdraw, reopen, delete


async def withdraw_list(access: Scope, own: OwnList) -> int:
    """Take a submitted list back while staff have not acted on any resident yet."""
    if own.state != "submitted":
        raise Conflict("Hanya daftar yang sudah dikirim yang bisa ditarik.")
    busy = Conflict("Daftar ini tidak bisa ditarik lagi karena petugas sudah mulai memprosesnya.")
    async with write_transaction():
        moment = now()
        total = await Resident.count().where(Resident.resident_list == own.id)
        moved = (
            await Resident.update(
                {
                    Resident.status: "draft",
                    Resident.submitted_at: None,
                    Resident.updated_at: moment,
                    Resident.version: Resident.version + 1,
                }
            )
            .where(Resident.resident_list == own.id, Resident.status == "diterima")
            .returning(Resident.id)
        )
        if len(moved) != total:
            raise busy
        claimed = (
            await _list_update("withdrawn", moment, withdrawn_at=moment)
            .where(ResidentList.id == own.id, ResidentList.state == "submitted")
            .returning(ResidentList.id)
        )
        if not claimed:
            raise busy
        await _events(access, [row["id"] for row in moved], moment, "withdraw", "diterima>draft")
        await record(access, "list.withdraw", own, residents=total)
    return total


async def reopen_list(access: Scope, own: OwnList) -> None:
    """A withdrawn list becomes a draft again, to be corrected and sent anew."""
    if own.state != "withdrawn":
        raise Conflict("Hanya daftar yang sudah ditarik yang bisa dibuka lagi.")
    async with write_transaction():
        await _list_update("draft", now(), submit_token=None).where(
            ResidentList.id == own.id, ResidentList.state == "withdrawn"
        )
        await record(access, "list.reopen", own)


async def delete_list(access: Scope, own: OwnList) -> None:
    """A draft (or withdrawn) list goes with everything on it."""
    if own.state == "submitted":
        raise Conflict("Daftar yang sudah dikirim tidak bisa dihapus; tarik dulu.")
    async with write_transaction():
        ids = [
            r["id"]
            for r in await Resident.select(Resident.id).where(Resident.resident_list == own.id)
        ]
        if ids:
            await ResidentEvent.delete().where(ResidentEvent.resident.is_in(ids))
        await Resident.delete().where(Resident.resident_list == own.id)
        await DraftEntry.delete().where(DraftEntry.resident_list == own.id)
        await ImportBatch.delete().where(ImportBatch.resident_list == own.id)
        await ResidentList.delete().where(ResidentList.id == own.id)
        await record(access, "list.delete", own, residents=len(ids))


async def update_info(access: Scope, own: OwnList, *, title: str, note: str) -> None:
    """The list's title and note for staff, cut to their sizes."""
    async with write_transaction():
        await ResidentList.update(
            {
                ResidentList.title: " ".join(title.split())[:TITLE_MAX],
                ResidentList.note: note.strip()[:NOTE_MAX],
                ResidentList.updated_at: now(),
                ResidentList.version: ResidentList.version + 1,
            }
        ).where(ResidentList.id == own.id)
        await record(access, "list.info", own)

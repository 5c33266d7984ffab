"""One resident as staff see it: everything the coordinator sent, warnings, possible
duplicates side by side, history, notes; revealing the full NIK; and every action an
officer can take on them (``act``)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from portal.domain import vocabulary
from portal.domain.duplicates import name_match
from portal.domain.errors import Conflict, NotFound
from portal.domain.inputs import Limit
from portal.domain.scope import Scope
from portal.domain.transactions import write_transaction
from portal.rules.ages import age_on, marriage_reason
from portal.staff import triage
from portal.staff.scheduling import PERSON_COLUMNS, Suggestions, schedule, suggest_sessions
from portal.staff.triage import MAX_NOTE, MAX_REASON, Outcome, invalid
from portal.tables.residents import Resident, ResidentEvent, ResidentNote

DETAIL_COLUMNS = (
    *Resident.all_columns(),
    Resident.village._.code.as_alias("village_code"),
    Resident.village._.name.as_alias("village_name"),
    Resident.village._.kind.as_alias("village_kind"),
    Resident.kecamatan._.name.as_alias("kecamatan_name"),
    Resident.assigned_to._.full_name.as_alias("assigned_name"),
    Resident.resident_list._.title.as_alias("list_title"),
    Resident.resident_list._.note.as_alias("list_note"),
    Resident.resident_list._.public_id.as_alias("list_public_id"),
    Resident.resident_list._.coordinator._.full_name.as_alias("coordinator_name"),
    Resident.resident_list._.coordinator._.phone.as_alias("coordinator_phone"),
    Resident.outreach_session._.title.as_alias("session_title"),
    Resident.outreach_session._.day.as_alias("session_day"),
    Resident.outreach_session._.place.as_alias("session_place"),
    Resident.duplicate_of._.full_name.as_alias("duplicate_of_name"),
)
COMPARE_COLUMNS = (
    *PERSON_COLUMNS,
    Resident.submitted_at,
    Resident.office,
    Resident.village,
    Resident.resident_list._.coordinator._.full_name.as_alias("coordinator_name"),
)
MAX_DUPLICATES = 10

CONFLICT_MESSAGE = (
    "Data warga ini baru saja diubah oleh petugas lain, jadi tindakan Anda tidak disimpan. "
    "Tampilan di bawah sudah diperbarui: periksa lagi lalu ulangi bila masih perlu."
)
REFUSED_MESSAGES = {
    "status": "Tindakan itu tidak bisa dilakukan untuk warga berstatus {status}.",
    "office": "Warga dan sesi/warga asli harus dari kantor yang sama.",
    "same_session": "Warga ini sudah terjadwal di sesi itu.",
    "other_session": "Warga ini tidak terdaftar di sesi itu.",
}


async def load(access: Scope, rid: int) -> dict:
    row = await (
        Resident.select(*DETAIL_COLUMNS)
        .where(
            Resident.id == rid,
            access.office_where(Resident.office, listing=False),
            Resident.status != "draft",
        )
        .output(load_json=True)
        .first()
    )
    if row is None:
        raise NotFound()
    return row


async def possible_duplicates(r: dict) -> list[dict]:
    """Residents who may be this one (``portal.domain.duplicates``), among those staff of
    its office see: submitted residents of the same office. Each row's ``name_match`` says
    which name rule matched ("same", "similar" or "": the same NIK only)."""
    same_nik = Resident.nik == r["nik"] if r["nik"] else None
    # The birth date and the village gate every name comparison.
    same_born = (
        (Resident.birth_date == r["birth_date"]) & (Resident.village == r["village"])
        if r["birth_date"]
        else None
    )
    candidates = [c for c in (same_nik, same_born) if c is not None]
    if not candidates:
        return []
    match = candidates[0] if len(candidates) == 1 else candidates[0] | candidates[1]
    rows = await (
        Resident.select(*COMPARE_COLUMNS)
        .where(
            match,
            Resident.id != r["id"],
            Resident.office == r["office"],
            Resident.status != "draft",
        )
        .order_by(Resident.id)
    )
    found = []
    for row in rows:
        row["name_match"] = (name_match(r, row) if row["village"] == r["village"] else "") or ""
        if row["name_match"] or (r["nik"] and row["nik"] == r["nik"]):
            found.append(row)
    return found[:MAX_DUPLICATES]


async def _of(table: Any, rid: int, *columns: Any) -> list[dict]:
    """A resident's events or notes, newest first."""
    return await (
        table.select(*columns)
        .where(table.resident == rid)
        .order_by(table.at, table.id, ascending=False)
    )


async def history(rid: int) -> list[dict]:
    actor = ResidentEvent.actor._.full_name.as_alias("actor_name")
    return await _of(
        ResidentEvent, rid, "at", "action", "from_status", "to_status", "reason", actor
    )


async def notes(rid: int) -> list[dict]:
    author = ResidentNote.author._.full_name.as_alias("author_name")
    return await _of(ResidentNote, rid, "at", "body", "visible_to_coordinator", author)


@dataclass
class Detail:
    r: dict
    age: tuple[int, int] | None
    marriage_reason: str
    warnings: list
    duplicates: list[dict]
    events: list[dict]
    notes: list[dict]
    can: frozenset[str]  # the statuses this resident may move to
    suggestions: Suggestions | None  # sessions to schedule into, when that is a move
    today: date


async def detail(access: Scope, rid: int, today: date) -> Detail:
    r = await load(access, rid)
    age = age_on(r["birth_date"], today) if r["birth_date"] and r["birth_date"] <= today else None
    can = vocabulary.TRANSITIONS.get(r["status"], frozenset())
    reason = marriage_reason(age[0], married=r["married"]) if age else ""
    warnings = r["warnings"] if isinstance(r["warnings"], list) else []
    suggestions = await suggest_sessions(r, today) if "dijadwalkan" in can else None
    related = (await possible_duplicates(r), await history(rid), await notes(rid))
    return Detail(r, age, reason, warnings, *related, can, suggestions, today)


async def reveal_nik(access: Scope, rid: int) -> None:
    """Each look at a full NIK is in the audit log, by resident."""
    async with write_transaction():
        await triage.audit_resident(access, "nik_viewed", await load(access, rid))


# --- Actions -----------------------------------------------------------------------------------


@dataclass
class ActionInput:
    """Every field of every action form on the resident page; each action reads its own."""

    versi: int | None = None  # the version the officer saw
    alasan_perbaikan: Annotated[str, Limit(MAX_REASON)] = ""
    alasan_tolak: str = ""
    keterangan_tolak: Annotated[str, Limit(MAX_REASON)] = ""
    alasan_buka: Annotated[str, Limit(MAX_REASON)] = ""
    tanggal_rekam: str = ""
    tempat_rekam: str = ""
    sesi: int | None = None
    duplikat_dari: str = ""
    alasan_duplikat: Annotated[str, Limit(MAX_REASON)] = ""
    catatan: Annotated[str, Limit(MAX_NOTE)] = ""
    untuk_koordinator: bool = False

    @property
    def version(self) -> int:
        return self.versi if self.versi is not None else -1


Result = Outcome | bool | None  # a move's outcome, a touch's success, or nothing to check
Action = Callable[[Scope, int, ActionInput, date], Awaitable[Result]]


def _one(rid: int, form: ActionInput) -> triage.Items:
    return [(rid, form.version)]


async def _duplicate(access: Scope, rid: int, form: ActionInput, today: date) -> Result:
    original = form.duplikat_dari.lstrip("#").strip()
    if not original.isdigit():
        raise invalid("duplikat_dari", "Tulis nomor warga asli, misalnya 1234")
    return await triage.mark_duplicate(
        access, rid, form.version, int(original), form.alasan_duplikat
    )


ACTIONS: dict[str, Action] = {
    "verifikasi": lambda a, rid, f, day: triage.verify(a, _one(rid, f)),
    "perbaikan": lambda a, rid, f, day: triage.ask_correction(a, _one(rid, f), f.alasan_perbaikan),
    "tolak": lambda a, rid, f, day: triage.reject(
        a, _one(rid, f), f.alasan_tolak, f.keterangan_tolak
    ),
    "buka-kembali": lambda a, rid, f, day: triage.reopen(a, _one(rid, f), f.alasan_buka),
    "batal-jadwal": lambda a, rid, f, day: triage.unschedule(a, _one(rid, f)),
    "rekam": lambda a, rid, f, day: triage.mark_recorded(
        a, _one(rid, f), f.tanggal_rekam, f.tempat_rekam, day
    ),
    "jadwalkan": lambda a, rid, f, day: schedule(a, _one(rid, f), f.sesi, day),
    "duplikat": _duplicate,
    "bukan-duplikat": lambda a, rid, f, day: triage.not_duplicate(a, rid, f.version),
    "ambil": lambda a, rid, f, day: triage.assign(a, rid, f.version, take=True),
    "lepas": lambda a, rid, f, day: triage.assign(a, rid, f.version, take=False),
    "catatan": lambda a, rid, f, day: triage.add_note(a, rid, f.catatan, f.untuk_koordinator),
}


async def act(access: Scope, rid: int, action: str, form: ActionInput, today: date) -> None:
    """Do ``action`` to one resident. Raises NotFound (not theirs, or no such action),
    Invalid (input to correct), SessionFull, or Conflict (changed meanwhile, or a move the
    resident's status does not allow: the message says which)."""
    await load(access, rid)  # 404 before anything else
    run = ACTIONS.get(action)
    if run is None:
        raise NotFound()
    result = await run(access, rid, form, today)
    if result is False or (isinstance(result, Outcome) and result.conflicts):
        raise Conflict(CONFLICT_MESSAGE)
    if isinstance(result, Outcome) and result.refused:
        refused = result.refused[0]
        status = vocabulary.label("status", refused["status"])
        raise Conflict(REFUSED_MESSAGES[refused["why"]].format(status=status))
    if isinstance(result, Outcome) and not result.done:
        raise NotFound()

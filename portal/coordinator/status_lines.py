"""A resident's status as one line a coordinator reads at a glance, plus what may be shown.

Only what the coordinator may see goes in: the status, the staff's reason, the session's
place and time, and notes staff marked ``visible_to_coordinator``. Internal notes never.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time

from portal.coordinator.columns import columns
from portal.domain.vocabulary import REJECT_REASONS, STATUS_TONES, STATUSES, STEPS
from portal.rules.cards import card_news
from portal.rules.dates import format_clock, format_date_id, format_weekday_id
from portal.tables.cards import CardState
from portal.tables.lookup import rows_by
from portal.tables.outreach import OutreachSession
from portal.tables.residents import ResidentNote

# Where on the road a status stands when it is not one of its steps.
_ON_STEP = {"tidak_hadir": "dijadwalkan"}
_DETAILS = {
    "draft": "Belum dikirim ke petugas.",
    "diterima": "Sudah diterima petugas, menunggu pemeriksaan.",
    "diverifikasi": "Data sudah diperiksa petugas, menunggu jadwal perekaman.",
    "tidak_hadir": "Tidak hadir pada jadwal perekaman; petugas akan menjadwalkan ulang.",
}


@dataclass
class StatusLine:
    status: str
    label: str
    tone: str
    detail: str = ""
    step: int = -1  # index in STEPS, -1 when off the road (ditolak, duplikat, draft)
    notes: list[dict] = field(default_factory=list)


def _clock(t: time | None) -> str:
    return format_clock(t) if t else ""


def session_text(session: dict) -> str:
    day: date = session["day"]
    text = (
        f"{session['title']}, {session['place']}, {format_weekday_id(day)} "
        f"{format_date_id(day)}, pukul {_clock(session['starts'])}–{_clock(session['ends'])} WIB"
    )
    if session.get("cancelled"):
        text += " (sesi dibatalkan; petugas akan menjadwalkan ulang)"
    return text


def _detail(resident: dict, session: dict | None, card: dict | None = None) -> str:
    status = resident["status"]
    reason = (resident.get("status_reason") or "").strip()
    if status in _DETAILS:
        return _DETAILS[status]
    if status == "perlu_perbaikan":
        return "Petugas meminta perbaikan" + (f": {reason}" if reason else ".")
    if status == "dijadwalkan":
        return "Jadwal: " + session_text(session) if session else "Sudah dijadwalkan petugas."
    if status == "sudah_rekam":
        parts = [format_date_id(resident["recorded_on"])] if resident.get("recorded_on") else []
        if resident.get("recorded_place"):
            parts.append(resident["recorded_place"])
        recorded = "Sudah rekam KTP-el" + (f" ({', '.join(parts)})" if parts else "")
        news = []
        if card:
            ikd = card["ikd_activated_at"] is not None
            news = card_news(card["state"], card["pickup_place"], ikd)
        return " · ".join([recorded, *news]) + ("" if parts or news else ".")
    if status in ("ditolak", "duplikat"):
        code = resident.get("reject_code")
        text = "; ".join(p for p in (REJECT_REASONS.get(code, "") if code else "", reason) if p)
        return ("Alasan: " + text) if text else ""
    return ""


def status_line(
    resident: dict, session: dict | None = None, card: dict | None = None
) -> StatusLine:
    """``card``: the resident's KTP-el after recording (state, pickup place, IKD), if any."""
    status = resident["status"]
    on_step = _ON_STEP.get(status, status)
    return StatusLine(
        status=status,
        label=STATUSES.get(status, status),
        tone=STATUS_TONES.get(status, ""),
        detail=_detail(resident, session, card),
        step=STEPS.index(on_step) if on_step in STEPS else -1,
    )


async def sessions_by_id(ids: set[int]) -> dict[int, dict]:
    session = columns(OutreachSession, "id title place day starts ends cancelled public")
    return await rows_by(OutreachSession.id, ids, *session)


async def visible_notes(resident_ids: list[int]) -> dict[int, list[dict]]:
    """Staff notes meant for the coordinator; internal notes are filtered in the query."""
    if not resident_ids:
        return {}
    rows = (
        await ResidentNote.select(ResidentNote.resident, ResidentNote.at, ResidentNote.body)
        .where(
            ResidentNote.resident.is_in(resident_ids),
            ResidentNote.visible_to_coordinator.eq(True),
        )
        .order_by(ResidentNote.at)
    )
    notes: dict[int, list[dict]] = {}
    for row in rows:
        notes.setdefault(row["resident"], []).append(row)
    return notes


async def cards_by_resident(resident_ids: list[int]) -> dict[int, dict]:
    """What became of recorded residents' KTP-el (only what the coordinator is told)."""
    read = columns(CardState, "resident state pickup_place ikd_activated_at")
    return await rows_by(CardState.resident, resident_ids, *read)


async def status_lines(residents: list[dict]) -> dict[int, StatusLine]:
    sessions = await sessions_by_id(
        {r["outreach_session"] for r in residents if r.get("outreach_session")}
    )
    notes = await visible_notes([r["id"] for r in residents])
    cards = await cards_by_resident([r["id"] for r in residents if r["status"] == "sudah_rekam"])
    lines = {}
    for r in residents:
        line = status_line(r, sessions.get(r.get("outreach_session") or 0), cards.get(r["id"]))
        line.notes = notes.get(r["id"], [])
        lines[r["id"]] = line
    return lines

"""A resident's status as one line a coordinator reads at a glance, plus what may be shown.

Only what the coordinator may see goes in: the status, the staff's reason, the session's
place and time, and notes staff marked ``visible_to_coordinator``. Internal notes never.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time

from portal.residents.vocabulary import REJECT_REASONS, STATUSES
from portal.rules.dates import format_date_id, format_weekday_id
from portal.tables.outreach import OutreachSession
from portal.tables.residents import ResidentNote

# The road a resident travels; the status line marks how far along it they are.
STEPS = ("diterima", "diverifikasi", "dijadwalkan", "sudah_rekam")
TONES = {
    "draft": "",
    "diterima": "",
    "diverifikasi": "ok",
    "perlu_perbaikan": "warn",
    "dijadwalkan": "",
    "sudah_rekam": "ok",
    "ditolak": "error",
    "duplikat": "error",
    "tidak_hadir": "warn",
}
# Counts on the list page, in the order a coordinator cares about.
COUNT_ORDER = (
    "perlu_perbaikan",
    "diterima",
    "diverifikasi",
    "dijadwalkan",
    "tidak_hadir",
    "sudah_rekam",
    "ditolak",
    "duplikat",
    "draft",
)


@dataclass
class StatusLine:
    status: str
    label: str
    tone: str
    detail: str = ""
    step: int = -1  # index in STEPS, -1 when off the road (ditolak, duplikat, draft)
    notes: list[dict] = field(default_factory=list)


def _time(t: time | None) -> str:
    return t.strftime("%H.%M") if t else ""


def session_text(session: dict) -> str:
    day: date = session["day"]
    text = (
        f"{session['title']}, {session['place']}, {format_weekday_id(day)} "
        f"{format_date_id(day)}, pukul {_time(session['starts'])}–{_time(session['ends'])} WIB"
    )
    if session.get("cancelled"):
        text += " (sesi dibatalkan; petugas akan menjadwalkan ulang)"
    return text


def status_line(resident: dict, session: dict | None = None) -> StatusLine:
    status = resident["status"]
    line = StatusLine(
        status=status,
        label=STATUSES.get(status, status),
        tone=TONES.get(status, ""),
        step=STEPS.index(status) if status in STEPS else -1,
    )
    reason = (resident.get("status_reason") or "").strip()
    if status == "draft":
        line.detail = "Belum dikirim ke petugas."
    elif status == "diterima":
        line.detail = "Sudah diterima petugas, menunggu pemeriksaan."
    elif status == "diverifikasi":
        line.detail = "Data sudah diperiksa petugas, menunggu jadwal perekaman."
    elif status == "perlu_perbaikan":
        line.detail = "Petugas meminta perbaikan" + (f": {reason}" if reason else ".")
    elif status == "dijadwalkan":
        line.detail = (
            "Jadwal: " + session_text(session) if session else "Sudah dijadwalkan petugas."
        )
        line.step = STEPS.index("dijadwalkan")
    elif status == "sudah_rekam":
        parts = []
        if resident.get("recorded_on"):
            parts.append(format_date_id(resident["recorded_on"]))
        if resident.get("recorded_place"):
            parts.append(resident["recorded_place"])
        line.detail = "Sudah rekam KTP-el" + (f" ({', '.join(parts)})" if parts else ".")
    elif status == "tidak_hadir":
        line.detail = "Tidak hadir pada jadwal perekaman; petugas akan menjadwalkan ulang."
        line.step = STEPS.index("dijadwalkan")
    elif status in ("ditolak", "duplikat"):
        code = resident.get("reject_code")
        why = REJECT_REASONS.get(code, "") if code else ""
        text = "; ".join(p for p in (why, reason) if p)
        line.detail = ("Alasan: " + text) if text else ""
    return line


async def sessions_by_id(ids: set[int]) -> dict[int, dict]:
    if not ids:
        return {}
    rows = await OutreachSession.select(
        OutreachSession.id,
        OutreachSession.title,
        OutreachSession.place,
        OutreachSession.day,
        OutreachSession.starts,
        OutreachSession.ends,
        OutreachSession.cancelled,
        OutreachSession.public,
    ).where(OutreachSession.id.is_in(list(ids)))
    return {row["id"]: row for row in rows}


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


async def status_lines(residents: list[dict]) -> dict[int, StatusLine]:
    sessions = await sessions_by_id(
        {r["outreach_session"] for r in residents if r.get("outreach_session")}
    )
    notes = await visible_notes([r["id"] for r in residents])
    lines = {}
    for r in residents:
        line = status_line(r, sessions.get(r.get("outreach_session")))
        line.notes = notes.get(r["id"], [])
        lines[r["id"]] = line
    return lines

"""Putting verified residents into jemput bola sessions, and ticking who came.

A session serves a resident when one of its areas is the resident's office, kecamatan or
kelurahan/desa code (region codes nest: ``35.16`` ⊃ ``35.16.13`` ⊃ ``35.16.13.2001``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from portal.domain import audit, vocabulary
from portal.domain.errors import NotFound
from portal.domain.regions import ancestors
from portal.domain.scope import Scope
from portal.domain.transactions import write_transaction
from portal.staff.triage import Items, Outcome, apply_moves, invalid
from portal.tables.outreach import OutreachArea, OutreachSession
from portal.tables.residents import Resident

# One person as rosters and exports show them.
PERSON_COLUMNS = (
    Resident.id,
    Resident.full_name,
    Resident.nik,
    Resident.birth_date,
    Resident.sex,
    Resident.address,
    Resident.rt,
    Resident.rw,
    Resident.phone,
    Resident.category,
    Resident.status,
    Resident.married,
    Resident.name_key,
    Resident.village._.name.as_alias("village_name"),
    Resident.kecamatan._.name.as_alias("kecamatan_name"),
)
WARNING_COLUMNS = tuple(getattr(Resident, flag) for flag in vocabulary.WARNING_FLAGS)
SESSION_COLUMNS = (
    OutreachSession.id,
    OutreachSession.office,
    OutreachSession.kind,
    OutreachSession.title,
    OutreachSession.place,
    OutreachSession.day,
    OutreachSession.starts,
    OutreachSession.ends,
    OutreachSession.capacity,
    OutreachSession.booked,
    OutreachSession.public,
    OutreachSession.cancelled,
)


def has_room(session: dict, count: int = 1) -> bool:
    return session["capacity"] == 0 or session["booked"] + count <= session["capacity"]


async def upcoming_sessions(
    office_ids: list[int], today: date, limit: int | None = None
) -> list[dict]:
    query = (
        OutreachSession.select(*SESSION_COLUMNS)
        .where(
            OutreachSession.office.is_in(office_ids or [-1]),
            OutreachSession.cancelled.eq(False),
            OutreachSession.day >= today,
        )
        .order_by(OutreachSession.day)
        .order_by(OutreachSession.starts)
    )
    return await (query.limit(limit) if limit is not None else query)


@dataclass
class Suggestions:
    serving: list[dict]  # serve the resident's area and have room
    others: list[dict]  # everything else upcoming in the office with room
    full: list[dict]  # serve the area but are full


async def suggest_sessions(resident: dict, today: date) -> Suggestions:
    sessions = await upcoming_sessions([resident["office"]], today)
    # The resident's village, kecamatan and office: region codes nest.
    codes = ancestors(resident["village_code"]) if resident.get("village_code") else []
    serving_ids = set()
    if sessions:
        rows = await OutreachArea.select(OutreachArea.session).where(
            OutreachArea.session.is_in([s["id"] for s in sessions]),
            OutreachArea.region_code.is_in(sorted(codes) or ["-"]),
        )
        serving_ids = {row["session"] for row in rows}
    home_visit = resident.get("category") in vocabulary.HOME_VISIT_CATEGORIES

    def rank(session: dict) -> tuple:
        # Home visits first for residents who cannot travel.
        return (not (home_visit and session["kind"] == "kunjungan_rumah"), session["day"])

    serving = [s for s in sessions if s["id"] in serving_ids and has_room(s)]
    return Suggestions(
        serving=sorted(serving, key=rank),
        others=[s for s in sessions if s["id"] not in serving_ids and has_room(s)],
        full=[s for s in sessions if s["id"] in serving_ids and not has_room(s)],
    )


async def schedulable_session(access: Scope, session_id: int | None, today: date) -> dict:
    session = None
    if session_id is not None:
        session = (
            await OutreachSession.select(*SESSION_COLUMNS)
            .where(
                OutreachSession.id == session_id,
                access.office_where(OutreachSession.office, listing=False),
            )
            .first()
        )
    if session is None:
        raise invalid("sesi", "Pilih sesi jemput bola")
    if session["cancelled"]:
        raise invalid("sesi", "Sesi ini sudah dibatalkan")
    if session["day"] < today:
        raise invalid("sesi", "Sesi ini sudah lewat; pilih sesi yang akan datang")
    return session


async def schedule(access: Scope, items: Items, session_id: int | None, today: date) -> Outcome:
    """Schedule residents into a session; raises SessionFull (nobody scheduled) when they
    do not all fit."""
    session = await schedulable_session(access, session_id, today)

    def fits(row: dict) -> str | None:
        if row["office"] != session["office"]:
            return "office"
        if row["outreach_session"] == session_id and row["status"] == "dijadwalkan":
            return "same_session"
        return None

    return await apply_moves(
        access,
        items,
        "dijadwalkan",
        values={Resident.outreach_session: session_id},
        reason=f"{session['title']} ({session['day'].isoformat()})",
        audit_detail={"session": session_id},
        check_capacity=True,
        extra_check=fits,
    )


async def session_in_scope(access: Scope, session_id: int) -> dict:
    """A session of the scope's offices with every column and its location's name."""
    session = await (
        OutreachSession.select(
            *OutreachSession.all_columns(),
            OutreachSession.location.name.as_alias("location_name"),
        )
        .where(
            OutreachSession.id == session_id,
            access.office_where(OutreachSession.office, listing=False),
        )
        .first()
    )
    if session is None:
        raise NotFound()
    return session


async def record_session(
    access: Scope, action: str, office_id: int, session_id: int, detail: dict[str, Any]
) -> None:
    """The audit line of a change to a session, inside the caller's write transaction."""
    await audit.record(
        access.actor,
        action,
        office_id=office_id,
        object_type="outreach_session",
        object_id=session_id,
        detail=detail,
    )


async def mark_attendance(
    access: Scope, session_id: int, present: Items, absent: Items, today: date
) -> Outcome:
    """Present → sudah_rekam on the session's day and place; absent → tidak_hadir (their
    place is freed and they go back to the queue for another session)."""
    session = await session_in_scope(access, session_id)
    if session["day"] > today:
        raise invalid("belum-hari", "Kehadiran baru bisa dicatat pada hari sesi")

    def in_session(row: dict) -> str | None:
        return None if row["outreach_session"] == session_id else "other_session"

    outcome = Outcome()
    async with write_transaction():
        for items, target, values, reason in (
            (
                present,
                "sudah_rekam",
                {
                    Resident.recorded_on: session["day"],
                    Resident.recorded_place: session["place"][:200],
                },
                f"Hadir di {session['title']}",
            ),
            (absent, "tidak_hadir", {}, f"Tidak hadir di {session['title']}"),
        ):
            if not items:
                continue
            part = await apply_moves(
                access,
                items,
                target,
                values=values,
                reason=reason,
                audit_detail={"session": session_id},
                extra_check=in_session,
            )
            outcome.merge(part)
    return outcome


async def roster(session_id: int) -> list[dict]:
    """Everyone linked to a session, ordered for the field team: kelurahan, RW, RT, name."""
    rows = await Resident.select(*PERSON_COLUMNS, Resident.version).where(
        Resident.outreach_session == session_id, Resident.status != "draft"
    )

    def number(value: str | None) -> int:
        return int(value) if value and value.isdigit() else 0

    return sorted(
        rows,
        key=lambda r: (
            r["village_name"] or "",
            number(r["rw"]),
            number(r["rt"]),
            r["name_key"],
            r["id"],
        ),
    )

"""Jemput bola sessions: the create/edit form, saving with areas, cancelling.

Public sessions appear on the public schedule, so every change to a session that is (or
was) public bumps the site revision and the public pages change at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from portal.audit import record
from portal.content.load import bump_revision
from portal.rules.dates import DateError, parse_date_text
from portal.staff.regions import Regions
from portal.staff.scope import OfficeRef
from portal.staff.transactions import write_transaction
from portal.staff.triage import Actor, Outcome, apply_moves
from portal.tables.locations import Location
from portal.tables.outreach import SESSION_KINDS, OutreachArea, OutreachSession
from portal.tables.residents import Resident

_HHMM = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")
TEXT_LIMITS = {"title": 200, "place": 200, "address": 500, "audience": 500, "notes": 2000}


@dataclass
class SessionForm:
    """What the officer typed (kept as text so a bad value is shown back as typed)."""

    kind: str = "kelurahan"
    title: str = ""
    place: str = ""
    address: str = ""
    location: str = ""
    day: str = ""
    starts: str = "08:00"
    ends: str = "12:00"
    capacity: str = "0"
    audience: str = ""
    registration_via_rt: bool = True
    public: bool = True
    notes: str = ""
    areas: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_row(cls, row: dict, areas: list[str]) -> SessionForm:
        return cls(
            kind=row["kind"],
            title=row["title"],
            place=row["place"],
            address=row["address"] or "",
            location=str(row["location"] or ""),
            day=row["day"].isoformat(),
            starts=f"{row['starts']:%H:%M}",
            ends=f"{row['ends']:%H:%M}",
            capacity=str(row["capacity"]),
            audience=row["audience"],
            registration_via_rt=row["registration_via_rt"],
            public=row["public"],
            notes=row["notes"],
            areas=areas,
        )

    @classmethod
    def from_data(cls, data) -> SessionForm:
        def text(name: str) -> str:
            return str(data.get(name) or "").strip()

        return cls(
            kind=text("kind"),
            title=text("title"),
            place=text("place"),
            address=text("address"),
            location=text("location"),
            day=text("day"),
            starts=text("starts"),
            ends=text("ends"),
            capacity=text("capacity") or "0",
            audience=text("audience"),
            registration_via_rt=bool(data.get("registration_via_rt")),
            public=bool(data.get("public")),
            notes=text("notes"),
            areas=[str(v) for v in data.getall("areas", [])] if hasattr(data, "getall") else [],
        )

    def validate(
        self, regions: Regions, office: OfficeRef, location_ids: set[int], booked: int = 0
    ) -> dict[Any, Any] | None:
        """Column values ready to save, or None with ``errors`` filled in."""
        e = self.errors
        if self.kind not in SESSION_KINDS:
            e["kind"] = "Pilih jenis sesi"
        for name, label in (("title", "Nama sesi"), ("place", "Tempat")):
            if not getattr(self, name):
                e[name] = f"Tulis {label.lower()}"
        for name, limit in TEXT_LIMITS.items():
            if len(getattr(self, name)) > limit:
                e[name] = f"Paling banyak {limit} karakter"
        day = _parse_day(self.day)
        if day is None:
            e["day"] = "Tulis tanggal yang benar, misalnya 2026-12-05"
        starts, ends = _parse_time(self.starts), _parse_time(self.ends)
        if starts is None:
            e["starts"] = "Tulis jam mulai seperti 08:00"
        if ends is None:
            e["ends"] = "Tulis jam selesai seperti 12:00"
        if starts and ends and ends <= starts:
            e["ends"] = "Jam selesai harus sesudah jam mulai"
        capacity = int(self.capacity) if self.capacity.isdigit() else None
        if capacity is None or capacity > 100_000:
            e["capacity"] = "Kuota harus angka 0 atau lebih (0 = tanpa batas)"
        elif capacity and capacity < booked:
            e["capacity"] = f"Kuota tidak boleh kurang dari {booked} warga yang sudah dijadwalkan"
        location = int(self.location) if self.location.isdigit() else None
        if self.location and location not in location_ids:
            e["location"] = "Pilih lokasi dari daftar"
        allowed = regions.codes() | {office.region_code}
        self.areas = sorted(set(self.areas))
        if not self.areas:
            e["areas"] = "Pilih minimal satu wilayah yang dilayani"
        elif not set(self.areas) <= allowed:
            e["areas"] = "Ada wilayah yang bukan wilayah kantor ini"
        if e:
            return None
        return {
            OutreachSession.office: office.id,
            OutreachSession.kind: self.kind,
            OutreachSession.title: self.title,
            OutreachSession.place: self.place,
            OutreachSession.address: self.address or None,
            OutreachSession.location: location,
            OutreachSession.day: day,
            OutreachSession.starts: starts,
            OutreachSession.ends: ends,
            OutreachSession.capacity: capacity,
            OutreachSession.audience: self.audience,
            OutreachSession.registration_via_rt: self.registration_via_rt,
            OutreachSession.public: self.public,
            OutreachSession.notes: self.notes,
        }


def _parse_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return parse_date_text(text)
    except DateError:
        return None


def _parse_time(text: str) -> time | None:
    match = _HHMM.match(text)
    return time(int(match[1]), int(match[2])) if match else None


async def office_locations(office_id: int) -> list[dict]:
    return (
        await Location.select(Location.id, Location.name)
        .where(Location.office == office_id, Location.active.eq(True))
        .order_by(Location.name)
    )


async def session_areas(session_id: int) -> list[str]:
    rows = await OutreachArea.select(OutreachArea.region_code).where(
        OutreachArea.session == session_id
    )
    return sorted(row["region_code"] for row in rows)


async def save_session(
    actor: Actor, values: dict, areas: list[str], session_id: int | None = None
) -> int:
    """Create (``session_id`` None) or update a session and replace its areas."""
    moment = datetime.now(UTC)
    was_public = False
    async with write_transaction():
        if session_id is None:
            row = OutreachSession(
                **{col._meta.name: v for col, v in values.items()},
                created_by=actor.user.id,
                updated_at=moment,
            )
            await row.save()
            session_id = row.id
            action = "outreach_session_created"
        else:
            previous = (
                await OutreachSession.select(OutreachSession.public)
                .where(OutreachSession.id == session_id)
                .first()
            )
            was_public = bool(previous and previous["public"])
            await OutreachSession.update({**values, OutreachSession.updated_at: moment}).where(
                OutreachSession.id == session_id
            )
            await OutreachArea.delete().where(OutreachArea.session == session_id)
            action = "outreach_session_updated"
        await OutreachArea.insert(
            *[OutreachArea(session=session_id, region_code=code) for code in areas]
        )
        await record(
            action,
            actor=actor.user,
            connection=actor.connection,
            office_id=values[OutreachSession.office],
            object_type="outreach_session",
            object_id=session_id,
            detail={"public": values[OutreachSession.public], "areas": areas},
        )
        if was_public or values[OutreachSession.public]:
            await bump_revision()
    return session_id


async def cancel_session(actor: Actor, session: dict, reason: str) -> Outcome:
    """Cancel a session: everyone scheduled in it goes back to "diverifikasi" to be
    scheduled again, and the public schedule drops it."""
    async with write_transaction():
        scheduled = await Resident.select(Resident.id, Resident.version).where(
            Resident.outreach_session == session["id"], Resident.status == "dijadwalkan"
        )
        outcome = await apply_moves(
            actor,
            [session["office"]],
            [(r["id"], r["version"]) for r in scheduled],
            "diverifikasi",
            values={Resident.outreach_session: None},
            reason=f"Sesi {session['title']} dibatalkan" + (f": {reason}" if reason else ""),
        )
        await OutreachSession.update(
            {OutreachSession.cancelled: True, OutreachSession.updated_at: datetime.now(UTC)}
        ).where(OutreachSession.id == session["id"])
        await record(
            "outreach_session_cancelled",
            actor=actor.user,
            connection=actor.connection,
            office_id=session["office"],
            object_type="outreach_session",
            object_id=session["id"],
            detail={"returned_to_queue": len(outcome.done)},
        )
        if session["public"]:
            await bump_revision()
    return outcome

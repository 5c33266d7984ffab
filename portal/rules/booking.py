"""When two sessions want the same recording kit, or the same operator, at the same time.

A kit is one set of camera, fingerprint and iris scanners, PC and printer (about Rp 160 juta,
S004), so it cannot be at a school and a kelurahan office at once. Two sessions clash when
they are on the same day and their hours overlap; one ending at 10.00 and the next starting
at 10.00 do not, unless a ``gap`` (time to pack and travel) is asked for.

This is the rule only. Two officers scheduling at the same moment are kept apart by the
service, which locks the kit's row before it checks (docs/drive.md, "Kits").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from portal.rules.dates import format_clock, format_long_date_id

RESOURCES = {
    "kit": ("Alat rekam", "dipakai"),
    "operator": ("Operator", "bertugas"),
}


@dataclass(frozen=True, slots=True)
class Slot:
    day: date
    starts: time
    ends: time

    def span(self) -> tuple[datetime, datetime]:
        return datetime.combine(self.day, self.starts), datetime.combine(self.day, self.ends)


@dataclass(frozen=True, slots=True)
class Booking:
    """A session that already holds the resource."""

    session_id: int
    title: str
    place: str
    slot: Slot


def slot_problem(slot: Slot) -> str | None:
    if slot.ends <= slot.starts:
        return "Jam selesai harus sesudah jam mulai"
    return None


def overlaps(a: Slot, b: Slot, gap: timedelta = timedelta(0)) -> bool:
    """True when ``a`` and ``b`` share any time, or come closer than ``gap``."""
    a_start, a_end = a.span()
    b_start, b_end = b.span()
    return a_start < b_end + gap and b_start < a_end + gap


def find_clash(
    slot: Slot,
    bookings: Iterable[Booking],
    *,
    exclude_session: int | None = None,
    gap: timedelta = timedelta(0),
) -> Booking | None:
    """The earliest booking that clashes with ``slot``; ``exclude_session`` is the session
    being edited (it does not clash with itself)."""
    clashes = [
        b for b in bookings if b.session_id != exclude_session and overlaps(slot, b.slot, gap)
    ]
    return min(clashes, key=lambda b: (b.slot.starts, b.session_id), default=None)


def clash_message(resource: str, name: str, clash: Booking, zone: str = "WIB") -> str:
    """ "Alat rekam “Alat 1” sudah dipakai untuk sesi “SMAN 1” (Aula SMAN 1) pada Senin,
    6 Oktober 2025, 08.00–12.00 WIB. Pilih alat rekam lain atau ubah jam sesi." """
    what, verb = RESOURCES[resource]
    when = (
        f"{format_long_date_id(clash.slot.day)}, "
        f"{format_clock(clash.slot.starts)}–{format_clock(clash.slot.ends)} {zone}"
    )
    place = f" ({clash.place})" if clash.place and clash.place != clash.title else ""
    return (
        f"{what} “{name}” sudah {verb} untuk sesi “{clash.title}”{place} pada {when}. "
        f"Pilih {what.lower()} lain atau ubah jam sesi."
    )

"""Opening hours: "open now / opens at …" for a location, computed in local (WIB) time.

Pure: callers pass the current time in the portal's zone and the location's weekly hours and
special days, so the answer is testable for any moment (midnight, weekends, election day).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from portal.rules.dates import WEEKDAYS_ID, format_clock, format_date_id, format_time_span

# How far ahead "opens …" looks. Beyond this the place is treated as having no known hours
# (a location closed for weeks should say so in its notes, not in a far-away date).
LOOKAHEAD_DAYS = 14


@dataclass(frozen=True, slots=True)
class WeeklyHours:
    weekday: int  # 0 = Senin … 6 = Minggu
    opens: time
    closes: time
    note: str = ""


@dataclass(frozen=True, slots=True)
class SpecialHours:
    day: date
    opens: time | None
    closes: time | None
    closed: bool
    note: str = ""


@dataclass(frozen=True, slots=True)
class Interval:
    day: date
    opens: time
    closes: time
    note: str = ""


@dataclass(frozen=True, slots=True)
class OpenStatus:
    state: str  # open | closed | unknown
    text: str
    special_note: str = ""  # today's special-day note, e.g. election day

    @property
    def is_open(self) -> bool:
        return self.state == "open"


def intervals_on(
    day: date, weekly: Iterable[WeeklyHours], special: Iterable[SpecialHours]
) -> list[Interval]:
    """Service intervals on `day`: a special day replaces the weekly pattern entirely."""
    specials = [s for s in special if s.day == day]
    if specials:
        return sorted(
            (
                Interval(day, s.opens, s.closes, s.note)
                for s in specials
                if not s.closed and s.opens is not None and s.closes is not None
            ),
            key=lambda i: i.opens,
        )
    return sorted(
        (Interval(day, w.opens, w.closes, w.note) for w in weekly if w.weekday == day.weekday()),
        key=lambda i: i.opens,
    )


def _day_phrase(day: date, today: date) -> str:
    if day == today:
        return "hari ini"
    if day == today + timedelta(days=1):
        return "besok"
    if day < today + timedelta(days=7):
        return WEEKDAYS_ID[day.weekday()]
    return f"{WEEKDAYS_ID[day.weekday()]}, {format_date_id(day)}"


def open_status(
    now: datetime, weekly: Sequence[WeeklyHours], special: Sequence[SpecialHours]
) -> OpenStatus:
    """Whether the location is open at `now` (already in local time), and when it next opens
    or closes. Special days (e.g. election day: service until 12.00 WIB) override the week."""
    today = now.date()
    moment = now.time().replace(tzinfo=None)
    today_special = next((s for s in special if s.day == today), None)
    note = today_special.note if today_special else ""
    if not weekly and not special:
        return OpenStatus("unknown", "Jam layanan belum diketahui. Hubungi kantor sebelum datang.")
    for interval in intervals_on(today, weekly, special):
        if interval.opens <= moment < interval.closes:
            return OpenStatus(
                "open", f"Buka sekarang, sampai pukul {format_clock(interval.closes)} WIB", note
            )
    for offset in range(LOOKAHEAD_DAYS + 1):
        day = today + timedelta(days=offset)
        for interval in intervals_on(day, weekly, special):
            if offset == 0 and interval.opens <= moment:
                continue
            when = f"{_day_phrase(day, today)} pukul {format_clock(interval.opens)} WIB"
            return OpenStatus("closed", f"Tutup sekarang. Buka {when}", note)
    return OpenStatus("closed", "Tutup sekarang. Jadwal buka berikutnya belum diketahui.", note)


def weekly_table(weekly: Sequence[WeeklyHours]) -> list[tuple[str, str]]:
    """(weekday name, hours) for all seven days, "Tutup" where there are none."""
    rows = []
    for weekday, name in enumerate(WEEKDAYS_ID):
        spans = sorted((w for w in weekly if w.weekday == weekday), key=lambda w: w.opens)
        text = ", ".join(format_time_span(w.opens, w.closes) for w in spans)
        rows.append((name, text or "Tutup"))
    return rows

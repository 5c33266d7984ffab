"""An iCalendar file for one jemput bola session, so a phone can add it to its calendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import icalendar

PRODID = "-//Portal Rekam KTP-el Mojokerto//Jadwal jemput bola//ID"


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    uid: str
    title: str
    day: date
    starts: time
    ends: time
    place: str
    description: str
    url: str
    updated_at: datetime  # aware; also DTSTAMP, so the same session gives the same bytes
    cancelled: bool = False


def session_calendar(event: CalendarEvent, zone: ZoneInfo) -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    vevent = icalendar.Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", event.updated_at)
    vevent.add("last-modified", event.updated_at)
    vevent.add("dtstart", datetime.combine(event.day, event.starts, tzinfo=zone))
    vevent.add("dtend", datetime.combine(event.day, event.ends, tzinfo=zone))
    vevent.add("summary", event.title)
    vevent.add("location", event.place)
    vevent.add("description", event.description)
    vevent.add("url", event.url)
    vevent.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    cal.add_component(vevent)
    cal.add_missing_timezones()
    return cal.to_ical()

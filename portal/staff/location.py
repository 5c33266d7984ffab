"""A service location as staff maintain it for the public pages: its data (with a preview
before saving), its weekly opening hours and its special days (holidays, election days).

Every save is one transaction with an audit entry and a site-revision bump, so the public
pages change at once (``portal.staff.content.saved``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, make_dataclass
from datetime import date, time
from typing import Annotated, Any

from portal.domain import vocabulary
from portal.domain.errors import NotFound
from portal.domain.inputs import Limit
from portal.domain.scope import Scope
from portal.domain.transactions import write_transaction
from portal.rules.dates import WEEKDAYS_ID
from portal.staff.content import PREVIEW, now, saved
from portal.staff.inputs import Checks, Long, Notes, Title, as_row, from_row
from portal.tables.locations import Location, OpeningHours, SpecialDay

WEEKDAYS = list(enumerate(WEEKDAYS_ID))
PARTS = ("opens", "closes", "note")
_HHMM = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


def parse_time(text: str) -> time | None:
    match = _HHMM.match(text.strip())
    return time(int(match[1]), int(match[2])) if match else None


async def location(access: Scope, location_id: int) -> dict:
    row = await (
        Location.select()
        .where(Location.id == location_id, access.office_where(Location.office, listing=False))
        .output(load_json=True)
        .first()
    )
    if row is None:
        raise NotFound()
    return row


@dataclass
class LocationView:
    location: dict
    hours: list[dict]
    special_days: list[dict]


async def view(access: Scope, location_id: int) -> LocationView:
    row = await location(access, location_id)
    hours = (
        await OpeningHours.select()
        .where(OpeningHours.location == location_id)
        .order_by(OpeningHours.weekday)
    )
    days = (
        await SpecialDay.select()
        .where(SpecialDay.location == location_id)
        .order_by(SpecialDay.day, ascending=False)
    )
    return LocationView(row, hours, days)


# --- The location's data -----------------------------------------------------------------------


@dataclass
class LocationInput:
    name: Title = ""
    kind: str = ""
    address: Long = ""
    services: list[str] = field(default_factory=list)
    accessibility: Long = ""
    notes: Notes = ""
    source: Long = ""
    verified: bool = False
    checked_on: str = ""
    active: bool = False
    aksi: str = ""

    def values(self) -> dict[Any, Any]:
        c = Checks(self)
        services = [s for s in self.services if s in vocabulary.SERVICES]
        if not services:
            c.errors["services"] = "Pilih minimal satu layanan"
        return c.values(
            {
                Location.name: c.text("name", "Nama lokasi", limit=200, required=True),
                Location.kind: c.choice("kind", "Jenis lokasi", vocabulary.LOCATION_KINDS),
                Location.address: c.text("address", "Alamat", limit=500) or None,
                Location.services: services,
                Location.accessibility: c.text("accessibility", "Aksesibilitas", limit=1000)
                or None,
                Location.notes: c.text("notes", "Catatan", limit=2000),
                Location.source: c.text("source", "Sumber", limit=1000),
                Location.verified: self.verified,
                Location.checked_on: c.day("checked_on", "Tanggal diperiksa"),
                Location.active: self.active,
            }
        )


async def save(access: Scope, location_id: int, form: LocationInput) -> dict | None:
    """Save the location's data; with ``aksi`` "pratinjau" only check it and return the row
    as it would be shown. Invalid with every problem of the form."""
    row = await location(access, location_id)
    values = form.values()
    if form.aksi == PREVIEW:
        return {**row, **as_row(values)}
    async with write_transaction():
        await Location.update({**values, Location.updated_at: now()}).where(
            Location.id == location_id
        )
        await saved(access, "content_location_updated", row["office"], "location", location_id)
    return None


# --- Weekly opening hours ----------------------------------------------------------------------

# One line per weekday (0 = Monday): opens_0, closes_0, note_0, … note_6.
HoursInput = make_dataclass(
    "HoursInput",
    [(f"{part}_{d}", Title, field(default="")) for d, _ in WEEKDAYS for part in PARTS],
)


def hours_input(rows: list[dict]) -> Any:
    week = {f"{part}_{row['weekday']}": row[part] for row in rows for part in PARTS}
    return from_row(HoursInput, week)


def read_hours(form: Any) -> list[tuple[int, time | None, time | None, str]]:
    """The week as typed; a weekday left empty is closed. Invalid per bad time."""
    c = Checks(form)
    hours = []
    for d, name in WEEKDAYS:
        opens_text = c.text(f"opens_{d}", f"Jam buka {name}", limit=5)
        closes_text = c.text(f"closes_{d}", f"Jam tutup {name}", limit=5)
        note = c.text(f"note_{d}", f"Catatan {name}", limit=200)
        if not opens_text and not closes_text:
            continue
        opens, closes = parse_time(opens_text), parse_time(closes_text)
        if opens is None:
            c.errors[f"opens_{d}"] = f"Jam buka {name} seperti 08:00"
        if closes is None:
            c.errors[f"closes_{d}"] = f"Jam tutup {name} seperti 15:00"
        if opens and closes and closes <= opens:
            c.errors[f"closes_{d}"] = f"Jam tutup {name} harus sesudah jam buka"
        hours.append((d, opens, closes, note))
    c.values({})
    return hours


async def save_hours(access: Scope, location_id: int, form: Any) -> None:
    hours = read_hours(form)
    async with write_transaction():
        row = await location(access, location_id)
        await OpeningHours.delete().where(OpeningHours.location == location_id)
        if hours:
            await OpeningHours.insert(
                *[
                    OpeningHours(location=location_id, weekday=d, opens=o, closes=c, note=n)
                    for d, o, c, n in hours
                ]
            )
        await saved(access, "content_hours_updated", row["office"], "location", location_id)


# --- Special days -------------------------------------------------------------------------------


@dataclass
class SpecialDayInput:
    day: str = ""
    closed: bool = False
    opens: str = ""
    closes: str = ""
    note: Annotated[str, Limit(301)] = ""

    def values(self) -> dict[str, Any]:
        c = Checks(self)
        day: date | None = c.day("day", "Tanggal", required=True)
        opens_text = c.text("opens", "Jam buka", limit=5)
        closes_text = c.text("closes", "Jam tutup", limit=5)
        note = c.text("note", "Keterangan", limit=300, required=True)
        opens = closes = None
        if not self.closed:
            opens, closes = parse_time(opens_text), parse_time(closes_text)
            if opens is None:
                c.errors["opens"] = "Tulis jam buka seperti 08:00, atau centang tutup"
            if closes is None:
                c.errors["closes"] = "Tulis jam tutup seperti 12:00, atau centang tutup"
            if opens and closes and closes <= opens:
                c.errors["closes"] = "Jam tutup harus sesudah jam buka"
        values = {"day": day, "closed": self.closed, "opens": opens, "closes": closes}
        return c.values({**values, "note": note})


async def add_special_day(access: Scope, location_id: int, form: SpecialDayInput) -> None:
    values = form.values()
    async with write_transaction():
        row = await location(access, location_id)
        await SpecialDay(location=location_id, **values).save()
        await saved(access, "content_special_day_added", row["office"], "location", location_id)


async def delete_special_day(access: Scope, location_id: int, day_id: int) -> None:
    async with write_transaction():
        row = await location(access, location_id)
        deleted = (
            await SpecialDay.delete()
            .where(SpecialDay.id == day_id, SpecialDay.location == location_id)
            .returning(SpecialDay.id)
        )
        if not deleted:
            raise NotFound()
        await saved(access, "content_special_day_deleted", row["office"], "location", location_id)

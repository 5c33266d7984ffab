"""Staff-maintained public content: locations with their hours and special days, requirement
items and published figures.

Each form is read into text fields (so a bad value is shown back as typed), checked, and
saved in one transaction with an audit entry and a site-revision bump, so the public pages
change at once. Staff edit their own office's items; items shared by both offices
(``office`` NULL) are admin-only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from portal.audit import record
from portal.content.load import bump_revision
from portal.content.seed import LOCATION_KINDS, REQUIREMENT_TOPICS, SERVICES
from portal.rules.dates import WEEKDAYS_ID
from portal.staff.transactions import write_transaction
from portal.staff.triage import Actor
from portal.tables.content import PublishedFigure, Requirement
from portal.tables.locations import Location, OpeningHours, SpecialDay

LOCATION_KIND_LABELS = {
    "mpp": "Mal Pelayanan Publik",
    "dinas": "Kantor Dispendukcapil",
    "kantor_kecamatan": "Kantor kecamatan",
    "kantor_kelurahan": "Kantor kelurahan/desa",
    "sekolah": "Sekolah",
}
SERVICE_LABELS = {
    "perekaman": "Perekaman KTP-el",
    "pencetakan": "Pencetakan KTP-el",
    "aktivasi_ikd": "Aktivasi IKD",
    "adminduk_lain": "Layanan adminduk lain",
}
TOPIC_LABELS = {
    "wajib": "Siapa wajib rekam",
    "usia": "Batas usia",
    "dokumen": "Dokumen yang dibawa",
    "biaya": "Biaya",
    "proses": "Proses",
    "perbedaan": "Perbedaan layanan",
    "ikd": "IKD",
    "risiko": "Risiko",
    "lokasi": "Lokasi",
}
assert set(LOCATION_KIND_LABELS) == set(LOCATION_KINDS)
assert set(SERVICE_LABELS) == set(SERVICES)
assert set(TOPIC_LABELS) == set(REQUIREMENT_TOPICS)

_HHMM = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


def parse_time(text: str) -> time | None:
    match = _HHMM.match(text.strip())
    return time(int(match[1]), int(match[2])) if match else None


def parse_iso_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


class Form:
    """Text values of a submitted form plus the errors found in them."""

    def __init__(self, data: Any = None, initial: dict[str, Any] | None = None) -> None:
        self.values: dict[str, Any] = dict(initial or {})
        self.errors: dict[str, str] = {}
        self._data = data

    def text(self, name: str, label: str, *, limit: int, required: bool = False) -> str:
        value = str(self._data.get(name) or "").strip() if self._data is not None else ""
        self.values[name] = value
        if required and not value:
            self.errors[name] = f"Tulis {label.lower()}"
        elif len(value) > limit:
            self.errors[name] = f"{label} paling banyak {limit} karakter"
        return value

    def flag(self, name: str) -> bool:
        value = bool(self._data.get(name)) if self._data is not None else False
        self.values[name] = value
        return value

    def choice(self, name: str, label: str, options) -> str:
        value = str(self._data.get(name) or "") if self._data is not None else ""
        self.values[name] = value
        if value not in options:
            self.errors[name] = f"Pilih {label.lower()}"
        return value

    def choices(self, name: str, options) -> list[str]:
        values = [str(v) for v in self._data.getall(name, [])] if self._data is not None else []
        values = [v for v in values if v in options]
        self.values[name] = values
        return values

    def day(self, name: str, label: str, *, required: bool = False) -> date | None:
        value = self.text(name, label, limit=10, required=required)
        if not value:
            return None
        parsed = parse_iso_day(value)
        if parsed is None:
            self.errors[name] = f"{label} harus tanggal yang benar, misalnya 2026-12-05"
        return parsed

    def number(self, name: str, label: str, *, minimum: int = 0) -> int | None:
        value = self.text(name, label, limit=15, required=True)
        cleaned = value.replace(".", "").replace(",", "")
        if value and (not cleaned.isdigit() or int(cleaned) < minimum):
            self.errors[name] = f"{label} harus angka bulat {minimum} atau lebih"
            return None
        return int(cleaned) if cleaned.isdigit() else None

    @property
    def ok(self) -> bool:
        return not self.errors


def _moment() -> datetime:
    return datetime.now(UTC)


async def _saved(actor: Actor, action: str, office_id: int | None, kind: str, oid: Any) -> None:
    await record(
        action,
        actor=actor.user,
        connection=actor.connection,
        office_id=office_id,
        object_type=kind,
        object_id=oid,
    )
    await bump_revision()


# --- Locations ---------------------------------------------------------------------------------


def location_form(data: Any = None, row: dict | None = None) -> tuple[Form, dict | None]:
    if data is None:
        form = Form(
            initial={
                **(row or {}),
                "address": (row or {}).get("address") or "",
                "accessibility": (row or {}).get("accessibility") or "",
                "checked_on": (row or {}).get("checked_on") and row["checked_on"].isoformat(),
            }
        )
        return form, None
    form = Form(data)
    values = {
        Location.name: form.text("name", "Nama lokasi", limit=200, required=True),
        Location.kind: form.choice("kind", "Jenis lokasi", LOCATION_KINDS),
        Location.address: form.text("address", "Alamat", limit=500) or None,
        Location.services: form.choices("services", SERVICES),
        Location.accessibility: form.text("accessibility", "Aksesibilitas", limit=1000) or None,
        Location.notes: form.text("notes", "Catatan", limit=2000),
        Location.source: form.text("source", "Sumber", limit=1000),
        Location.verified: form.flag("verified"),
        Location.checked_on: form.day("checked_on", "Tanggal diperiksa"),
        Location.active: form.flag("active"),
    }
    if not values[Location.services]:
        form.errors["services"] = "Pilih minimal satu layanan"
    return form, values if form.ok else None


async def save_location(actor: Actor, row: dict, values: dict) -> None:
    async with write_transaction():
        await Location.update({**values, Location.updated_at: _moment()}).where(
            Location.id == row["id"]
        )
        await _saved(actor, "content_location_updated", row["office"], "location", row["id"])


WEEKDAYS = list(enumerate(WEEKDAYS_ID))


def hours_form(data: Any = None, rows: list[dict] | None = None) -> tuple[Form, list | None]:
    """One line per weekday; a weekday left empty is closed."""
    if data is None:
        initial: dict[str, Any] = {}
        for row in rows or []:
            d = row["weekday"]
            initial[f"opens_{d}"] = f"{row['opens']:%H:%M}"
            initial[f"closes_{d}"] = f"{row['closes']:%H:%M}"
            initial[f"note_{d}"] = row["note"]
        return Form(initial=initial), None
    form = Form(data)
    hours = []
    for d, name in WEEKDAYS:
        opens_text = form.text(f"opens_{d}", f"Jam buka {name}", limit=5)
        closes_text = form.text(f"closes_{d}", f"Jam tutup {name}", limit=5)
        note = form.text(f"note_{d}", f"Catatan {name}", limit=200)
        if not opens_text and not closes_text:
            continue
        opens, closes = parse_time(opens_text), parse_time(closes_text)
        if opens is None:
            form.errors[f"opens_{d}"] = f"Jam buka {name} seperti 08:00"
        if closes is None:
            form.errors[f"closes_{d}"] = f"Jam tutup {name} seperti 15:00"
        if opens and closes and closes <= opens:
            form.errors[f"closes_{d}"] = f"Jam tutup {name} harus sesudah jam buka"
        hours.append((d, opens, closes, note))
    return form, hours if form.ok else None


async def save_hours(actor: Actor, location: dict, hours: list) -> None:
    async with write_transaction():
        await OpeningHours.delete().where(OpeningHours.location == location["id"])
        if hours:
            await OpeningHours.insert(
                *[
                    OpeningHours(location=location["id"], weekday=d, opens=o, closes=c, note=n)
                    for d, o, c, n in hours
                ]
            )
        await _saved(actor, "content_hours_updated", location["office"], "location", location["id"])


def special_day_form(data: Any) -> tuple[Form, dict | None]:
    form = Form(data)
    day = form.day("day", "Tanggal", required=True)
    closed = form.flag("closed")
    opens_text = form.text("opens", "Jam buka", limit=5)
    closes_text = form.text("closes", "Jam tutup", limit=5)
    note = form.text("note", "Keterangan", limit=300, required=True)
    opens = closes = None
    if not closed:
        opens, closes = parse_time(opens_text), parse_time(closes_text)
        if opens is None:
            form.errors["opens"] = "Tulis jam buka seperti 08:00, atau centang tutup"
        if closes is None:
            form.errors["closes"] = "Tulis jam tutup seperti 12:00, atau centang tutup"
        if opens and closes and closes <= opens:
            form.errors["closes"] = "Jam tutup harus sesudah jam buka"
    if not form.ok:
        return form, None
    return form, {"day": day, "closed": closed, "opens": opens, "closes": closes, "note": note}


async def add_special_day(actor: Actor, location: dict, values: dict) -> None:
    async with write_transaction():
        await SpecialDay(location=location["id"], **values).save()
        await _saved(
            actor, "content_special_day_added", location["office"], "location", location["id"]
        )


async def delete_special_day(actor: Actor, location: dict, day_id: int) -> bool:
    async with write_transaction():
        deleted = (
            await SpecialDay.delete()
            .where(SpecialDay.id == day_id, SpecialDay.location == location["id"])
            .returning(SpecialDay.id)
        )
        if deleted:
            await _saved(
                actor,
                "content_special_day_deleted",
                location["office"],
                "location",
                location["id"],
            )
    return bool(deleted)


# --- Requirements ------------------------------------------------------------------------------


def requirement_form(data: Any = None, row: dict | None = None) -> tuple[Form, dict | None]:
    if data is None:
        initial = dict(row or {})
        initial["legal_basis"] = initial.get("legal_basis") or ""
        checked = initial.get("checked_on")
        initial["checked_on"] = checked.isoformat() if checked else ""
        initial["position"] = str(initial.get("position", 0))
        return Form(initial=initial), None
    form = Form(data)
    values = {
        Requirement.topic: form.choice("topic", "Topik", REQUIREMENT_TOPICS),
        Requirement.title: form.text("title", "Judul", limit=200, required=True),
        Requirement.body: form.text("body", "Isi", limit=5000, required=True),
        Requirement.legal_basis: form.text("legal_basis", "Dasar hukum", limit=1000) or None,
        Requirement.source: form.text("source", "Sumber", limit=1000),
        Requirement.verified: form.flag("verified"),
        Requirement.checked_on: form.day("checked_on", "Tanggal diperiksa"),
        Requirement.position: form.number("position", "Urutan"),
    }
    return form, values if form.ok else None


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "item"


async def save_requirement(
    actor: Actor, values: dict, office_id: int | None, row: dict | None = None
) -> int:
    async with write_transaction():
        if row is None:
            base = f"{slugify(values[Requirement.title])}"
            slug, n = base, 1
            while await Requirement.exists().where(Requirement.slug == slug):
                n += 1
                slug = f"{base}-{n}"
            item = Requirement(
                slug=slug,
                office=office_id,
                updated_at=_moment(),
                **{col._meta.name: v for col, v in values.items()},
            )
            await item.save()
            rid, action = item.id, "content_requirement_created"
        else:
            rid, action = row["id"], "content_requirement_updated"
            await Requirement.update({**values, Requirement.updated_at: _moment()}).where(
                Requirement.id == rid
            )
        await _saved(actor, action, office_id, "requirement", rid)
    return rid


# --- Figures -----------------------------------------------------------------------------------


def figure_form(data: Any = None, row: dict | None = None) -> tuple[Form, dict | None]:
    if data is None:
        initial = dict(row or {"unit": "orang", "position": 0})
        initial["value"] = str(initial.get("value", ""))
        initial["position"] = str(initial.get("position", 0))
        as_of = initial.get("as_of")
        initial["as_of"] = as_of.isoformat() if as_of else ""
        return Form(initial=initial), None
    form = Form(data)
    values = {
        PublishedFigure.label: form.text("label", "Keterangan angka", limit=200, required=True),
        PublishedFigure.value: form.number("value", "Angka"),
        PublishedFigure.unit: form.text("unit", "Satuan", limit=30, required=True),
        PublishedFigure.as_of: form.day("as_of", "Per tanggal", required=True),
        PublishedFigure.as_of_text: form.text("as_of_text", "Keterangan waktu", limit=100),
        PublishedFigure.source: form.text("source", "Sumber", limit=1000, required=True),
        PublishedFigure.verified: form.flag("verified"),
        PublishedFigure.position: form.number("position", "Urutan"),
    }
    return form, values if form.ok else None


async def save_figure(actor: Actor, values: dict, office_id: int, row: dict | None = None) -> int:
    async with write_transaction():
        if row is None:
            item = PublishedFigure(
                office=office_id, **{col._meta.name: v for col, v in values.items()}
            )
            await item.save()
            fid, action = item.id, "content_figure_created"
        else:
            fid, action = row["id"], "content_figure_updated"
            await PublishedFigure.update(values).where(PublishedFigure.id == fid)
        await _saved(actor, action, office_id, "figure", fid)
    return fid


async def delete_figure(actor: Actor, row: dict) -> None:
    async with write_transaction():
        await PublishedFigure.delete().where(PublishedFigure.id == row["id"])
        await _saved(actor, "content_figure_deleted", row["office"], "figure", row["id"])


@dataclass
class Preview:
    """The public-style rendering of unsaved values (a template fragment's context)."""

    kind: str
    item: dict[str, Any] = field(default_factory=dict)


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]

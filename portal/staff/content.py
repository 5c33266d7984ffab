"""Staff-maintained public content: the listing, requirement items and published figures
(locations with their hours and special days are in ``portal.staff.location``).

Each form comes as text (so a bad value is shown back as typed), is checked, and is saved
in one transaction with an audit entry and a site-revision bump, so the public pages change
at once; or, when the officer asks for a preview, checked and shown without saving. Staff
edit their own office's items; items shared by both offices (``office`` NULL) are
admin-only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from piccolo.table import Table

from portal.content.load import bump_revision
from portal.domain import audit, vocabulary
from portal.domain.errors import Invalid, NotFound
from portal.domain.scope import Scope
from portal.domain.transactions import write_transaction
from portal.staff.inputs import Body, Checks, Long, Title, as_row, from_row
from portal.tables.content import PublishedFigure, Requirement
from portal.tables.locations import Location

PREVIEW = "pratinjau"  # the ``aksi`` of the "Pratinjau" button


async def saved(access: Scope, action: str, office_id: int | None, kind: str, oid: Any) -> None:
    """The audit line of a content change and the bump that shows it on the public pages."""
    await audit.record(access.actor, action, office_id=office_id, object_type=kind, object_id=oid)
    await bump_revision()


def now() -> datetime:
    return datetime.now(UTC)


# --- The listing -------------------------------------------------------------------------------


@dataclass
class ContentIndex:
    locations: list[dict]
    requirements: list[dict]
    figures: list[dict]


async def index(access: Scope) -> ContentIndex:
    locations = (
        await Location.select(
            Location.id, Location.name, Location.kind, Location.active, Location.office
        )
        .where(access.office_where(Location.office))
        .order_by(Location.name)
    )
    item = Requirement
    requirements = (
        await item.select(item.id, item.title, item.topic, item.office, item.verified)
        .where(access.office_where(Requirement.office) | Requirement.office.is_null())
        .order_by(Requirement.topic)
        .order_by(Requirement.position)
    )
    figures = (
        await PublishedFigure.select()
        .where(access.office_where(PublishedFigure.office))
        .order_by(PublishedFigure.office)
        .order_by(PublishedFigure.position)
    )
    return ContentIndex(locations, requirements, figures)


# --- Requirement items and figures: a form, a preview, a save ----------------------------------


@dataclass
class ItemInput:
    """What the form of every item has besides its own fields."""

    source: Long = ""
    verified: bool = False
    position: str = "0"  # its place in lists
    kantor: str = ""  # the office of a new item, when an admin chooses
    aksi: str = ""  # "pratinjau": check and show, do not save

    def common(self, c: Checks, table: Any, *, source_required: bool) -> dict[Any, Any]:
        return {
            table.source: c.text("source", "Sumber", limit=1000, required=source_required),
            table.verified: self.verified,
            table.position: c.number("position", "Urutan"),
        }


@dataclass
class RequirementInput(ItemInput):
    topic: str = "dokumen"
    title: Title = ""
    body: Body = ""
    legal_basis: Long = ""
    checked_on: str = ""
    position: str = "100"

    def values(self) -> dict[Any, Any]:
        c = Checks(self)
        return c.values(
            {
                Requirement.topic: c.choice("topic", "Topik", vocabulary.REQUIREMENT_TOPICS),
                Requirement.title: c.text("title", "Judul", limit=200, required=True),
                Requirement.body: c.text("body", "Isi", limit=5000, required=True),
                Requirement.legal_basis: c.text("legal_basis", "Dasar hukum", limit=1000) or None,
                **self.common(c, Requirement, source_required=False),
                Requirement.checked_on: c.day("checked_on", "Tanggal diperiksa"),
            }
        )


@dataclass
class FigureInput(ItemInput):
    label: Title = ""
    value: str = ""
    unit: str = "orang"
    as_of: str = ""
    as_of_text: str = ""

    def values(self) -> dict[Any, Any]:
        c = Checks(self)
        return c.values(
            {
                PublishedFigure.label: c.text(
                    "label", "Keterangan angka", limit=200, required=True
                ),
                PublishedFigure.value: c.number("value", "Angka"),
                PublishedFigure.unit: c.text("unit", "Satuan", limit=30, required=True),
                PublishedFigure.as_of: c.day("as_of", "Per tanggal", required=True),
                PublishedFigure.as_of_text: c.text("as_of_text", "Keterangan waktu", limit=100),
                **self.common(c, PublishedFigure, source_required=True),
            }
        )


@dataclass(frozen=True)
class Kind:
    """One kind of item edited through the same form, preview and save."""

    table: type[Table]
    name: str  # object_type in the audit log, and the stem of its actions
    form: type  # its typed form (a dataclass)

    def form_of(self, row: dict) -> Any:
        """The form filled in from a saved item."""
        return from_row(self.form, row)


REQUIREMENT = Kind(Requirement, "requirement", RequirementInput)
FIGURE = Kind(PublishedFigure, "figure", FigureInput)


async def item(access: Scope, kind: Kind, item_id: int) -> dict:
    """One item the scope may change; items shared by both offices belong to no office:
    only admin may change them."""
    table = kind.table
    row = await table.select().where(table._meta.primary_key == item_id).first()
    if row is None or (row["office"] is None and not access.is_admin):
        raise NotFound()
    if row["office"] is not None:
        access.check_office(row["office"])
    return row


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "item"


async def _unused_slug(title: str) -> str:
    base = slugify(title)
    slug, n = base, 1
    while await Requirement.exists().where(Requirement.slug == slug):
        n += 1
        slug = f"{base}-{n}"
    return slug


async def save(access: Scope, kind: Kind, form: Any, row: dict | None = None) -> dict | None:
    """Save a new item (``row`` None) or a change; with ``aksi`` "pratinjau" only check it
    and return the row as it would be shown. Invalid with every problem of the form."""
    office_id = row["office"] if row is not None else None
    try:
        values = form.values()
        errors: dict[str, str] = {}
    except Invalid as exc:
        values, errors = {}, exc.errors
    if row is None:
        office = access.choose(form.kantor).single_office()
        if office is None:
            errors["kantor"] = "Pilih kantor"
        office_id = office.id if office else None
    if errors:
        raise Invalid(errors)
    if form.aksi == PREVIEW:
        return {**(row or {}), **as_row(values)}
    table = kind.table
    async with write_transaction():
        if row is None:
            extra: dict[str, Any] = {"office": office_id}
            if table is Requirement:
                extra["slug"] = await _unused_slug(values[Requirement.title])
            if hasattr(table, "updated_at"):
                extra["updated_at"] = now()
            new: Any = table(**extra, **as_row(values))
            await new.save()
            oid, action = new.id, f"content_{kind.name}_created"
        else:
            if hasattr(table, "updated_at"):
                values = {**values, table.updated_at: now()}
            oid, action = row["id"], f"content_{kind.name}_updated"
            await table.update(values).where(table._meta.primary_key == oid)
        await saved(access, action, office_id, kind.name, oid)
    return None


async def delete(access: Scope, kind: Kind, item_id: int) -> None:
    table = kind.table
    async with write_transaction():
        row = await item(access, kind, item_id)
        await table.delete().where(table._meta.primary_key == item_id)
        await saved(access, f"content_{kind.name}_deleted", row["office"], kind.name, item_id)

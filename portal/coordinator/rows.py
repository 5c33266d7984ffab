"""Residents of a draft list one by one: check a row (with duplicates), add it once per form
token, edit, remove, and the autosaved input of a form not saved yet.

Every change runs in one write transaction with its audit line; the audit names the
resident by id, never by NIK.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from portal.clock import today_local
from portal.coordinator.duplicates import (
    apply_duplicates,
    candidate_for,
    checkable,
    find_duplicates,
    no_duplicates,
)
from portal.coordinator.resident_check import CheckedResident, check_resident
from portal.coordinator.resident_fields import FIELDS, with_saved_nik
from portal.coordinator.resident_list import OwnList, record
from portal.domain import form_tokens
from portal.domain.actor import fk_id
from portal.domain.errors import Conflict, NotFound
from portal.domain.scope import Scope
from portal.domain.transactions import write_transaction
from portal.domain.vocabulary import EDITABLE_STATUSES
from portal.tables.residents import DraftEntry, Resident, ResidentEvent, ResidentList

# The columns a checked row fills in; the list gives office, kecamatan and village.
# What a checked row stores: the typed fields (the birth date as one), what the check
# derives from them, and the warning flags the staff queue filters on.
DERIVED = ("name_key", "birth_date", "eligible_from", "warnings")
FLAGS = ("warn_nik", "warn_duplicate", "warn_under_age")
RESIDENT_COLUMNS = (*(name for name in FIELDS if not name.startswith("dob")), *DERIVED, *FLAGS)
LIST_SENT = (
    "Daftar ini sudah dikirim, jadi tidak bisa diubah lagi di sini. "
    "Perbaikan per warga bisa dilakukan jika petugas memintanya."
)


def now() -> datetime:
    return datetime.now(UTC)


def resident_values(checked: CheckedResident) -> dict[str, Any]:
    return {name: checked.values.get(name) for name in RESIDENT_COLUMNS}


def new_resident(own: OwnList, checked: CheckedResident, moment: datetime) -> Resident:
    area = own.area
    return Resident(
        resident_list=own.id,
        office=area.office_id,
        kecamatan=area.kecamatan_id,
        village=area.village_id,
        status="draft",
        created_at=moment,
        updated_at=moment,
        **resident_values(checked),
    )


def require_draft(own: OwnList) -> None:
    if not own.is_draft:
        raise Conflict(LIST_SENT)


async def touch(own: OwnList, moment: datetime) -> None:
    await ResidentList.update({ResidentList.updated_at: moment}).where(ResidentList.id == own.id)


# ---------------------------------------------------------------- checking


async def check_row(
    own: OwnList, raw: dict[str, Any], *, resident_id: int | None = None, partial: bool = False
) -> CheckedResident:
    """A row validated and checked for duplicates against this list and the village."""
    checked = check_resident(raw, own.area, today=today_local(), partial=partial)
    if not checkable(checked):
        return no_duplicates(checked)
    candidate = candidate_for("row", checked, resident_id=resident_id)
    found = await find_duplicates(own.id, own.area, [candidate])
    return apply_duplicates(checked, found["row"])


@dataclass
class FieldCheck:
    checked: CheckedResident
    resident: Resident | None  # the resident being edited, None for the add form


async def check_field(
    access: Scope, own: OwnList, resident: Resident | None, raw: dict[str, Any], token: str
) -> FieldCheck:
    """A field was left: keep the whole form (autosave) and check it as typed so far."""
    if resident is not None and resident.status not in EDITABLE_STATUSES:
        raise NotFound()
    if resident is None and not own.is_draft:
        raise NotFound()
    resident_id = resident.id if resident else None
    await autosave(access, own, resident_id, {**raw, "_token": token})
    merged = with_saved_nik(raw, resident.nik) if resident else raw
    checked = await check_row(own, merged, resident_id=resident_id, partial=True)
    checked.raw = dict(raw)
    return FieldCheck(checked, resident)


# ---------------------------------------------------------------- adding, editing, removing


@dataclass
class Added:
    checked: CheckedResident
    resident_id: int | None  # None: the row has errors and was not stored


async def add_resident(access: Scope, own: OwnList, raw: dict[str, Any], *, token: str) -> Added:
    """Validate and store one row in a draft list. A resend of the form returns the row
    the first request stored; the same token with other values raises FormTokenReused
    (nothing stored). A row with errors is not stored, and its input is kept (autosave)."""
    require_draft(own)
    if token and (existing := await form_tokens.recall(token, "resident.add", access.user_id, raw)):
        return Added(check_resident(raw, own.area, today=today_local()), existing)
    checked = await check_row(own, raw)
    if not checked.ok:
        await autosave(access, own, None, {**raw, "_token": token})
        return Added(checked, None)

    async def create() -> int:
        moment = now()
        resident = new_resident(own, checked, moment)
        await resident.save()
        await DraftEntry.delete().where(DraftEntry.key == draft_key(own, None))
        await touch(own, moment)
        await record(access, "resident.add", own, resident.id)
        return resident.id

    resident_id = await form_tokens.act_once(token, "resident.add", access.user_id, raw, create)
    return Added(checked, resident_id)


async def check_edit(
    access: Scope, own: OwnList, resident: Resident, raw: dict[str, Any]
) -> CheckedResident:
    """An edit of a stored resident checked (a blank NIK keeps the saved one). With errors
    the input is kept (autosave) and shown back as typed, without the saved NIK."""
    checked = await check_row(own, with_saved_nik(raw, resident.nik), resident_id=resident.id)
    if not checked.ok:
        await autosave(access, own, resident.id, raw)
        checked.raw = dict(raw)
    return checked


def changes(checked: CheckedResident) -> dict[Any, Any]:
    return {getattr(Resident, k): v for k, v in resident_values(checked).items()}


async def update_resident(
    access: Scope, own: OwnList, resident: Resident, raw: dict[str, Any]
) -> CheckedResident:
    """Save an edit of a draft row; a row with errors is not saved, its input is kept."""
    require_draft(own)
    checked = await check_edit(access, own, resident, raw)
    if not checked.ok:
        return checked
    async with write_transaction():
        moment = now()
        await Resident.update(
            {
                **changes(checked),
                Resident.updated_at: moment,
                Resident.version: Resident.version + 1,
            }
        ).where(Resident.id == resident.id, Resident.status == "draft")
        await DraftEntry.delete().where(DraftEntry.key == draft_key(own, resident.id))
        await touch(own, moment)
        await record(access, "resident.update", own, resident.id)
    return checked


async def remove_resident(access: Scope, own: OwnList, resident: Resident) -> None:
    require_draft(own)
    async with write_transaction():
        await ResidentEvent.delete().where(ResidentEvent.resident == resident.id)
        await DraftEntry.delete().where(DraftEntry.key == draft_key(own, resident.id))
        await Resident.delete().where(Resident.id == resident.id, Resident.status == "draft")
        await touch(own, now())
        await record(access, "resident.remove", own, resident.id)


# ---------------------------------------------------------------- autosaved form input


def draft_key(own: OwnList, resident_id: int | None) -> str:
    return f"{own.id}:{resident_id or 'new'}"


async def autosave(
    access: Scope, own: OwnList, resident_id: int | None, fields: dict[str, Any]
) -> None:
    """What was typed into a form, kept until it is saved (a closed tab loses nothing).
    Not audited: nothing is stored on the list yet. The field check of a form that has
    meanwhile been saved can arrive late on slow data; it must not bring the saved person
    (and their spent token) back as the next form's "unsaved input"."""
    if resident_id is None and await form_tokens.has_acted(
        fields.get("_token", ""), access.user_id
    ):
        return
    entry = DraftEntry(
        key=draft_key(own, resident_id),
        resident_list=own.id,
        owner=access.user_id,
        fields=fields,
        updated_at=now(),
    )
    async with write_transaction():
        await DraftEntry.insert(entry).on_conflict(
            target=DraftEntry.key,
            action="DO UPDATE",
            values=[DraftEntry.fields, DraftEntry.updated_at],
        )


async def keep_refused_input(access: Scope, own: OwnList, raw: dict[str, Any]) -> str:
    """A form whose token already saved someone else came back with other values: keep
    them on a fresh form (new token), to be saved on purpose. Returns the new token."""
    token = form_tokens.new_token()
    await autosave(access, own, None, {**raw, "_token": token})
    return token


async def saved_input(own: OwnList, resident_id: int | None) -> dict[str, Any] | None:
    row = (
        await DraftEntry.select(DraftEntry.fields)
        .where(DraftEntry.key == draft_key(own, resident_id))
        .output(load_json=True)
        .first()
    )
    if row is None:
        return None
    fields = row["fields"]
    # A late autosave that raced the save it belonged to (see ``autosave``).
    owner = fk_id(own.row.coordinator)
    if (
        resident_id is None
        and owner
        and await form_tokens.has_acted(fields.get("_token", ""), owner)
    ):
        return None
    return fields


async def discard_input(own: OwnList, resident_id: int | None) -> None:
    async with write_transaction():
        await DraftEntry.delete().where(DraftEntry.key == draft_key(own, resident_id))

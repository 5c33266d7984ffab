"""The office's recording kits and the operators who run them (``staff:kits``).

A kit is one set of camera, fingerprint and iris scanners, PC and printer, about Rp 160 juta
(S004), so an office has a handful and every session needs one. Kits and operators are
deactivated, never deleted: past sessions keep the kit they used (the foreign key refuses a
delete anyway). Edits carry the version the officer saw, so a stale form is refused rather
than overwriting a colleague's change; a new kit or operator carries a one-time form token,
so a double tap stores one.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Annotated, Any

from piccolo.query.functions.aggregate import Count

from portal.domain import audit, form_tokens
from portal.domain.errors import Conflict, Invalid, NotFound
from portal.domain.inputs import Limit
from portal.domain.regions import OfficeRef
from portal.domain.scope import Scope
from portal.domain.transactions import UNIQUE_VIOLATIONS, write_transaction
from portal.rules.phone import PhoneError, format_phone_national, normalise_phone
from portal.staff.inputs import Checks
from portal.tables.kits import KitOperator, RecordingKit, SessionOperator, SessionPlan
from portal.tables.outreach import OutreachSession

NAME_MAX, SERIAL_MAX, NOTES_MAX, OPERATOR_NAME_MAX = 100, 100, 1000, 120
NAME_TAKEN = "Nama ini sudah dipakai alat rekam lain di kantor ini; beri nama yang berbeda"
CHANGED = (
    "Data ini baru saja diubah petugas lain. Yang tampil sekarang adalah data terbaru; "
    "ubah lagi bila perlu."
)
Token = Annotated[str, Limit(form_tokens.MAX_LENGTH)]


def now() -> datetime:
    return datetime.now(UTC)


# --- Input ------------------------------------------------------------------------------------


@dataclass
class KitInput:
    """The kit form as typed. ``active`` is on the edit form only: a new kit is in use."""

    name: Annotated[str, Limit(NAME_MAX + 1)] = ""
    serial: Annotated[str, Limit(SERIAL_MAX + 1)] = ""
    notes: Annotated[str, Limit(NOTES_MAX + 1)] = ""
    active: bool = False
    version: int = 0
    kantor: str = ""  # an admin's choice of office for a new kit
    _token: Token = ""

    def values(self) -> dict[str, Any]:
        c = Checks(self)
        name = c.text("name", "Nama alat rekam", limit=NAME_MAX, required=True)
        return c.values(
            {
                "name": " ".join(name.split()),
                "serial": c.text("serial", "Nomor seri", limit=SERIAL_MAX),
                "notes": c.text("notes", "Catatan", limit=NOTES_MAX),
            }
        )


@dataclass
class OperatorInput:
    full_name: Annotated[str, Limit(OPERATOR_NAME_MAX + 1)] = ""
    phone: str = ""
    active: bool = False
    version: int = 0
    kantor: str = ""
    _token: Token = ""

    def values(self) -> dict[str, Any]:
        c = Checks(self)
        name = c.text("full_name", "Nama operator", limit=OPERATOR_NAME_MAX, required=True)
        phone = None
        if self.phone:
            try:
                phone = normalise_phone(self.phone)
            except PhoneError as exc:
                c.errors["phone"] = exc.message
        return c.values({"full_name": " ".join(name.split()), "phone": phone})


def kit_input(row: dict) -> KitInput:
    """The edit form of a saved kit."""
    return KitInput(row["name"], row["serial"], row["notes"], row["active"], row["version"])


def operator_input(row: dict) -> OperatorInput:
    phone = row["phone"] or ""
    with suppress(PhoneError):  # stored before the rule changed: shown as stored
        phone = format_phone_national(phone) if phone else ""
    return OperatorInput(row["full_name"], phone, row["active"], row["version"])


# --- Reading ----------------------------------------------------------------------------------


@dataclass
class KitsView:
    kits: list[dict]  # each with its office's short name and its upcoming sessions
    operators: list[dict]
    offices: list[OfficeRef] = field(default_factory=list)  # the offices shown
    new_office: OfficeRef | None = None  # where a new kit or operator goes (None: admin chooses)

    @property
    def several_offices(self) -> bool:
        return len(self.offices) > 1


async def upcoming_use(kit_ids: list[int], today: date) -> dict[int, int]:
    """How many sessions from ``today`` on (not cancelled) each kit is planned for."""
    if not kit_ids:
        return {}
    rows = (
        await SessionPlan.select(SessionPlan.kit, Count(SessionPlan.id, alias="n"))
        .where(
            SessionPlan.kit.is_in(kit_ids),
            SessionPlan.session.day >= today,
            SessionPlan.session._.cancelled.eq(False),
        )
        .group_by(SessionPlan.kit)
    )
    return {row["kit"]: row["n"] for row in rows}


async def kits(access: Scope, today: date) -> KitsView:
    """The kits and operators of the offices listed (staff: theirs; admin: the chosen one or
    all), active first."""
    access.require_staff()
    kit_rows = (
        await RecordingKit.select()
        .where(access.office_where(RecordingKit.office))
        .order_by(RecordingKit.office)
        .order_by(RecordingKit.active, ascending=False)
        .order_by(RecordingKit.name)
    )
    operator_rows = (
        await KitOperator.select(*KitOperator.all_columns(exclude=[KitOperator.user]))
        .where(access.office_where(KitOperator.office))
        .order_by(KitOperator.office)
        .order_by(KitOperator.active, ascending=False)
        .order_by(KitOperator.full_name)
    )
    use = await upcoming_use([k["id"] for k in kit_rows], today)
    for row in kit_rows:
        row["office_name"] = access.office(row["office"]).short_name
        row["upcoming"] = use.get(row["id"], 0)
    for row in operator_rows:
        row["office_name"] = access.office(row["office"]).short_name
    offices = [o for o in access.offices if o.id in access.listing_ids]
    return KitsView(kit_rows, operator_rows, offices, access.single_office())


async def _one(access: Scope, table: Any, item_id: int, *columns: Any) -> dict:
    """One kit or operator (``table``) of the scope's offices; NotFound for any other (a
    guessed id tells nothing)."""
    in_scope = access.require_staff().office_where(table.office, listing=False)
    row = await table.select(*columns).where(table.id == item_id, in_scope).first()
    if row is None:
        raise NotFound()
    return row


async def kit(access: Scope, kit_id: int) -> dict:
    return await _one(access, RecordingKit, kit_id)


async def operator(access: Scope, operator_id: int) -> dict:
    return await _one(
        access, KitOperator, operator_id, *KitOperator.all_columns(exclude=[KitOperator.user])
    )


async def coming_sessions(what: str, item_id: int, today: date) -> list[dict]:
    """The sessions from today on (not cancelled) that take the kit (``what`` "kit") or the
    operator, so one taken out of use shows what to re-plan."""
    holding = (
        SessionPlan.select(SessionPlan.session).where(SessionPlan.kit == item_id)
        if what == "kit"
        else SessionOperator.select(SessionOperator.session).where(
            SessionOperator.operator == item_id
        )
    )
    return (
        await OutreachSession.select(
            OutreachSession.id,
            OutreachSession.title,
            OutreachSession.place,
            OutreachSession.day,
            OutreachSession.starts,
            OutreachSession.ends,
        )
        .where(
            OutreachSession.id.is_in(holding),
            OutreachSession.day >= today,
            OutreachSession.cancelled.eq(False),
        )
        .order_by(OutreachSession.day)
        .order_by(OutreachSession.starts)
    )


# --- Writing ----------------------------------------------------------------------------------


def office_for_new(access: Scope, kantor: str) -> OfficeRef:
    office = access.require_staff().choose(kantor).single_office()
    if office is None:
        raise Invalid({"kantor": "Pilih kantor pemilik"})
    return office


async def _name_taken(office_id: int, name: str, kit_id: int | None = None) -> bool:
    # Case and spacing do not make another kit: "Alat Keliling" is "alat keliling".
    rows = await RecordingKit.select(RecordingKit.id, RecordingKit.name).where(
        RecordingKit.office == office_id
    )
    return any(r["name"].casefold() == name.casefold() and r["id"] != kit_id for r in rows)


async def create_kit(access: Scope, form: KitInput) -> int:
    """A new kit of the staff's office (an admin names the office); Invalid with the form's
    problems. A resend of the same form returns the kit it made."""
    office = office_for_new(access, form.kantor)
    values = form.values()

    async def create() -> int:
        if await _name_taken(office.id, values["name"]):
            raise Invalid({"name": NAME_TAKEN})
        return await _insert(
            access, RecordingKit, office, values, "kit.create", {"name": values["name"]}
        )

    raw = {**values, "kantor": office.slug}
    try:
        return await form_tokens.act_once(form._token, "kit.create", access.user_id, raw, create)
    except UNIQUE_VIOLATIONS:  # a colleague saved the same name a moment earlier
        raise Invalid({"name": NAME_TAKEN}) from None


async def update_kit(access: Scope, kit_id: int, form: KitInput) -> None:
    """Change a kit if it is still as the form showed it (``version``); Conflict otherwise."""
    values = {**form.values(), "active": form.active}
    try:
        async with write_transaction():
            row = await kit(access, kit_id)
            if await _name_taken(row["office"], values["name"], kit_id):
                raise Invalid({"name": NAME_TAKEN})
            detail = {"name": values["name"], "active": form.active}
            await _update(access, RecordingKit, row, values, form.version, "kit.update", detail)
    except UNIQUE_VIOLATIONS:
        raise Invalid({"name": NAME_TAKEN}) from None


async def create_operator(access: Scope, form: OperatorInput) -> int:
    office = office_for_new(access, form.kantor)
    values = form.values()

    async def create() -> int:
        # Ids only: an operator's name and number stay out of the log.
        detail = {"phone": bool(values["phone"])}
        return await _insert(access, KitOperator, office, values, "operator.create", detail)

    raw = {**values, "kantor": office.slug}
    return await form_tokens.act_once(form._token, "operator.create", access.user_id, raw, create)


async def update_operator(access: Scope, operator_id: int, form: OperatorInput) -> None:
    values = {**form.values(), "active": form.active}
    async with write_transaction():
        row = await operator(access, operator_id)
        detail = {"active": form.active}
        await _update(access, KitOperator, row, values, form.version, "operator.update", detail)


async def _insert(
    access: Scope,
    table: Any,
    office: OfficeRef,
    values: dict[str, Any],
    action: str,
    detail: dict[str, Any],
) -> int:
    """A new kit or operator (``table``) of ``office``, in use, with its audit line; its id."""
    moment = now()
    row = table(office=office.id, active=True, created_at=moment, updated_at=moment, **values)
    await row.save()
    await audit.record(
        access.actor,
        action,
        office_id=office.id,
        object_type=table._meta.tablename,
        object_id=row.id,
        detail=detail,
    )
    return row.id


async def _update(
    access: Scope,
    table: Any,
    row: dict,
    values: dict[str, Any],
    version: int,
    action: str,
    detail: dict[str, Any],
) -> None:
    """Write ``values`` to a kit or operator if it is still at ``version`` (Conflict
    otherwise), with its audit line naming the fields that changed."""
    changed = sorted(k for k, v in values.items() if row[k] != v)
    updated = (
        await table.update(
            {
                **{getattr(table, k): v for k, v in values.items()},
                table.version: table.version + 1,
                table.updated_at: now(),
            }
        )
        .where(table.id == row["id"], table.version == version)
        .returning(table.id)
    )
    if not updated:
        raise Conflict(CHANGED)
    object_type = table._meta.tablename
    await audit.record(
        access.actor,
        action,
        office_id=row["office"],
        object_type=object_type,
        object_id=row["id"],
        detail={**detail, "changed": changed},
    )

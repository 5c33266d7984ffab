"""A session's plan: the recording kit it takes, its operators, and for a school the number
of students expected (what it recorded: ``session_progress``).

The session service (``portal.staff.session``) reads the plan's fields with the rest of its
form and calls ``save_plan`` inside its own write transaction, so a session and its plan are
stored together or not at all. ``save_plan`` locks the kit's row (and the operators' rows)
before it looks for a clash: on PostgreSQL two officers planning the same kit at the same
moment are put one after the other (``SELECT … FOR UPDATE``), and the second sees the
first's session; SQLite's IMMEDIATE write transaction already runs writers one at a time.
A cancelled session holds nothing, so cancelling frees its kit without touching the plan.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from portal.domain.errors import Invalid
from portal.domain.scope import Scope
from portal.domain.transactions import is_postgres
from portal.rules.booking import Booking, Slot, clash_message, find_clash
from portal.staff.scheduling import record_session
from portal.tables.kits import KitOperator, RecordingKit, SessionOperator, SessionPlan

SCHOOL = "sekolah"
TARGET_MAX = 10_000


def now() -> datetime:
    return datetime.now(UTC)


# --- Pure: reading the form --------------------------------------------------


@dataclass(frozen=True)
class Choices:
    """What the session form offers: the office's kits and operators in use, plus those the
    session already has (a kit taken out of use stays on the sessions that had it)."""

    kits: list[dict] = field(default_factory=list)  # id, name, serial, active
    operators: list[dict] = field(default_factory=list)  # id, full_name, active
    has_kits: bool = False  # the office has a kit in use: a session must take one

    @property
    def kit_options(self) -> list[tuple[int, str]]:
        return [(k["id"], kit_label(k)) for k in self.kits]


def kit_label(kit: dict) -> str:
    serial = f" (no. seri {kit['serial']})" if kit.get("serial") else ""
    return kit["name"] + serial + ("" if kit["active"] else " – tidak dipakai lagi")


@dataclass(frozen=True)
class PlanInput:
    kit_id: int | None = None
    operator_ids: tuple[int, ...] = ()
    target_students: int | None = None


def kit_required(choices: Choices, session_day: date | None, today: date) -> bool:
    """A new or coming session needs a kit once the office has one in use; a past session
    planned before the office listed its kits may stay without."""
    return choices.has_kits and (session_day is None or session_day >= today)


def number(text: str) -> int | None:
    cleaned = text.strip().replace(".", "").replace(" ", "")
    return int(cleaned) if cleaned.isascii() and cleaned.isdigit() and len(cleaned) < 9 else None


def read_plan(
    kit: str,
    operators: Iterable[str],
    target: str,
    kind: str,
    choices: Choices,
    required: bool,
) -> tuple[PlanInput, dict[str, str]]:
    """The plan fields as typed → the plan and a message per bad field."""
    errors: dict[str, str] = {}
    kit_id = number(kit) if kit else None
    if kit and kit_id not in {k["id"] for k in choices.kits}:
        errors["kit"] = "Pilih alat rekam dari daftar"
    elif kit_id is None and required:
        errors["kit"] = "Pilih alat rekam yang dipakai sesi ini"
    picked = [o for o in operators if o]
    operator_ids = {number(o) for o in picked}
    if not operator_ids <= {o["id"] for o in choices.operators}:
        errors["operators"] = "Pilih operator dari daftar"
    target_students = None
    if target.strip():
        target_students = number(target)
        if kind != SCHOOL:
            errors["target_students"] = (
                "Target siswa hanya untuk sesi jenis Sekolah; kosongkan kolom ini"
            )
        elif target_students is None or not 1 <= target_students <= TARGET_MAX:
            errors["target_students"] = f"Target siswa harus angka 1 sampai {TARGET_MAX:,}".replace(
                ",", "."
            )
    ids = tuple(sorted(i for i in operator_ids if i is not None))
    return PlanInput(kit_id if "kit" not in errors else None, ids, target_students), errors


# --- The form's offer ---------------------------------------------------------------------------


async def choices(office_id: int, session_id: int | None = None) -> Choices:
    current = await _current(session_id) if session_id else PlanInput()
    kits = (
        await RecordingKit.select(
            RecordingKit.id, RecordingKit.name, RecordingKit.serial, RecordingKit.active
        )
        .where(
            RecordingKit.office == office_id,
            RecordingKit.active.eq(True) | (RecordingKit.id == (current.kit_id or -1)),
        )
        .order_by(RecordingKit.name)
    )
    operators = (
        await KitOperator.select(KitOperator.id, KitOperator.full_name, KitOperator.active)
        .where(
            KitOperator.office == office_id,
            KitOperator.active.eq(True) | KitOperator.id.is_in(list(current.operator_ids) or [-1]),
        )
        .order_by(KitOperator.full_name)
    )
    return Choices(kits, operators, any(k["active"] for k in kits))


async def _current(session_id: int) -> PlanInput:
    plan = await (
        SessionPlan.select(SessionPlan.kit, SessionPlan.target_students)
        .where(SessionPlan.session == session_id)
        .first()
    )
    operators = await SessionOperator.select(SessionOperator.operator).where(
        SessionOperator.session == session_id
    )
    return PlanInput(
        plan["kit"] if plan else None,
        tuple(sorted(o["operator"] for o in operators)),
        plan["target_students"] if plan else None,
    )


async def form_values(session_id: int) -> dict[str, Any]:
    """The plan as the session form holds it (text)."""
    plan = await _current(session_id)
    return {
        "kit": str(plan.kit_id or ""),
        "operators": [str(o) for o in plan.operator_ids],
        "target_students": str(plan.target_students or ""),
    }


# --- Saving, inside the session's transaction ---------------------------------------------------


def for_update(query: Any) -> Any:
    """The rows ``query`` reads, locked until the transaction ends (PostgreSQL). SQLite has
    no row locks; its IMMEDIATE write transaction already holds the whole database."""
    return query.lock_rows() if is_postgres() else query


async def lock_resources(plan: PlanInput) -> dict[tuple[str, int], str]:
    """Lock the kit, then the operators in id order (one order for everyone, so two
    transactions cannot wait on each other); returns their names."""
    names: dict[tuple[str, int], str] = {}
    if plan.kit_id is not None:
        kits = await for_update(
            RecordingKit.select(RecordingKit.id, RecordingKit.name).where(
                RecordingKit.id == plan.kit_id
            )
        )
        names.update({("kit", k["id"]): k["name"] for k in kits})
    if plan.operator_ids:
        operators = await for_update(
            KitOperator.select(KitOperator.id, KitOperator.full_name)
            .where(KitOperator.id.is_in(list(plan.operator_ids)))
            .order_by(KitOperator.id)
        )
        names.update({("operator", o["id"]): o["full_name"] for o in operators})
    return names


async def bookings(resource: str, resource_id: int, day: date) -> list[Booking]:
    """The sessions not cancelled that hold the kit (or operator) on ``day``."""
    table: Any = SessionPlan if resource == "kit" else SessionOperator
    link = SessionPlan.kit if resource == "kit" else SessionOperator.operator
    rows = await table.select(
        table.session.id.as_alias("id"),
        table.session.title.as_alias("title"),
        table.session.place.as_alias("place"),
        table.session.starts.as_alias("starts"),
        table.session.ends.as_alias("ends"),
    ).where(
        link == resource_id,
        table.session.day == day,
        table.session.cancelled.eq(False),
    )
    return [
        Booking(r["id"], r["title"], r["place"], Slot(day, r["starts"], r["ends"])) for r in rows
    ]


async def clashes(session_id: int | None, slot: Slot, plan: PlanInput) -> dict[str, str]:
    """A message per field whose kit or operator is already taken at ``slot``."""
    names = await lock_resources(plan)
    errors: dict[str, str] = {}
    if plan.kit_id is not None:
        clash = find_clash(
            slot, await bookings("kit", plan.kit_id, slot.day), exclude_session=session_id
        )
        if clash:
            errors["kit"] = clash_message("kit", names[("kit", plan.kit_id)], clash)
    for operator_id in plan.operator_ids:
        found = await bookings("operator", operator_id, slot.day)
        clash = find_clash(slot, found, exclude_session=session_id)
        if clash:
            errors["operators"] = clash_message("operator", names[("operator", operator_id)], clash)
            break
    return errors


async def save_plan(
    access: Scope,
    session_id: int,
    office_id: int,
    slot: Slot,
    plan: PlanInput,
    *,
    new: bool,
) -> None:
    """Store the plan of a session just created or changed, in the caller's transaction:
    Invalid (naming the clashing session) when its kit or an operator is taken then."""
    errors = await clashes(None if new else session_id, slot, plan)
    if errors:
        raise Invalid(errors)
    before = PlanInput() if new else await _current(session_id)
    if before == plan:
        return
    moment = now()
    row = await SessionPlan.select(SessionPlan.id).where(SessionPlan.session == session_id).first()
    if row is None:
        await SessionPlan(
            session=session_id,
            kit=plan.kit_id,
            target_students=plan.target_students,
            updated_by=access.actor.user_id,
            created_at=moment,
            updated_at=moment,
        ).save()
    else:
        await SessionPlan.update(
            {
                SessionPlan.kit: plan.kit_id,
                SessionPlan.target_students: plan.target_students,
                SessionPlan.updated_by: access.actor.user_id,
                SessionPlan.updated_at: moment,
                SessionPlan.version: SessionPlan.version + 1,
            }
        ).where(SessionPlan.session == session_id)
    if before.operator_ids != plan.operator_ids:
        await SessionOperator.delete().where(SessionOperator.session == session_id)
        if plan.operator_ids:
            await SessionOperator.insert(
                *[SessionOperator(session=session_id, operator=o) for o in plan.operator_ids]
            )
    detail = {
        "kit": plan.kit_id,
        "operators": list(plan.operator_ids),
        "target_students": plan.target_students,
    }
    await record_session(access, "session.plan", office_id, session_id, detail)

"""What a session recorded: people of coordinator lists marked "sudah rekam" in it, plus
those recorded on the spot without a list (a count staff enter), and for a school the
students expected (``session_plans``). The session page, the sessions list and its school
summary read it here, so the 1,423 students of nine Kota schools (S000) can be followed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Annotated, Any

from piccolo.query.functions.aggregate import Count, Sum

from portal.domain.errors import Conflict, Invalid
from portal.domain.inputs import Limit
from portal.domain.scope import Scope
from portal.domain.transactions import UNIQUE_VIOLATIONS, write_transaction
from portal.staff.scheduling import record_session, session_in_scope
from portal.staff.session_plans import SCHOOL, for_update, number
from portal.tables.kits import SessionOperator, SessionPlan
from portal.tables.lookup import rows_by
from portal.tables.outreach import OutreachSession
from portal.tables.residents import Resident

WALK_INS_MAX = 10_000
RECORDED = "sudah_rekam"


def now() -> datetime:
    return datetime.now(UTC)


# --- Pure -------------------------------------------------------------------------------------


def school_year(day: date) -> tuple[date, date]:
    """The Indonesian school year (tahun ajaran) holding ``day``: 1 July to 30 June. School
    drives run by it (S001: from 19 July 2024; S000: from early October 2025)."""
    start = date(day.year if day.month >= 7 else day.year - 1, 7, 1)
    return start, date(start.year + 1, 6, 30)


def percent(part: int, whole: int | None) -> int | None:
    return round(100 * part / whole) if whole else None


# --- Reading: one session, the listing, the school summary --------------------------------------


@dataclass
class PlanSummary:
    kit_name: str = ""
    kit_active: bool = True
    target: int | None = None
    walk_ins: int = 0
    from_lists: int = 0  # residents of coordinator lists recorded in the session

    @property
    def recorded(self) -> int:
        return self.from_lists + self.walk_ins

    @property
    def percent(self) -> int | None:
        return percent(self.recorded, self.target)


@dataclass
class PlanView(PlanSummary):
    kit_id: int | None = None
    kit_serial: str = ""
    operators: list[dict] = field(default_factory=list)
    version: int = 0  # of the plan row, 0 when the session has none yet


async def recorded_from_lists(session_ids: list[int]) -> dict[int, int]:
    if not session_ids:
        return {}
    rows = (
        await Resident.select(Resident.outreach_session, Count(Resident.id, alias="n"))
        .where(Resident.outreach_session.is_in(session_ids), Resident.status == RECORDED)
        .group_by(Resident.outreach_session)
    )
    return {row["outreach_session"]: row["n"] for row in rows}


async def _plans(session_ids: list[int]) -> dict[int, dict]:
    return await rows_by(
        SessionPlan.session,
        session_ids,
        SessionPlan.session,
        SessionPlan.kit,
        SessionPlan.kit.name.as_alias("kit_name"),
        SessionPlan.kit.serial.as_alias("kit_serial"),
        SessionPlan.kit.active.as_alias("kit_active"),
        SessionPlan.target_students,
        SessionPlan.walk_in_recorded,
        SessionPlan.version,
    )


def _summary(cls: type, plan: dict | None, from_lists: int, **more: Any) -> Any:
    if plan is None:
        return cls(from_lists=from_lists, **more)
    return cls(
        kit_name=plan["kit_name"] or "",
        kit_active=bool(plan["kit_active"]) if plan["kit"] else True,
        target=plan["target_students"],
        walk_ins=plan["walk_in_recorded"],
        from_lists=from_lists,
        **more,
    )


async def annotate(rows: list[dict]) -> None:
    """Give each listed session its ``plan`` (kit, target, recorded): two queries."""
    ids = [row["id"] for row in rows]
    plans, counts = await _plans(ids), await recorded_from_lists(ids)
    for row in rows:
        row["plan"] = _summary(PlanSummary, plans.get(row["id"]), counts.get(row["id"], 0))


async def plan_view(session_id: int) -> PlanView:
    plan = (await _plans([session_id])).get(session_id)
    operators = await SessionOperator.select(
        SessionOperator.operator.id.as_alias("id"),
        SessionOperator.operator.full_name.as_alias("full_name"),
        SessionOperator.operator.active.as_alias("active"),
    ).where(SessionOperator.session == session_id)
    more: dict[str, Any] = {"operators": sorted(operators, key=lambda o: o["full_name"])}
    if plan:
        more.update(
            kit_id=plan["kit"], kit_serial=plan["kit_serial"] or "", version=plan["version"]
        )
    from_lists = (await recorded_from_lists([session_id])).get(session_id, 0)
    return _summary(PlanView, plan, from_lists, **more)


@dataclass(frozen=True)
class SchoolSummary:
    start: date
    end: date
    sessions: int
    with_target: int
    target: int
    recorded: int

    @property
    def label(self) -> str:
        return f"{self.start.year}/{self.end.year}"

    @property
    def percent(self) -> int | None:
        return percent(self.recorded, self.target)


async def school_summary(access: Scope, today: date) -> SchoolSummary:
    """School sessions of this school year in the offices listed, not cancelled: how many,
    the students expected and those recorded (from lists and without)."""
    start, end = school_year(today)
    sessions = OutreachSession.select(OutreachSession.id).where(
        access.office_where(OutreachSession.office),
        OutreachSession.kind == SCHOOL,
        OutreachSession.cancelled.eq(False),
        OutreachSession.day >= start,
        OutreachSession.day <= end,
    )
    count = await OutreachSession.count().where(OutreachSession.id.is_in(sessions))
    totals = await (
        SessionPlan.select(
            Sum(SessionPlan.target_students, alias="target"),
            Sum(SessionPlan.walk_in_recorded, alias="walk_ins"),
            Count(SessionPlan.target_students, alias="with_target"),
        )
        .where(SessionPlan.session.is_in(sessions))
        .first()
    )
    listed = await Resident.count().where(
        Resident.outreach_session.is_in(sessions), Resident.status == RECORDED
    )
    totals = totals or {}
    return SchoolSummary(
        start,
        end,
        count,
        totals.get("with_target") or 0,
        totals.get("target") or 0,
        listed + (totals.get("walk_ins") or 0),
    )


# --- Recorded without a list ---------------------------------------------------------------------


@dataclass
class WalkInInput:
    count: Annotated[str, Limit(12)] = ""
    version: int = 0


async def record_walk_ins(access: Scope, session_id: int, form: WalkInInput, today: date) -> int:
    """Set how many people the session recorded on the spot without being on a list (a
    total, so sending the form twice counts them once). Returns the number."""
    count = number(form.count) if form.count.strip() else None
    if count is None or count > WALK_INS_MAX:
        raise Invalid(
            {"count": f"Tulis jumlah berupa angka 0 sampai {WALK_INS_MAX:,}".replace(",", ".")}
        )
    try:
        async with write_transaction():
            session = await session_in_scope(access.require_staff(), session_id)
            if session["cancelled"]:
                raise Invalid({"count": "Sesi ini dibatalkan"})
            if session["day"] > today:
                raise Invalid({"count": "Jumlah yang direkam bisa dicatat mulai hari sesi"})
            # The session's row, as an edit of the session holds it, so the two never make
            # its plan row side by side.
            await for_update(
                OutreachSession.select(OutreachSession.id).where(OutreachSession.id == session_id)
            )
            before = await _write_walk_ins(access, session_id, count, form.version)
            detail = {"count": count, "before": before}
            await record_session(access, "session.walk_ins", session["office"], session_id, detail)
    except UNIQUE_VIOLATIONS:  # a colleague made the plan row a moment earlier
        raise Conflict(WALK_INS_CHANGED) from None
    return count


WALK_INS_CHANGED = "Jumlah ini baru saja diubah petugas lain; periksa lalu simpan lagi."


async def _write_walk_ins(access: Scope, session_id: int, count: int, version: int) -> int:
    row = await (
        SessionPlan.select(SessionPlan.walk_in_recorded, SessionPlan.version)
        .where(SessionPlan.session == session_id)
        .first()
    )
    moment = now()
    if row is None:
        if version != 0:
            raise Conflict(WALK_INS_CHANGED)
        await SessionPlan(
            session=session_id,
            walk_in_recorded=count,
            updated_by=access.actor.user_id,
            created_at=moment,
            updated_at=moment,
        ).save()
        return 0
    updated = (
        await SessionPlan.update(
            {
                SessionPlan.walk_in_recorded: count,
                SessionPlan.updated_by: access.actor.user_id,
                SessionPlan.updated_at: moment,
                SessionPlan.version: SessionPlan.version + 1,
            }
        )
        .where(SessionPlan.session == session_id, SessionPlan.version == version)
        .returning(SessionPlan.id)
    )
    if not updated:
        raise Conflict(WALK_INS_CHANGED)
    return row["walk_in_recorded"]

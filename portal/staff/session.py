"""Jemput bola sessions: the listing, one session with its roster, the create/edit form
saved with its areas, cancelling, and ticking who came.

Public sessions appear on the public schedule, so every change to a session that is (or
was) public bumps the site revision and the public pages change at once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Annotated, Any

from portal.clock import today_local
from portal.content.load import bump_revision
from portal.domain import form_tokens, vocabulary
from portal.domain.errors import Invalid
from portal.domain.inputs import Limit
from portal.domain.regions import OfficeRef, RegionTree, region_tree
from portal.domain.scope import Scope
from portal.domain.transactions import write_transaction
from portal.rules.booking import Slot
from portal.rules.dates import DateError, parse_date_text
from portal.staff import session_plans, session_progress, triage
from portal.staff.charts import Chart, fill_bar
from portal.staff.inputs import from_row
from portal.staff.scheduling import (
    SESSION_COLUMNS,
    mark_attendance,
    record_session,
    roster,
    session_in_scope,
)
from portal.staff.triage import Outcome, apply_moves
from portal.tables.locations import Location
from portal.tables.outreach import OutreachArea, OutreachSession
from portal.tables.residents import Resident

PAST_LIMIT = 100
_HHMM = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")
TEXT_LIMITS = {"title": 200, "place": 200, "address": 500, "audience": 500, "notes": 2000}


def _over(name: str) -> Limit:
    # One character more than allowed is read, so "too long" is said rather than cut.
    return Limit(TEXT_LIMITS[name] + 1)


@dataclass
class SessionInput:
    """What the officer typed (kept as text so a bad value is shown back as typed)."""

    kind: str = "kelurahan"
    title: Annotated[str, _over("title")] = ""
    place: Annotated[str, _over("place")] = ""
    address: Annotated[str, _over("address")] = ""
    location: str = ""
    day: str = ""
    starts: str = "08:00"
    ends: str = "12:00"
    capacity: str = "0"
    audience: Annotated[str, _over("audience")] = ""
    registration_via_rt: bool = True
    public: bool = True
    notes: Annotated[str, _over("notes")] = ""
    areas: list[str] = field(default_factory=list)
    kantor: str = ""  # an admin's choice of office for a new session
    # The plan (portal.staff.session_plans): kit, operators, students expected at a school.
    kit: str = ""
    operators: list[str] = field(default_factory=list)
    target_students: str = ""
    _token: Annotated[str, Limit(form_tokens.MAX_LENGTH)] = ""  # a new session acts once


def _parse_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return parse_date_text(text)
    except DateError:
        return None


def _parse_time(text: str) -> time | None:
    match = _HHMM.match(text)
    return time(int(match[1]), int(match[2])) if match else None


def validate(
    form: SessionInput,
    regions: RegionTree,
    office: OfficeRef,
    location_ids: set[int],
    booked: int = 0,
) -> dict[Any, Any]:
    """Column values ready to save; Invalid with a message per field otherwise."""
    e: dict[str, str] = {}
    if form.kind not in vocabulary.SESSION_KINDS:
        e["kind"] = "Pilih jenis sesi"
    for name, label in (("title", "Nama sesi"), ("place", "Tempat")):
        if not getattr(form, name):
            e[name] = f"Tulis {label.lower()}"
    for name, limit in TEXT_LIMITS.items():
        if len(getattr(form, name)) > limit:
            e[name] = f"Paling banyak {limit} karakter"
    day = _parse_day(form.day)
    if day is None:
        e["day"] = "Tulis tanggal yang benar, misalnya 2026-12-05"
    starts, ends = _parse_time(form.starts), _parse_time(form.ends)
    if starts is None:
        e["starts"] = "Tulis jam mulai seperti 08:00"
    if ends is None:
        e["ends"] = "Tulis jam selesai seperti 12:00"
    if starts and ends and ends <= starts:
        e["ends"] = "Jam selesai harus sesudah jam mulai"
    capacity_text = form.capacity or "0"
    capacity = int(capacity_text) if capacity_text.isdigit() else None
    if capacity is None or capacity > 100_000:
        e["capacity"] = "Kuota harus angka 0 atau lebih (0 = tanpa batas)"
    elif capacity and capacity < booked:
        e["capacity"] = f"Kuota tidak boleh kurang dari {booked} warga yang sudah dijadwalkan"
    location = int(form.location) if form.location.isdigit() else None
    if form.location and location not in location_ids:
        e["location"] = "Pilih lokasi dari daftar"
    form.areas = sorted(set(form.areas))
    if not form.areas:
        e["areas"] = "Pilih minimal satu wilayah yang dilayani"
    elif not set(form.areas) <= regions.codes() | {office.region_code}:
        e["areas"] = "Ada wilayah yang bukan wilayah kantor ini"
    if e:
        raise Invalid(e)
    return {
        OutreachSession.office: office.id,
        OutreachSession.kind: form.kind,
        OutreachSession.title: form.title,
        OutreachSession.place: form.place,
        OutreachSession.address: form.address or None,
        OutreachSession.location: location,
        OutreachSession.day: day,
        OutreachSession.starts: starts,
        OutreachSession.ends: ends,
        OutreachSession.capacity: capacity,
        OutreachSession.audience: form.audience,
        OutreachSession.registration_via_rt: form.registration_via_rt,
        OutreachSession.public: form.public,
        OutreachSession.notes: form.notes,
    }


# --- The form --------------------------------------------------------------------------------


@dataclass
class FormView:
    """What the create/edit form offers: the office's areas and its service locations."""

    office: OfficeRef | None  # None: an admin has not chosen the office of a new session
    regions: RegionTree | None
    locations: list[dict]
    session: dict | None  # the session being edited
    plan: session_plans.Choices = field(default_factory=session_plans.Choices)

    @property
    def location_options(self) -> list[tuple[int, str]]:
        return [(loc["id"], loc["name"]) for loc in self.locations]


async def form_view(office: OfficeRef | None, session: dict | None = None) -> FormView:
    if office is None:
        return FormView(None, None, [], session)
    locations = (
        await Location.select(Location.id, Location.name)
        .where(Location.office == office.id, Location.active.eq(True))
        .order_by(Location.name)
    )
    plan = await session_plans.choices(office.id, session["id"] if session else None)
    return FormView(office, await region_tree([office.id]), locations, session, plan)


async def form_view_of(access: Scope, session_id: int | None, kantor: str = "") -> FormView:
    """The form's offer for the session ``session_id``, or for a new one of the office
    chosen (``kantor``; staff: their own)."""
    if session_id is None:
        return await form_view(access.choose(kantor).current)
    session = await session_in_scope(access, session_id)
    return await form_view(access.office(session["office"]), session)


async def new_form(access: Scope, today: date) -> tuple[SessionInput, FormView]:
    form = SessionInput(day=today.isoformat(), _token=form_tokens.new_token())
    return form, await form_view(access.current)


async def edit_form(access: Scope, session_id: int) -> tuple[SessionInput, FormView]:
    view = await form_view_of(access, session_id)
    assert view.session is not None
    plan = await session_plans.form_values(session_id)
    form = from_row(SessionInput, view.session, areas=await session_areas(session_id), **plan)
    return form, view


async def session_areas(session_id: int) -> list[str]:
    rows = await OutreachArea.select(OutreachArea.region_code).where(
        OutreachArea.session == session_id
    )
    return sorted(row["region_code"] for row in rows)


def _values(
    view: FormView, form: SessionInput, booked: int = 0
) -> tuple[dict[Any, Any], session_plans.PlanInput]:
    """The session's columns and its plan; Invalid with every problem of both."""
    if view.office is None or view.regions is None:
        raise Invalid({"kantor": "Pilih kantor penyelenggara"})
    location_ids = {loc["id"] for loc in view.locations}
    errors: dict[str, str] = {}
    try:
        values = validate(form, view.regions, view.office, location_ids, booked)
    except Invalid as exc:
        errors = exc.errors
    required = session_plans.kit_required(
        view.plan, view.session["day"] if view.session else None, today_local()
    )
    plan, plan_errors = session_plans.read_plan(
        form.kit, form.operators, form.target_students, form.kind, view.plan, required
    )
    if errors or plan_errors:
        raise Invalid({**errors, **plan_errors})
    return values, plan


async def save(access: Scope, form: SessionInput, session_id: int | None = None) -> int:
    """A new session (``session_id`` None) or a change to one; Invalid with the form's
    problems (a kit or operator taken at that time included). Returns the session's id."""
    view = await form_view_of(access, session_id, form.kantor)
    booked = view.session["booked"] if view.session else 0
    values, plan = _values(view, form, booked)
    if view.session is not None:
        return await _save(access, values, form.areas, plan, view.session)
    # A double tap on "Buat sesi" makes one session (and not a clash with itself).
    sent = {**{c._meta.name: v for c, v in values.items()}, "areas": form.areas, "plan": plan}
    return await form_tokens.act_once(
        form._token,
        "session.create",
        access.user_id,
        sent,
        lambda: _save(access, values, form.areas, plan),
    )


async def _save(
    access: Scope,
    values: dict[Any, Any],
    areas: list[str],
    plan: session_plans.PlanInput,
    session: dict | None = None,
) -> int:
    """Create (``session`` None) or update a session, replace its areas, save its plan."""
    moment = datetime.now(UTC)
    async with write_transaction():
        if session is None:
            row = OutreachSession(
                **{col._meta.name: v for col, v in values.items()},
                created_by=access.actor.user_id,
                updated_at=moment,
            )
            await row.save()
            session_id, action, was_public = row.id, "outreach_session_created", False
        else:
            session_id, action = session["id"], "outreach_session_updated"
            was_public = bool(
                await OutreachSession.exists().where(
                    OutreachSession.id == session_id, OutreachSession.public.eq(True)
                )
            )
            await OutreachSession.update({**values, OutreachSession.updated_at: moment}).where(
                OutreachSession.id == session_id
            )
            await OutreachArea.delete().where(OutreachArea.session == session_id)
        await OutreachArea.insert(
            *[OutreachArea(session=session_id, region_code=code) for code in areas]
        )
        slot = Slot(
            values[OutreachSession.day],
            values[OutreachSession.starts],
            values[OutreachSession.ends],
        )
        office_id = values[OutreachSession.office]
        await session_plans.save_plan(
            access, session_id, office_id, slot, plan, new=session is None
        )
        detail = {"public": values[OutreachSession.public], "areas": areas}
        await record_session(access, action, office_id, session_id, detail)
        if was_public or values[OutreachSession.public]:
            await bump_revision()
    return session_id


async def cancel(access: Scope, session_id: int, reason: str) -> None:
    """Cancel a session: everyone scheduled in it goes back to "diverifikasi" to be
    scheduled again, and the public schedule drops it. A cancelled session stays so."""
    async with write_transaction():
        session = await session_in_scope(access, session_id)
        if session["cancelled"]:
            return
        scheduled = await Resident.select(Resident.id, Resident.version).where(
            Resident.outreach_session == session_id, Resident.status == "dijadwalkan"
        )
        outcome = await apply_moves(
            access,
            [(r["id"], r["version"]) for r in scheduled],
            "diverifikasi",
            values={Resident.outreach_session: None},
            reason=f"Sesi {session['title']} dibatalkan" + (f": {reason}" if reason else ""),
        )
        await OutreachSession.update(
            {OutreachSession.cancelled: True, OutreachSession.updated_at: datetime.now(UTC)}
        ).where(OutreachSession.id == session_id)
        detail = {"returned_to_queue": len(outcome.done)}
        await record_session(
            access, "outreach_session_cancelled", session["office"], session_id, detail
        )
        if session["public"]:
            await bump_revision()


# --- Listing, one session, attendance --------------------------------------------------------


async def listing(access: Scope, past: bool, today: date) -> list[dict]:
    """Upcoming sessions (or, with ``past``, the latest past ones), with how full each is."""
    query = OutreachSession.select(*SESSION_COLUMNS).where(
        access.office_where(OutreachSession.office)
    )
    if past:
        query = query.where(OutreachSession.day < today).order_by(
            OutreachSession.day, ascending=False
        )
    else:
        query = query.where(OutreachSession.day >= today).order_by(OutreachSession.day)
    rows = await query.order_by(OutreachSession.starts).limit(PAST_LIMIT)
    for row in rows:
        row["fill"] = fill_bar(row["booked"], row["capacity"])
    await session_progress.annotate(rows)
    return rows


def now() -> datetime:
    return datetime.now(UTC)


@dataclass
class SessionView:
    session: dict
    people: list[dict]  # the roster
    areas: list[str]  # the areas served, in words
    counts: dict[str, int]  # people by status
    fill: Chart
    past: bool
    future: bool
    now: datetime
    plan: session_progress.PlanView


async def detail(access: Scope, session_id: int, today: date) -> SessionView:
    session = await session_in_scope(access, session_id)
    people = await roster(session_id)
    office = access.office(session["office"])
    regions = await region_tree([office.id])
    areas = [
        f"Seluruh wilayah {office.short_name}"
        if code == office.region_code
        else regions.short_name(code)
        for code in await session_areas(session_id)
    ]
    counts: dict[str, int] = {}
    for person in people:
        counts[person["status"]] = counts.get(person["status"], 0) + 1
    fill = fill_bar(session["booked"], session["capacity"], width=240, height=16)
    when = session["day"]
    plan = await session_progress.plan_view(session_id)
    return SessionView(
        session, people, areas, counts, fill, when < today, when > today, now(), plan
    )


def read_attendance(choices: Mapping[str, Any]) -> tuple[triage.Items, triage.Items]:
    """The roster's radio buttons ``hadir-<id>.<version>`` = "ya" | "tidak" | "" as the
    residents present and absent."""
    present, absent = [], []
    for key, choice in choices.items():
        if key.startswith("hadir-"):
            if choice == "ya":
                present.append(key.removeprefix("hadir-"))
            elif choice == "tidak":
                absent.append(key.removeprefix("hadir-"))
    return triage.parse_items(present), triage.parse_items(absent)


async def attendance(
    access: Scope, session_id: int, choices: Mapping[str, Any], today: date
) -> Outcome:
    present, absent = read_attendance(choices)
    return await mark_attendance(access, session_id, present, absent, today)

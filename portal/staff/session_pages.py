"""Jemput bola sessions (/petugas/jadwal): list, create, edit, cancel, roster with print,
CSV/XLSX export and attendance."""

from __future__ import annotations

from datetime import UTC, datetime

from litestar import Request, Response, get, post
from litestar.params import FromPath

from portal.audit import record
from portal.clock import today_local
from portal.ops.privacy import nik_access_detail
from portal.staff import exports, triage
from portal.staff.charts import fill_bar
from portal.staff.outreach import (
    SessionForm,
    cancel_session,
    office_locations,
    save_session,
    session_areas,
)
from portal.staff.present import category_label, status_label
from portal.staff.regions import office_regions
from portal.staff.scheduling import (
    SESSION_COLUMNS,
    mark_attendance,
    roster,
    session_in_scope,
)
from portal.staff.scope import StaffScope, staff_scope
from portal.staff.web import GUARDS, actor, outcome_query, redirect, staff_render
from portal.tables.outreach import OutreachSession

PAST_LIMIT = 100


@get("/jadwal", guards=GUARDS, name="staff_sessions")
async def sessions_page(request: Request) -> Response:
    scope = await staff_scope(request, request.query_params.get("kantor"))
    past = request.query_params.get("waktu") == "lalu"
    day = today_local()
    query = OutreachSession.select(*SESSION_COLUMNS).where(
        OutreachSession.office.is_in(scope.listing_ids)
    )
    if past:
        query = query.where(OutreachSession.day < day).order_by(
            OutreachSession.day, ascending=False
        )
    else:
        query = query.where(OutreachSession.day >= day).order_by(OutreachSession.day)
    rows = await query.order_by(OutreachSession.starts).limit(PAST_LIMIT)
    for row in rows:
        row["fill"] = fill_bar(row["booked"], row["capacity"])
    return staff_render(
        request,
        "staff/sessions.html",
        {"sessions": rows, "past": past},
        scope=scope,
        section="jadwal",
    )


async def _form_context(scope: StaffScope, office_id: int | None) -> dict:
    ids = [office_id] if office_id else scope.allowed_ids
    return {
        "regions": await office_regions(ids),
        "locations": await office_locations(office_id) if office_id else [],
    }


def _chosen_office(scope: StaffScope, data) -> int | None:
    if not scope.is_admin:
        return scope.current.id
    value = str(data.get("kantor") or "") if data is not None else ""
    office = next((o for o in scope.offices if o.slug == value), None)
    if office is None and scope.current is not None:
        office = scope.current
    return office.id if office else None


@get("/jadwal/baru", guards=GUARDS, name="staff_session_new")
async def new_session_page(request: Request) -> Response:
    scope = await staff_scope(request, request.query_params.get("kantor"))
    office_id = _chosen_office(scope, request.query_params)
    form = SessionForm(day=today_local().isoformat())
    context = {"form": form, "session": None, "office_id": office_id}
    context.update(await _form_context(scope, office_id))
    return staff_render(request, "staff/session_form.html", context, scope=scope, section="jadwal")


@post("/jadwal/baru", guards=GUARDS, name="staff_session_create")
async def create_session(request: Request) -> Response:
    data = await request.form()
    scope = await staff_scope(request)
    office_id = _chosen_office(scope, data)
    form = SessionForm.from_data(data)
    values = None
    if office_id is None:
        form.errors["kantor"] = "Pilih kantor penyelenggara"
    else:
        office = scope.office(office_id)
        context = await _form_context(scope, office_id)
        locations = {loc["id"] for loc in context["locations"]}
        values = form.validate(context["regions"], office, locations)
    if values is None:
        context = {"form": form, "session": None, "office_id": office_id}
        context.update(await _form_context(scope, office_id))
        return staff_render(
            request,
            "staff/session_form.html",
            context,
            scope=scope,
            section="jadwal",
            status_code=422,
        )
    session_id = await save_session(actor(request), values, form.areas)
    return redirect(f"/petugas/jadwal/{session_id}", {"disimpan": "sesi-baru"})


async def _session_row(scope: StaffScope, session_id: int) -> dict:
    session = await session_in_scope(scope.allowed_ids, session_id)
    full = (
        await OutreachSession.select(
            OutreachSession.all_columns(),
            OutreachSession.location.name.as_alias("location_name"),
        )
        .where(OutreachSession.id == session_id)
        .first()
    )
    return {**session, **full}


@get("/jadwal/{session_id:int}/ubah", guards=GUARDS, name="staff_session_edit")
async def edit_session_page(request: Request, session_id: FromPath[int]) -> Response:
    scope = await staff_scope(request)
    session = await _session_row(scope, session_id)
    form = SessionForm.from_row(session, await session_areas(session_id))
    context = {"form": form, "session": session, "office_id": session["office"]}
    context.update(await _form_context(scope, session["office"]))
    return staff_render(request, "staff/session_form.html", context, scope=scope, section="jadwal")


@post("/jadwal/{session_id:int}/ubah", guards=GUARDS, name="staff_session_update")
async def update_session(request: Request, session_id: FromPath[int]) -> Response:
    scope = await staff_scope(request)
    session = await _session_row(scope, session_id)
    data = await request.form()
    form = SessionForm.from_data(data)
    context = await _form_context(scope, session["office"])
    values = form.validate(
        context["regions"],
        scope.office(session["office"]),
        {loc["id"] for loc in context["locations"]},
        booked=session["booked"],
    )
    if values is None:
        context.update({"form": form, "session": session, "office_id": session["office"]})
        return staff_render(
            request,
            "staff/session_form.html",
            context,
            scope=scope,
            section="jadwal",
            status_code=422,
        )
    await save_session(actor(request), values, form.areas, session_id)
    return redirect(f"/petugas/jadwal/{session_id}", {"disimpan": "sesi-ubah"})


@post("/jadwal/{session_id:int}/batal", guards=GUARDS, name="staff_session_cancel")
async def cancel(request: Request, session_id: FromPath[int]) -> Response:
    scope = await staff_scope(request)
    session = await _session_row(scope, session_id)
    data = await request.form()
    if not session["cancelled"]:
        await cancel_session(actor(request), session, str(data.get("alasan") or "").strip()[:300])
    return redirect(f"/petugas/jadwal/{session_id}", {"disimpan": "sesi-batal"})


@get("/jadwal/{session_id:int}", guards=GUARDS, name="staff_session")
async def session_page(request: Request, session_id: FromPath[int]) -> Response:
    scope = await staff_scope(request)
    session = await _session_row(scope, session_id)
    people = await roster(session_id)
    regions = await office_regions([session["office"]])
    areas = [regions.label(code) for code in await session_areas(session_id)]
    office = scope.office(session["office"])
    areas = [
        "Seluruh wilayah " + office.short_name if a == office.region_code else a for a in areas
    ]
    counts: dict[str, int] = {}
    for person in people:
        counts[person["status"]] = counts.get(person["status"], 0) + 1
    return staff_render(
        request,
        "staff/session.html",
        {
            "session": session,
            "people": people,
            "areas": areas,
            "counts": counts,
            "fill": fill_bar(session["booked"], session["capacity"], width=240, height=16),
            "past": session["day"] < today_local(),
            "future": session["day"] > today_local(),
            "now": datetime.now(UTC),
        },
        scope=scope,
        section="jadwal",
    )


@post("/jadwal/{session_id:int}/kehadiran", guards=GUARDS, name="staff_session_attendance")
async def attendance(request: Request, session_id: FromPath[int]) -> Response:
    scope = await staff_scope(request)
    await session_in_scope(scope.allowed_ids, session_id)
    data = await request.form()
    present, absent = [], []
    for key in data:
        if not key.startswith("hadir-"):
            continue
        rid_version = key.removeprefix("hadir-")
        choice = data.get(key)
        if choice == "ya":
            present.append(rid_version)
        elif choice == "tidak":
            absent.append(rid_version)
    try:
        outcome = await mark_attendance(
            actor(request),
            scope.allowed_ids,
            session_id,
            triage.parse_items(present),
            triage.parse_items(absent),
            today_local(),
        )
    except triage.ActionError:
        return redirect(f"/petugas/jadwal/{session_id}", {"galat": "belum-hari"})
    return redirect(f"/petugas/jadwal/{session_id}", outcome_query("kehadiran", outcome))


ROSTER_HEADERS = (
    "No",
    "Nama",
    "NIK",
    "Tanggal lahir",
    "Jenis kelamin",
    "Alamat",
    "RT",
    "RW",
    "Kelurahan/desa",
    "Kecamatan",
    "Telepon",
    "Kategori",
    "Status",
    # Added last but one: columns before it keep their places in sheets people already use.
    "Sudah/pernah kawin",
    "Hadir (centang)",
)


async def _roster_export(request: Request, session_id: int, fmt: str) -> Response:
    scope = await staff_scope(request)
    session = await _session_row(scope, session_id)
    people = await roster(session_id)
    rows = [
        [
            i,
            p["full_name"],
            p["nik"] or "",
            p["birth_date"],
            p["sex"] or "",
            p["address"],
            p["rt"] or "",
            p["rw"] or "",
            p["village_name"],
            p["kecamatan_name"],
            p["phone"] or "",
            category_label(p["category"]),
            status_label(p["status"]),
            bool(p["married"]),
            "",
        ]
        for i, p in enumerate(people, start=1)
    ]
    await record(
        "export",
        connection=request,
        office_id=session["office"],
        object_type="outreach_session",
        object_id=session_id,
        detail=nik_access_detail(
            (p["id"] for p in people if p["nik"]),
            format=fmt,
            filters={"session": session_id},
            rows=len(rows),
        ),
    )
    name = f"daftar-hadir-{session['day'].isoformat()}-{session_id}"
    title = f"{session['title']} · {session['place']} · {session['day'].isoformat()}"
    if fmt == "csv":
        return Response(
            exports.csv_bytes(ROSTER_HEADERS, rows),
            media_type=exports.CSV_TYPE,
            headers=exports.attachment(name + ".csv"),
        )
    return Response(
        exports.xlsx_bytes(ROSTER_HEADERS, rows, sheet="Daftar hadir", title=title),
        media_type=exports.XLSX_TYPE,
        headers=exports.attachment(name + ".xlsx"),
    )


@get("/jadwal/{session_id:int}/daftar.csv", guards=GUARDS, name="staff_roster_csv")
async def roster_csv(request: Request, session_id: FromPath[int]) -> Response:
    return await _roster_export(request, session_id, "csv")


@get("/jadwal/{session_id:int}/daftar.xlsx", guards=GUARDS, name="staff_roster_xlsx")
async def roster_xlsx(request: Request, session_id: FromPath[int]) -> Response:
    return await _roster_export(request, session_id, "xlsx")

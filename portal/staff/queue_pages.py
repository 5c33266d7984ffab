"""The queue page (/petugas/antrian), its bulk actions and its exports."""

from __future__ import annotations

from urllib.parse import parse_qsl

from litestar import Request, Response, get, post

from portal.audit import record
from portal.clock import today_local
from portal.ops.privacy import nik_access_detail
from portal.residents import vocabulary
from portal.staff import exports, filter_bulk, queue, triage
from portal.staff.present import h, local
from portal.staff.regions import Regions, office_regions
from portal.staff.scheduling import schedulable_session, schedule, upcoming_sessions
from portal.staff.scope import staff_scope
from portal.staff.web import (
    GUARDS,
    actor,
    outcome_query,
    redirect,
    safe_back,
    staff_render,
)
from portal.tables.accounts import User
from portal.tables.residents import Resident
from portal.web.render import wants_fragment

BULK_ACTIONS = {"verifikasi": "Verifikasi", "jadwalkan": "Jadwalkan", "tolak": "Tolak"}


# A select longer than this is no help (and weighs down every page): narrow it first.
MANY_OPTIONS = 60


def village_groups(regions: Regions, f: queue.QueueFilter) -> list:
    """Kecamatan whose villages the kelurahan/desa select offers."""
    if f.kecamatan:
        return [k for k in regions.kecamatan if k.code == f.kecamatan]
    if sum(len(k.villages) for k in regions.kecamatan) <= MANY_OPTIONS:
        return regions.kecamatan
    return [k for k in regions.kecamatan if any(v.code == f.desa for v in k.villages)]


async def coordinator_choices(
    office_ids: list[int], regions: Regions, f: queue.QueueFilter
) -> tuple[list[dict], bool]:
    """Coordinators for the select, and whether the list was too long to offer."""
    query = User.select(User.id, User.full_name).where(
        User.role == "coordinator", User.office.is_in(office_ids)
    )
    village = regions.village_by_code(f.desa) if f.desa else None
    kec = regions.kecamatan_by_code(f.kecamatan) if f.kecamatan else None
    if village:
        query = query.where(User.scope_village == village.id)
    elif kec:
        query = query.where(User.scope_kecamatan == kec.id)
    rows = await query.order_by(User.full_name).limit(MANY_OPTIONS + 1)
    too_many = len(rows) > MANY_OPTIONS
    if too_many:
        rows = []
    if f.koordinator and all(str(r["id"]) != f.koordinator for r in rows):
        rows += await User.select(User.id, User.full_name).where(
            User.id == int(f.koordinator),
            User.role == "coordinator",
            User.office.is_in(office_ids),
        )
    return rows, too_many


@get("/antrian", guards=GUARDS, name="staff_queue")
async def queue_page(request: Request) -> Response:
    f = queue.QueueFilter.from_query(request.query_params)
    # The filter form sends every field, empty or not; the address bar and bookmarks get
    # the short form with only the filters in use.
    canonical = "/petugas/antrian" + h.query(f.params(), setelah=f.setelah, sebelum=f.sebelum)
    htmx = wants_fragment(request)
    if not htmx and any(v == "" for _, v in request.query_params.multi_items()):
        return redirect(canonical)
    scope = await staff_scope(request, f.kantor)
    regions = await office_regions(scope.listing_ids)
    page = await queue.fetch_page(f, scope.listing_ids, regions, scope.user.id)
    coordinators, too_many = await coordinator_choices(scope.listing_ids, regions, f)
    context = {
        "f": f,
        "page": page,
        "regions": regions,
        "village_groups": village_groups(regions, f),
        "coordinators": coordinators,
        "coordinators_narrowed": too_many,
        "oob": htmx,
        "sessions": await upcoming_sessions(scope.listing_ids, today_local()),
        "sorts": queue.SORTS,
        "page_sizes": queue.PAGE_SIZES,
        "assigned": queue.ASSIGNED,
        "bulk_actions": BULK_ACTIONS,
        "bulk_cap": filter_bulk.CAP,
        "back": canonical,
    }
    return staff_render(
        request,
        "staff/queue.html",
        context,
        scope=scope,
        section="antrian",
        block="results",
        headers={"HX-Push-Url": canonical} if htmx else None,
    )


async def _run(
    request: Request, scope, data, action: str, items: list[tuple[int, int]]
) -> triage.Outcome:
    """The bulk action named by ``aksi`` on ``items``; the ticked rows and the whole-filter
    path both come here, so they follow the same rules."""
    who = actor(request)
    if action == "verifikasi":
        return await triage.verify(who, scope.allowed_ids, items)
    if action == "tolak":
        return await triage.reject(
            who,
            scope.allowed_ids,
            items,
            data.get("alasan_tolak") or "",
            data.get("keterangan_tolak") or "",
        )
    if action == "jadwalkan":
        return await schedule(who, scope.allowed_ids, items, _session_id(data), today_local())
    raise triage.ActionError("aksi", "Pilih tindakan")


def _session_id(data) -> int:
    session_id = data.get("sesi") or ""
    if not session_id.isdigit():
        raise triage.ActionError("sesi", "Pilih sesi jemput bola")
    return int(session_id)


@post("/antrian/massal", guards=GUARDS, name="staff_queue_bulk")
async def bulk_action(request: Request) -> Response:
    data = await request.form()
    back = safe_back(data.get("kembali"), "/petugas/antrian")
    action = data.get("aksi") or ""
    if data.get("cakupan") == "saringan":
        return await _bulk_filter(request, data, back, action)
    scope = await staff_scope(request)
    items = triage.parse_items(data.getall("pilih", []))
    if not items:
        return redirect(back, {"galat": "kosong"})
    try:
        outcome = await _run(request, scope, data, action, items)
    except triage.ActionError as exc:
        return redirect(back, {"galat": exc.field})
    except triage.SessionFull as exc:
        return redirect(back, {"galat": "penuh", "sisa": exc.remaining})
    return redirect(back, outcome_query(action, outcome))


async def _action_words(scope, data, action: str) -> list[str]:
    """What the action will do, checked before the officer is asked to confirm it, so a
    missing session or reason is said on the queue page and not after the confirmation."""
    if action == "verifikasi":
        return ["Verifikasi"]
    if action == "tolak":
        _, reason = triage.reject_reason(
            data.get("alasan_tolak") or "", data.get("keterangan_tolak") or ""
        )
        return ["Tolak", f"Alasan: {reason}"]
    if action == "jadwalkan":
        session = await schedulable_session(scope.allowed_ids, _session_id(data), today_local())
        return ["Jadwalkan", f"Sesi: {session['title']} ({h.day(session['day'])})"]
    raise triage.ActionError("aksi", "Pilih tindakan")


async def _bulk_filter(request: Request, data, back: str, action: str) -> Response:
    f = queue.QueueFilter.from_query(dict(parse_qsl(data.get("saringan") or "")))
    scope = await staff_scope(request, f.kantor)
    regions = await office_regions(scope.listing_ids)
    try:
        action_words = await _action_words(scope, data, action)
    except triage.ActionError as exc:
        return redirect(back, {"galat": exc.field})
    confirmed = data.get("jumlah") or ""

    async def confirm_page(count: int, status_code: int, changed_from: int | None = None):
        context = {
            "count": count,
            "cap": filter_bulk.CAP,
            "changed_from": changed_from,
            "action": action,
            "action_words": action_words,
            "filter_words": await filter_bulk.filter_words(f, regions, scope),
            "filter_query": data.get("saringan") or "",
            "fields": {
                k: data.get(k) or "" for k in ("aksi", "sesi", "alasan_tolak", "keterangan_tolak")
            },
            "back": back,
        }
        return staff_render(
            request,
            "staff/queue_bulk_confirm.html",
            context,
            scope=scope,
            section="antrian",
            status_code=status_code,
        )

    if not confirmed.isdigit():
        count = await filter_bulk.matching_count(scope, f, regions)
        if count == 0:
            return redirect(back, {"galat": "nihil"})
        return await confirm_page(count, 422 if count > filter_bulk.CAP else 200)
    try:
        outcome = await filter_bulk.act_on_filter(
            actor(request),
            scope,
            f,
            regions,
            int(confirmed),
            action,
            lambda items: _run(request, scope, data, action, items),
        )
    except filter_bulk.TooMany as exc:
        changed = exc.count != int(confirmed)
        return await confirm_page(
            exc.count, 409 if changed else 422, int(confirmed) if changed else None
        )
    except filter_bulk.CountChanged as exc:
        return await confirm_page(exc.count, 409, int(confirmed))
    except triage.ActionError as exc:
        return redirect(back, {"galat": exc.field})
    except triage.SessionFull as exc:
        return redirect(back, {"galat": "penuh", "sisa": exc.remaining})
    return redirect(back, outcome_query(action, outcome))


# --- Exports -----------------------------------------------------------------------------------

EXPORT_HEADERS = (
    "ID",
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
    "Keterangan status",
    "Peringatan",
    # Beside the warnings: it is why a minor carries no "Belum cukup umur".
    "Sudah/pernah kawin",
    "Dikirim",
    "Koordinator",
    "Sesi",
    "Tanggal sesi",
    "Tanggal rekam",
    "Tempat rekam",
)
EXPORT_COLUMNS = (
    Resident.id,
    Resident.full_name,
    Resident.nik,
    Resident.birth_date,
    Resident.sex,
    Resident.address,
    Resident.rt,
    Resident.rw,
    Resident.village.name.as_alias("village_name"),
    Resident.kecamatan.name.as_alias("kecamatan_name"),
    Resident.phone,
    Resident.category,
    Resident.status,
    Resident.status_reason,
    Resident.warn_nik,
    Resident.warn_duplicate,
    Resident.warn_under_age,
    Resident.married,
    Resident.submitted_at,
    Resident.resident_list.coordinator.full_name.as_alias("coordinator_name"),
    Resident.outreach_session.title.as_alias("session_title"),
    Resident.outreach_session.day.as_alias("session_day"),
    Resident.recorded_on,
    Resident.recorded_place,
    Resident.name_key,
)


def export_row(r: dict) -> list:
    warnings = ", ".join(label for flag, label in vocabulary.WARNING_FLAGS.items() if r.get(flag))
    submitted = local(r["submitted_at"])
    return [
        r["id"],
        r["full_name"],
        r["nik"] or "",
        r["birth_date"],
        r["sex"] or "",
        r["address"],
        r["rt"] or "",
        r["rw"] or "",
        r["village_name"],
        r["kecamatan_name"],
        r["phone"] or "",
        vocabulary.CATEGORIES.get(r["category"], r["category"]),
        vocabulary.STATUSES.get(r["status"], r["status"]),
        r["status_reason"],
        warnings,
        bool(r["married"]),
        submitted,
        r["coordinator_name"] or "",
        r["session_title"] or "",
        r["session_day"],
        r["recorded_on"],
        r["recorded_place"] or "",
    ]


async def _export(request: Request, fmt: str) -> Response:
    f = queue.QueueFilter.from_query(request.query_params)
    scope = await staff_scope(request, f.kantor)
    regions = await office_regions(scope.listing_ids)
    rows = await queue.all_matching(f, scope.listing_ids, regions, scope.user.id, EXPORT_COLUMNS)
    body = [export_row(r) for r in rows]
    await record(
        "export",
        connection=request,
        office_id=scope.current.id if scope.current else None,
        object_type="queue",
        detail=nik_access_detail(
            (r["id"] for r in rows if r["nik"]), format=fmt, filters=f.active(), rows=len(body)
        ),
    )
    stamp = today_local().isoformat()
    if fmt == "csv":
        return Response(
            exports.csv_bytes(EXPORT_HEADERS, body),
            media_type=exports.CSV_TYPE,
            headers=exports.attachment(f"antrian-{stamp}.csv"),
        )
    return Response(
        exports.xlsx_bytes(EXPORT_HEADERS, body, sheet="Antrian"),
        media_type=exports.XLSX_TYPE,
        headers=exports.attachment(f"antrian-{stamp}.xlsx"),
    )


@get("/antrian/ekspor.csv", guards=GUARDS, name="staff_queue_csv")
async def queue_csv(request: Request) -> Response:
    return await _export(request, "csv")


@get("/antrian/ekspor.xlsx", guards=GUARDS, name="staff_queue_xlsx")
async def queue_xlsx(request: Request) -> Response:
    return await _export(request, "xlsx")

"""One resident (/petugas/warga/<id>): everything the coordinator sent, warnings, possible
duplicates side by side, history, notes, and every action an officer can take."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from portal.audit import record
from portal.clock import today_local
from portal.domain.duplicates import name_match
from portal.residents import vocabulary
from portal.rules.ages import age_on, marriage_reason
from portal.staff import triage
from portal.staff.scheduling import schedule, suggest_sessions
from portal.staff.scope import StaffScope, staff_scope
from portal.staff.web import GUARDS, actor, redirect, staff_render
from portal.tables.residents import Resident, ResidentEvent, ResidentNote

DETAIL_COLUMNS = (
    Resident.all_columns(),
    Resident.village.name.as_alias("village_name"),
    Resident.village.kind.as_alias("village_kind"),
    Resident.kecamatan.name.as_alias("kecamatan_name"),
    Resident.assigned_to.full_name.as_alias("assigned_name"),
    Resident.resident_list.title.as_alias("list_title"),
    Resident.resident_list.note.as_alias("list_note"),
    Resident.resident_list.public_id.as_alias("list_public_id"),
    Resident.resident_list.coordinator.full_name.as_alias("coordinator_name"),
    Resident.resident_list.coordinator.phone.as_alias("coordinator_phone"),
    Resident.outreach_session.title.as_alias("session_title"),
    Resident.outreach_session.day.as_alias("session_day"),
    Resident.outreach_session.place.as_alias("session_place"),
    Resident.duplicate_of.full_name.as_alias("duplicate_of_name"),
)
COMPARE_COLUMNS = (
    Resident.id,
    Resident.full_name,
    Resident.name_key,
    Resident.nik,
    Resident.birth_date,
    Resident.sex,
    Resident.address,
    Resident.rw,
    Resident.rt,
    Resident.status,
    Resident.submitted_at,
    Resident.office,
    Resident.village,
    Resident.village.name.as_alias("village_name"),
    Resident.resident_list.coordinator.full_name.as_alias("coordinator_name"),
)
MAX_DUPLICATES = 10

CONFLICT_MESSAGE = (
    "Data warga ini baru saja diubah oleh petugas lain, jadi tindakan Anda tidak disimpan. "
    "Tampilan di bawah sudah diperbarui: periksa lagi lalu ulangi bila masih perlu."
)
REFUSED_MESSAGES = {
    "status": "Tindakan itu tidak bisa dilakukan untuk warga berstatus {status}.",
    "office": "Warga dan sesi/warga asli harus dari kantor yang sama.",
    "same_session": "Warga ini sudah terjadwal di sesi itu.",
    "other_session": "Warga ini tidak terdaftar di sesi itu.",
}


async def load_resident(scope: StaffScope, rid: int) -> dict:
    row = await (
        Resident.select(*DETAIL_COLUMNS)
        .where(
            Resident.id == rid,
            Resident.office.is_in(scope.allowed_ids),
            Resident.status != "draft",
        )
        .output(load_json=True)
        .first()
    )
    if row is None:
        raise NotFoundException()
    return row


async def possible_duplicates(r: dict) -> list[dict]:
    """Same NIK, or same name and birth date, in the same office; or, as coordinators are
    warned, a similar name with the same birth date and RT in the same village. Each row's
    ``name_match`` says which name rule matched ("same", "similar" or "")."""
    same_nik = Resident.nik == r["nik"] if r["nik"] else None
    # The birth date gates the name rules; the village bounds what is compared in Python.
    same_born = (
        (Resident.birth_date == r["birth_date"])
        & ((Resident.name_key == r["name_key"]) | (Resident.village == r["village"]))
        if r["birth_date"]
        else None
    )
    match = (
        same_nik if same_born is None else (same_born if same_nik is None else same_nik | same_born)
    )
    if match is None:
        return []
    rows = await (
        Resident.select(*COMPARE_COLUMNS)
        .where(
            match,
            Resident.id != r["id"],
            Resident.office == r["office"],
            Resident.status != "draft",
        )
        .order_by(Resident.id)
    )
    found = []
    for row in rows:
        if row["birth_date"] and row["name_key"] == r["name_key"]:
            row["name_match"] = "same"
        elif row["village"] == r["village"]:
            row["name_match"] = name_match(r, row) or ""
        else:
            row["name_match"] = ""
        if row["name_match"] or (r["nik"] and row["nik"] == r["nik"]):
            found.append(row)
    return found[:MAX_DUPLICATES]


async def history(rid: int) -> list[dict]:
    return await (
        ResidentEvent.select(
            ResidentEvent.at,
            ResidentEvent.action,
            ResidentEvent.from_status,
            ResidentEvent.to_status,
            ResidentEvent.reason,
            ResidentEvent.actor.full_name.as_alias("actor_name"),
            ResidentEvent.actor.role.as_alias("actor_role"),
        )
        .where(ResidentEvent.resident == rid)
        .order_by(ResidentEvent.at, ascending=False)
        .order_by(ResidentEvent.id, ascending=False)
    )


async def notes(rid: int) -> list[dict]:
    return await (
        ResidentNote.select(
            ResidentNote.at,
            ResidentNote.body,
            ResidentNote.visible_to_coordinator,
            ResidentNote.author.full_name.as_alias("author_name"),
            ResidentNote.author.role.as_alias("author_role"),
        )
        .where(ResidentNote.resident == rid)
        .order_by(ResidentNote.at, ascending=False)
    )


def moves(status: str) -> set[str]:
    return vocabulary.TRANSITIONS.get(status, set())


async def render_detail(
    request: Request,
    scope: StaffScope,
    rid: int,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    problem: str = "",
    reveal_nik: bool = False,
    status_code: int = 200,
    block: str = "main",
) -> Response:
    r = await load_resident(scope, rid)
    day = today_local()
    age = None
    if r["birth_date"] and r["birth_date"] <= day:
        age = age_on(r["birth_date"], day)
    can = moves(r["status"])
    suggestions = None
    if "dijadwalkan" in can:
        suggestions = await suggest_sessions(r, day)
    context = {
        "r": r,
        "age": age,
        "marriage_reason": marriage_reason(age[0], married=r["married"]) if age else "",
        "warnings": r["warnings"] if isinstance(r["warnings"], list) else [],
        "duplicates": await possible_duplicates(r),
        "events": await history(rid),
        "notes": await notes(rid),
        "can": can,
        "suggestions": suggestions,
        "errors": errors or {},
        "values": values or {},
        "problem": problem,
        "reveal_nik": reveal_nik,
        "today": day,
        "reject_reasons": vocabulary.REJECT_REASONS,
    }
    return staff_render(
        request,
        "staff/resident.html",
        context,
        scope=scope,
        section="antrian",
        block=block,
        status_code=status_code,
    )


@get("/warga/{rid:int}", guards=GUARDS, name="staff_resident")
async def resident_page(request: Request, rid: FromPath[int]) -> Response:
    scope = await staff_scope(request)
    return await render_detail(request, scope, rid)


@post("/warga/{rid:int}/nik", guards=GUARDS, name="staff_resident_nik")
async def reveal_nik(request: Request, rid: FromPath[int]) -> Response:
    """Show the full NIK: a POST, so a link preview or prefetch never reveals it, and each
    reveal is in the audit log."""
    scope = await staff_scope(request)
    r = await load_resident(scope, rid)
    await record(
        "nik_viewed",
        connection=request,
        office_id=r["office"],
        object_type="resident",
        object_id=rid,
    )
    return await render_detail(request, scope, rid, reveal_nik=True, block="nik")


def _version(data) -> int:
    value = str(data.get("versi") or "")
    return int(value) if value.isdigit() else -1


async def _act(action: str, data, request: Request, scope: StaffScope, rid: int):
    who = actor(request)
    ids = scope.allowed_ids
    one = [(rid, _version(data))]
    if action == "verifikasi":
        return await triage.verify(who, ids, one)
    if action == "perbaikan":
        return await triage.ask_correction(who, ids, one, data.get("alasan_perbaikan") or "")
    if action == "tolak":
        return await triage.reject(
            who, ids, one, data.get("alasan_tolak") or "", data.get("keterangan_tolak") or ""
        )
    if action == "buka-kembali":
        return await triage.reopen(who, ids, one, data.get("alasan_buka") or "")
    if action == "batal-jadwal":
        return await triage.unschedule(who, ids, one)
    if action == "rekam":
        return await triage.mark_recorded(
            who,
            ids,
            one,
            data.get("tanggal_rekam") or "",
            data.get("tempat_rekam") or "",
            today_local(),
        )
    if action == "jadwalkan":
        session = str(data.get("sesi") or "")
        if not session.isdigit():
            raise triage.ActionError("sesi", "Pilih sesi jemput bola")
        return await schedule(who, ids, one, int(session), today_local())
    if action == "duplikat":
        original = str(data.get("duplikat_dari") or "").lstrip("#").strip()
        if not original.isdigit():
            raise triage.ActionError("duplikat_dari", "Tulis nomor warga asli, misalnya 1234")
        return await triage.mark_duplicate(
            who, ids, rid, _version(data), int(original), data.get("alasan_duplikat") or ""
        )
    if action == "bukan-duplikat":
        return await triage.not_duplicate(who, ids, rid, _version(data))
    if action in ("ambil", "lepas"):
        return await triage.assign(who, ids, rid, _version(data), take=action == "ambil")
    if action == "catatan":
        await triage.add_note(
            who, ids, rid, data.get("catatan") or "", bool(data.get("untuk_koordinator"))
        )
        return True
    raise NotFoundException()


@post("/warga/{rid:int}/{action:str}", guards=GUARDS, name="staff_resident_action")
async def resident_action(request: Request, rid: FromPath[int], action: FromPath[str]) -> Response:
    scope = await staff_scope(request)
    await load_resident(scope, rid)  # 404 before anything else
    data = await request.form()
    values = {k: data.get(k) for k in data}
    try:
        result = await _act(action, data, request, scope, rid)
    except triage.ActionError as exc:
        return await render_detail(
            request, scope, rid, errors={exc.field: exc.message}, values=values, status_code=422
        )
    except triage.SessionFull as exc:
        message = "Sesi itu sudah penuh; pilih sesi lain"
        if exc.remaining:
            message = f"Sesi itu hanya tersisa {exc.remaining} tempat; pilih sesi lain"
        return await render_detail(
            request, scope, rid, errors={"sesi": message}, values=values, status_code=409
        )
    if result is False or (isinstance(result, triage.Outcome) and result.conflicts):
        return await render_detail(request, scope, rid, problem=CONFLICT_MESSAGE, status_code=409)
    if isinstance(result, triage.Outcome) and result.refused:
        refused = result.refused[0]
        message = REFUSED_MESSAGES[refused["why"]].format(
            status=vocabulary.STATUSES.get(refused["status"], refused["status"])
        )
        return await render_detail(request, scope, rid, problem=message, status_code=409)
    if isinstance(result, triage.Outcome) and not result.done:
        raise NotFoundException()
    return redirect(f"/petugas/warga/{rid}", {"selesai": action, "n": 1})

"""Lists: dashboard, new list, the list page, submit, withdraw, reopen, delete, print."""

from __future__ import annotations

from collections import Counter

from litestar import Request, Response, get, post
from litestar.params import FromPath

from portal.clock import today_local
from portal.coordinator.forms import form_data
from portal.coordinator.pages import (
    flash_message,
    list_page,
    list_url,
    redirect,
    residents_of,
    scope_text,
)
from portal.coordinator.schedule_message import lists_with_a_message
from portal.residents.form_tokens import FormTokenReused
from portal.residents.lists import (
    ListStateError,
    coordinator_scope,
    create_list,
    delete_draft_list,
    get_list,
    list_area,
    list_by_id,
    my_lists,
    new_token,
    reopen_list,
    submit_list,
    update_list_info,
    withdraw_list,
)
from portal.residents.status import COUNT_ORDER, status_lines
from portal.residents.validation import parse_rt_rw
from portal.residents.vocabulary import STATUSES
from portal.rules.dates import format_date_id
from portal.web.render import render

TITLE_MAX = 150
NOTE_MAX = 1000


@get("/", name="coordinator:home")
async def dashboard(request: Request) -> Response:
    user = request.scope["user"]
    scope = await coordinator_scope(user)
    lists = await my_lists(user)
    with_message = await lists_with_a_message([r["id"] for r in lists if r["state"] == "submitted"])
    totals: Counter = Counter()
    for row in lists:
        if row["state"] == "submitted":
            totals.update(row["counts"])
    fixed = len(scope.villages) == 1 and bool(scope.rw) and bool(scope.rt)
    return render(
        request,
        "coordinator/dashboard.html",
        {
            "lists": lists,
            "with_message": with_message,
            "drafts": [r for r in lists if r["state"] != "submitted"],
            "submitted": [r for r in lists if r["state"] == "submitted"],
            "totals": [(s, STATUSES[s], totals[s]) for s in COUNT_ORDER if totals.get(s)],
            "scope_text": scope_text(scope),
            "one_tap": fixed,
            "create_token": new_token(),
            "no_scope": not scope.villages,
            "flash": flash_message(request),
        },
    )


def _new_list_context(scope, values=None, errors=None) -> dict:
    return {
        "scope": scope,
        "scope_text": scope_text(scope),
        "values": values or {},
        "errors": errors or {},
        "create_token": (values or {}).get("_token") or new_token(),
    }


@get("/daftar/baru", name="coordinator:new-list")
async def new_list_form(request: Request) -> Response:
    scope = await coordinator_scope(request.scope["user"])
    return render(request, "coordinator/new_list.html", _new_list_context(scope))


@post("/daftar/baru", name="coordinator:create-list")
async def create_list_handler(request: Request) -> Response:
    user = request.scope["user"]
    scope = await coordinator_scope(user)
    data = await form_data(request)
    errors: dict[str, str] = {}
    if not scope.villages:
        errors["village"] = "Akun Anda belum punya wilayah. Hubungi petugas Dispendukcapil."
    village = None
    if len(scope.villages) == 1:
        village = scope.villages[0]
    elif scope.villages:
        raw = str(data.get("village") or "")
        village = scope.village(int(raw)) if raw.isdigit() else None
        if village is None:
            errors["village"] = "Pilih kelurahan atau desa"
    rw, rt = scope.rw, scope.rt
    for part in ("rw", "rt"):
        if getattr(scope, part):
            continue
        raw = str(data.get(part) or "").strip()
        value = parse_rt_rw(raw) if raw else None
        if raw and value is None:
            errors[part] = f"{part.upper()} harus berupa angka, misalnya 03"
        if part == "rw":
            rw = value
        else:
            rt = value
    if rt and not rw and "rw" not in errors:
        errors["rw"] = "Isi RW juga, karena RT hanya jelas di dalam satu RW"
    title = " ".join(str(data.get("title") or "").split())
    note = str(data.get("note") or "").strip()
    if len(title) > TITLE_MAX:
        errors["title"] = f"Judul paling banyak {TITLE_MAX} huruf"
    if len(note) > NOTE_MAX:
        errors["note"] = f"Catatan paling banyak {NOTE_MAX} huruf"
    token = str(data.get("_token") or "")
    if not token:
        errors["form"] = "Formulir tidak lengkap. Muat ulang halaman lalu coba lagi."
    if errors:
        return render(
            request,
            "coordinator/new_list.html",
            _new_list_context(scope, {k: str(v or "") for k, v in data.items()}, errors),
            status_code=400,
        )
    try:
        lst = await create_list(
            user,
            token=token[:64],
            village_id=village["id"],
            rw=rw,
            rt=rt,
            title=title,
            note=note,
            connection=request,
        )
    except FormTokenReused as exc:
        # The form already made a list and now says something else: make nothing, show
        # which list it made, and keep the input on a fresh form in case a second list
        # is really wanted.
        values = {k: str(v or "") for k, v in data.items() if k != "_token"}
        context = _new_list_context(scope, values)
        context["made_list"] = await list_by_id(user, exc.object_id)
        return render(request, "coordinator/new_list.html", context, status_code=409)
    return redirect(list_url(lst), "dibuat")


@get("/daftar/{list_id:str}", name="coordinator:list")
async def show_list(request: Request, list_id: FromPath[str]) -> Response:
    user = request.scope["user"]
    lst = await get_list(user, list_id)
    area = await list_area(lst)
    return await list_page(request, user, lst, area)


@post("/daftar/{list_id:str}/info", name="coordinator:list-info")
async def update_info(request: Request, list_id: FromPath[str]) -> Response:
    user = request.scope["user"]
    lst = await get_list(user, list_id)
    data = await form_data(request)
    title = " ".join(str(data.get("title") or "").split())[:TITLE_MAX]
    note = str(data.get("note") or "").strip()[:NOTE_MAX]
    await update_list_info(lst, title=title, note=note)
    return redirect(list_url(lst), "diubah")


@post("/daftar/{list_id:str}/kirim", name="coordinator:submit")
async def submit(request: Request, list_id: FromPath[str]) -> Response:
    user = request.scope["user"]
    lst = await get_list(user, list_id)
    area = await list_area(lst)
    data = await form_data(request)
    try:
        await submit_list(
            user, lst, area, token=str(data.get("submit_token") or "")[:64], connection=request
        )
    except ListStateError as exc:
        return await list_page(request, user, lst, area, problems=[exc.message], status_code=409)
    return redirect(list_url(lst), "terkirim")


@post("/daftar/{list_id:str}/tarik", name="coordinator:withdraw")
async def withdraw(request: Request, list_id: FromPath[str]) -> Response:
    user = request.scope["user"]
    lst = await get_list(user, list_id)
    area = await list_area(lst)
    try:
        await withdraw_list(user, lst, area, connection=request)
    except ListStateError as exc:
        return await list_page(request, user, lst, area, problems=[exc.message], status_code=409)
    return redirect(list_url(lst), "ditarik")


@post("/daftar/{list_id:str}/buka", name="coordinator:reopen")
async def reopen(request: Request, list_id: FromPath[str]) -> Response:
    user = request.scope["user"]
    lst = await get_list(user, list_id)
    try:
        await reopen_list(user, lst)
    except ListStateError as exc:
        area = await list_area(lst)
        return await list_page(request, user, lst, area, problems=[exc.message], status_code=409)
    return redirect(list_url(lst), "dibuka")


@post("/daftar/{list_id:str}/hapus", name="coordinator:delete-list")
async def delete_list(request: Request, list_id: FromPath[str]) -> Response:
    user = request.scope["user"]
    lst = await get_list(user, list_id)
    try:
        await delete_draft_list(user, lst, connection=request)
    except ListStateError as exc:
        area = await list_area(lst)
        return await list_page(request, user, lst, area, problems=[exc.message], status_code=409)
    return redirect("/koordinator", "draf-dihapus")


@get("/daftar/{list_id:str}/cetak", name="coordinator:print")
async def print_sheet(request: Request, list_id: FromPath[str]) -> Response:
    user = request.scope["user"]
    lst = await get_list(user, list_id)
    area = await list_area(lst)
    residents = await residents_of(lst)
    lines = await status_lines(residents)
    return render(
        request,
        "coordinator/print.html",
        {
            "lst": lst,
            "area": area,
            "residents": residents,
            "lines": lines,
            "list_url": list_url(lst),
            "printed_on": format_date_id(today_local()),
            "coordinator": user,
        },
    )

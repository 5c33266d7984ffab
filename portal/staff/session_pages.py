"""Jemput bola sessions (``staff:sessions``): list, create, edit, cancel, the roster with
print and attendance. The roster's downloads are in ``exports_pages``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from litestar import Request, Response
from litestar.di import NamedDependency
from litestar.params import FromPath

from portal.clock import today_local
from portal.domain.errors import Invalid
from portal.domain.inputs import Limit
from portal.domain.scope import Scope
from portal.staff import session, session_progress
from portal.staff.session import FormView, SessionInput
from portal.staff.web import get, outcome_redirect, page, post
from portal.web import flash
from portal.web.deps import Access
from portal.web.forms import read_form
from portal.web.urls import url


@dataclass
class CancelInput:
    alasan: Annotated[str, Limit(300)] = ""


def form_page(
    request: Request,
    access: Scope,
    form: SessionInput,
    view: FormView,
    errors: dict[str, str] | None = None,
) -> Response:
    context = {"form": form, "view": view, "errors": errors or {}}
    status = 422 if errors else 200
    return page(request, "staff/session_form.html", context, access, "jadwal", status_code=status)


async def save(
    request: Request, access: Scope, form: SessionInput, session_id: int | None
) -> Response:
    """A new session (``session_id`` None) or a change: its page, or the form again."""
    try:
        saved = await session.save(access, form, session_id)
    except Invalid as exc:
        view = await session.form_view_of(access, session_id, form.kantor)
        return form_page(request, access, form, view, exc.errors)
    return to_session(request, saved, "sesi-ubah" if session_id else "sesi-baru")


def to_session(request: Request, session_id: int, code: str) -> Response:
    return flash.redirect(url(request, "staff:session", session_id=session_id), code)


@get("/jadwal", name="staff:sessions")
async def sessions_page(request: Request, access: Access) -> Response:
    past = request.query_params.get("waktu") == "lalu"
    rows = await session.listing(access, past, today_local())
    school = await session_progress.school_summary(access, today_local())
    context = {"sessions": rows, "past": past, "school": school}
    return page(request, "staff/session_list.html", context, access, "jadwal")


@get("/jadwal/baru", name="staff:session-new")
async def new_session_page(request: Request, access: Access) -> Response:
    form, view = await session.new_form(access, today_local())
    return form_page(request, access, form, view)


@post("/jadwal/baru", name="staff:session-create", form=SessionInput)
async def create_session(
    request: Request, access: Access, form: NamedDependency[SessionInput]
) -> Response:
    return await save(request, access, form, None)


@get("/jadwal/{session_id:int}", name="staff:session")
async def session_page(request: Request, access: Access, session_id: FromPath[int]) -> Response:
    view = await session.detail(access, session_id, today_local())
    return page(request, "staff/session.html", {"v": view}, access, "jadwal")


@get("/jadwal/{session_id:int}/ubah", name="staff:session-edit")
async def edit_session_page(
    request: Request, access: Access, session_id: FromPath[int]
) -> Response:
    form, view = await session.edit_form(access, session_id)
    return form_page(request, access, form, view)


@post("/jadwal/{session_id:int}/ubah", name="staff:session-update")
async def update_session(request: Request, access: Access, session_id: FromPath[int]) -> Response:
    form = await read_form(request, SessionInput)
    return await save(request, access, form, session_id)


@post("/jadwal/{session_id:int}/batal", name="staff:session-cancel")
async def cancel_session(request: Request, access: Access, session_id: FromPath[int]) -> Response:
    form = await read_form(request, CancelInput)
    await session.cancel(access, session_id, form.alasan)
    return to_session(request, session_id, "sesi-batal")


@post("/jadwal/{session_id:int}/kehadiran", name="staff:session-attendance")
async def attendance(request: Request, access: Access, session_id: FromPath[int]) -> Response:
    """One radio group per resident on the roster, named after them: read as a mapping."""
    choices = await request.form()
    try:
        outcome = await session.attendance(access, session_id, choices, today_local())
    except Invalid:
        return to_session(request, session_id, "belum-hari")
    back = url(request, "staff:session", session_id=session_id)
    return outcome_redirect(back, "kehadiran", outcome)

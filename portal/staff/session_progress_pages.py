"""A session's count of people recorded without a list (``staff:session-walk-ins``); the
rest of a session's plan is saved with the session form (``session_pages``)."""

from __future__ import annotations

from litestar import Request, Response
from litestar.di import NamedDependency
from litestar.params import FromPath

from portal.clock import today_local
from portal.domain.errors import Conflict, Invalid
from portal.staff import session, session_progress
from portal.staff.session_progress import WalkInInput
from portal.staff.web import page, post
from portal.web import flash
from portal.web.deps import Access
from portal.web.urls import url

flash.messages(
    {
        "tanpa-daftar": lambda counts: flash.ok(
            f"Jumlah yang direkam tanpa daftar disimpan: {counts['n']} orang."
        ),
        "tanpa-daftar-bentrok": flash.error(session_progress.WALK_INS_CHANGED),
    }
)


@post("/jadwal/{session_id:int}/tanpa-daftar", name="staff:session-walk-ins", form=WalkInInput)
async def walk_ins(
    request: Request, access: Access, session_id: FromPath[int], form: NamedDependency[WalkInInput]
) -> Response:
    back = url(request, "staff:session", session_id=session_id)
    try:
        count = await session_progress.record_walk_ins(access, session_id, form, today_local())
    except Invalid as exc:
        view = await session.detail(access, session_id, today_local())
        context = {"v": view, "walk_in": form, "walk_in_errors": exc.errors}
        return page(request, "staff/session.html", context, access, "jadwal", status_code=422)
    except Conflict:
        return flash.redirect(back, "tanpa-daftar-bentrok")
    return flash.redirect(back, "tanpa-daftar", anchor="walk-ins-title", n=count)

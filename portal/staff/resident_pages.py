"""One resident (``staff:resident``): the page, revealing the NIK, and every action."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response
from litestar.params import FromPath

from portal.clock import today_local
from portal.domain.errors import Conflict, DomainError, Invalid
from portal.domain.scope import Scope
from portal.staff import after_recording, resident
from portal.staff.resident import ActionInput
from portal.staff.triage import SessionFull
from portal.staff.web import get, page, post
from portal.web import flash
from portal.web.deps import Access
from portal.web.forms import read_form, refill
from portal.web.urls import url


async def detail_page(
    request: Request,
    access: Scope,
    rid: int,
    *,
    status_code: int = 200,
    block: str = "main",
    **shown: Any,
) -> Response:
    """The page; ``shown``: ``errors`` and ``values`` of a refused form, a ``problem`` to
    say above it, ``reveal_nik``."""
    context = {
        "d": await resident.detail(access, rid, today_local()),
        "card": await after_recording.panel(access, rid, today_local()),
        **shown,
    }
    return page(
        request,
        "staff/resident.html",
        context,
        access,
        "antrian",
        block=block,
        status_code=status_code,
    )


@get("/warga/{rid:int}", name="staff:resident")
async def resident_page(request: Request, access: Access, rid: FromPath[int]) -> Response:
    return await detail_page(request, access, rid)


@post("/warga/{rid:int}/nik", name="staff:resident-nik")
async def reveal_nik(request: Request, access: Access, rid: FromPath[int]) -> Response:
    """Show the full NIK: a POST, so a link preview or prefetch never reveals it, and each
    reveal is in the audit log."""
    await resident.reveal_nik(access, rid)
    return await detail_page(request, access, rid, reveal_nik=True, block="nik")


@post("/warga/{rid:int}/{action:str}", name="staff:resident-action")
async def resident_action(
    request: Request, access: Access, rid: FromPath[int], action: FromPath[str]
) -> Response:
    form = await read_form(request, ActionInput)
    try:
        await resident.act(access, rid, action, form, today_local())
    except DomainError as exc:
        return await refused(request, access, rid, exc, form)
    return flash.redirect(url(request, "staff:resident", rid=rid), action, n=1)


async def refused(
    request: Request, access: Scope, rid: int, exc: DomainError, form: ActionInput
) -> Response:
    """The page again: a session too full or input to correct next to its field (what was
    typed stays), a change by someone else above a fresh view."""
    if isinstance(exc, Conflict) and not isinstance(exc, SessionFull):
        return await detail_page(request, access, rid, problem=exc.message, status_code=409)
    if not isinstance(exc, Invalid | SessionFull):
        raise exc
    errors = exc.errors if isinstance(exc, Invalid) else {"sesi": exc.message}
    status = 422 if isinstance(exc, Invalid) else 409
    return await detail_page(
        request, access, rid, errors=errors, values=refill(form), status_code=status
    )

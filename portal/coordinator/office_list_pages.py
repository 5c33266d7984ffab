"""The coordinator's "Daftar dari kantor" (``coordinator:office-list``): the people of
their area from the office's data, marked several at once on the list or one by one on a
person's page. "Masih tinggal di sini" continues in the batch preview
(``coordinator:preview``), where they become residents of a draft list."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery

from portal.clock import today_local
from portal.coordinator import office_list
from portal.coordinator.office_list import MarkForm, MarkResult
from portal.domain import form_tokens
from portal.domain.errors import Conflict, DomainError, Invalid
from portal.domain.scope import Scope
from portal.web import flash
from portal.web.deps import Access
from portal.web.flash import Counts, Notice
from portal.web.forms import form_of
from portal.web.render import render
from portal.web.urls import url


def _marked(counts: Counts) -> Notice:
    n = counts["n"]
    return flash.ok(f"{n} orang sudah ditandai." if n > 1 else "Tanda sudah disimpan.")


NOTICES = flash.messages(
    {
        "kantor-ditandai": _marked,
        # After the batch preview's confirm of people "masih tinggal di sini".
        "kantor-disimpan": flash.ok(
            "Warga dari Daftar dari kantor sudah disimpan di draf. Kirim daftarnya ke petugas "
            "bila sudah lengkap."
        ),
    }
)
MARK = {"form": form_of(MarkForm)}


def _form_context(form: MarkForm | None, exc: DomainError | None) -> dict[str, Any]:
    """The form as sent (kept after a refusal) with its messages, and its token: a refused
    form stored nothing, so its token may act once more."""
    form = form or MarkForm()
    return {
        "form": form,
        "token": form._token or form_tokens.new_token(),
        "errors": exc.errors if isinstance(exc, Invalid) else {},
        "problem": flash.error(exc.message) if isinstance(exc, Conflict) else None,
    }


def _status(exc: DomainError | None) -> int:
    return exc.status if exc is not None else 200


async def _list_page(
    request: Request,
    access: Scope,
    show: str,
    search: str,
    page: str,
    form: MarkForm | None = None,
    exc: DomainError | None = None,
) -> Response:
    view = await office_list.office_list(access, show, search, page, today_local())
    context = {"v": view, **_form_context(form, exc)}
    return render(request, "coordinator/office_list.html", context, status_code=_status(exc))


def _after_mark(request: Request, result: MarkResult, form: MarkForm) -> Response:
    """On to the batch preview for "masih tinggal", else back to the same view."""
    if result.batch_key:
        return flash.redirect(url(request, "coordinator:preview", batch_id=result.batch_key))
    back = url(request, "coordinator:office-list", query=form.back_query())
    return flash.redirect(back, "kantor-ditandai", n=result.marked)


@get("/daftar-kantor", name="coordinator:office-list")
async def office_list_page(
    request: Request,
    access: Access,
    tampil: FromQuery[str] = "",
    cari: FromQuery[str] = "",
    halaman: FromQuery[str] = "",
) -> Response:
    return await _list_page(request, access, tampil, cari, halaman)


@post("/daftar-kantor/tandai", name="coordinator:office-list-mark", dependencies=MARK)
async def mark_several(
    request: Request, access: Access, form: NamedDependency[MarkForm]
) -> Response:
    try:
        result = await office_list.mark(access, form)
    except (Invalid, Conflict) as exc:
        return await _list_page(
            request, access, form.tampil, form.cari, form.halaman, form=form, exc=exc
        )
    return _after_mark(request, result, form)


async def _person_page(
    request: Request,
    access: Scope,
    person_id: int,
    form: MarkForm | None = None,
    exc: DomainError | None = None,
) -> Response:
    view = await office_list.person(access, person_id, today_local())
    context = {"v": view, **_form_context(form, exc)}
    template = "coordinator/office_list_person.html"
    return render(request, template, context, status_code=_status(exc))


@get("/daftar-kantor/{person_id:int}", name="coordinator:office-person")
async def person_page(request: Request, access: Access, person_id: FromPath[int]) -> Response:
    return await _person_page(request, access, person_id)


@post("/daftar-kantor/{person_id:int}", name="coordinator:office-person-mark", dependencies=MARK)
async def mark_one(
    request: Request, access: Access, person_id: FromPath[int], form: NamedDependency[MarkForm]
) -> Response:
    try:
        result = await office_list.mark(access, form, person_id=person_id)
    except (Invalid, Conflict) as exc:
        return await _person_page(request, access, person_id, form=form, exc=exc)
    return _after_mark(request, result, form)

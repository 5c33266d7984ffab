"""The queue page (``staff:queue``) and its bulk actions."""

from __future__ import annotations

from litestar import Request, Response
from litestar.di import NamedDependency
from litestar.response import Redirect

from portal.clock import today_local
from portal.domain.errors import Invalid
from portal.staff import queue, queue_bulk
from portal.staff.queue_bulk import BulkInput, Confirmation
from portal.staff.triage import SessionFull
from portal.staff.web import get, outcome_redirect, page, post, safe_back
from portal.web import flash
from portal.web.deps import Access
from portal.web.render import wants_fragment
from portal.web.urls import url


def choices() -> dict:
    """What the filter and bulk-action selects offer."""
    return {
        "statuses": queue.STATUS_CHOICES,
        "sorts": queue.SORTS,
        "page_sizes": queue.PAGE_SIZE_CHOICES,
        "assigned": queue.ASSIGNED,
        "bulk_actions": queue_bulk.ACTIONS,
        "bulk_cap": queue_bulk.CAP,
    }


@get("/antrian", name="staff:queue")
async def queue_page(request: Request, access: Access) -> Response:
    f = queue.QueueFilter.from_query(request.query_params)
    # The filter form sends every field, empty or not; the address bar and bookmarks get
    # the short form with only the filters in use.
    cursor = {"setelah": f.setelah, "sebelum": f.sebelum}
    canonical = url(request, "staff:queue", {**f.params(), **cursor})
    htmx = wants_fragment(request)
    if not htmx and any(v == "" for _, v in request.query_params.multi_items()):
        return Redirect(canonical, status_code=303)
    view = await queue.queue_view(access, f, today_local())
    context = {"f": f, "view": view, "oob": htmx, "back": canonical, **choices()}
    headers = {"HX-Push-Url": canonical} if htmx else None
    return page(
        request, "staff/queue.html", context, access, "antrian", block="results", headers=headers
    )


@post("/antrian/massal", name="staff:queue-bulk", form=BulkInput)
async def bulk_action(
    request: Request, access: Access, form: NamedDependency[BulkInput]
) -> Response:
    back = safe_back(form.kembali, url(request, "staff:queue"), url(request, "staff:dashboard"))
    try:
        result = await queue_bulk.act(access, form, today_local())
    except SessionFull as exc:
        return flash.redirect(back, "penuh", sisa=exc.remaining)
    except Invalid as exc:
        return flash.redirect(back, next(iter(exc.errors)))
    if isinstance(result, Confirmation):
        return confirm_page(request, result, back)
    return outcome_redirect(back, form.aksi, result)


def confirm_page(request: Request, confirmation: Confirmation, back: str) -> Response:
    """Asks to confirm the count; 409 when it changed since, 422 when it is too many."""
    status = 200
    if confirmation.changed_from is not None:
        status = 409
    elif confirmation.count > confirmation.cap:
        status = 422
    context = {"c": confirmation, "back": back}
    return page(
        request,
        "staff/queue_bulk_confirm.html",
        context,
        confirmation.access,
        "antrian",
        status_code=status,
    )

"""Blank-card stock (``staff:card-stock``): the stock and its ledger, deliveries in,
spoiled blanks, counter prints and recounts, and the reorder threshold."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery

from portal.clock import today_local
from portal.domain.errors import Invalid
from portal.domain.scope import Scope
from portal.staff import card_stock
from portal.staff.card_stock import AdjustInput, DeliveryInput, ThresholdInput
from portal.staff.web import GUARDS, page
from portal.web import flash
from portal.web.deps import Access
from portal.web.forms import form_of, refill
from portal.web.pagination import Pager
from portal.web.urls import url

flash.messages(
    {
        "blangko-masuk": flash.ok("Kiriman blangko dicatat; stok sudah bertambah."),
        "blangko-koreksi": flash.ok("Perubahan stok blangko dicatat."),
        "blangko-batas": flash.ok("Batas pesan ulang disimpan."),
    }
)


async def stock_page(request: Request, access: Scope, halaman: str = "", **shown: Any) -> Response:
    """The page; ``shown``: the ``errors`` and ``values`` of a refused form."""
    view = await card_stock.stock_page(access, halaman, today_local(), Pager.of)
    context = {"v": view, "today": today_local(), "kinds": card_stock.ADJUST_KINDS, **shown}
    status = 422 if shown.get("errors") else 200
    return page(request, "staff/card_stock.html", context, access, "blangko", status_code=status)


def to_stock(request: Request, access: Scope, code: str) -> Response:
    return flash.redirect(url(request, "staff:card-stock", {"kantor": access.kantor}), code)


@get("/blangko", guards=GUARDS, name="staff:card-stock")
async def card_stock_page(
    request: Request, access: Access, halaman: FromQuery[str] = ""
) -> Response:
    return await stock_page(request, access, halaman)


@post(
    "/blangko/masuk",
    guards=GUARDS,
    name="staff:card-stock-delivery",
    dependencies={"form": form_of(DeliveryInput)},
)
async def delivery(
    request: Request, access: Access, form: NamedDependency[DeliveryInput]
) -> Response:
    chosen = access.choose(form.kantor)
    try:
        await card_stock.record_delivery(chosen, form, today_local())
    except Invalid as exc:
        return await stock_page(request, chosen, errors=exc.errors, values=refill(form))
    return to_stock(request, chosen, "blangko-masuk")


@post(
    "/blangko/koreksi",
    guards=GUARDS,
    name="staff:card-stock-adjust",
    dependencies={"form": form_of(AdjustInput)},
)
async def adjust(request: Request, access: Access, form: NamedDependency[AdjustInput]) -> Response:
    chosen = access.choose(form.kantor)
    try:
        await card_stock.adjust(chosen, form, today_local())
    except Invalid as exc:
        return await stock_page(request, chosen, errors=exc.errors, values=refill(form))
    return to_stock(request, chosen, "blangko-koreksi")


@post(
    "/blangko/batas",
    guards=GUARDS,
    name="staff:card-stock-threshold",
    dependencies={"form": form_of(ThresholdInput)},
)
async def threshold(
    request: Request, access: Access, form: NamedDependency[ThresholdInput]
) -> Response:
    chosen = access.choose(form.kantor)
    try:
        await card_stock.set_threshold(chosen, form)
    except Invalid as exc:
        return await stock_page(request, chosen, errors=exc.errors, values=refill(form))
    return to_stock(request, chosen, "blangko-batas")

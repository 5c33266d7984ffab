"""Blank-card stock (``staff:card-stock``): the stock and its ledger, deliveries in,
spoiled blanks, counter prints and recounts, and the reorder threshold."""

from __future__ import annotations

from functools import partial
from typing import Any

from litestar import Request, Response
from litestar.di import NamedDependency
from litestar.params import FromQuery

from portal.clock import today_local
from portal.domain.scope import Scope
from portal.staff import card_stock
from portal.staff.card_stock import AdjustInput, DeliveryInput, ThresholdInput
from portal.staff.web import get, office_form, page, post
from portal.web import flash
from portal.web.deps import Access
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
    view = await card_stock.stock_page(access, halaman, today_local())
    context = {"v": view, "today": today_local(), "kinds": card_stock.ADJUST_KINDS, **shown}
    status = 422 if shown.get("errors") else 200
    return page(request, "staff/card_stock.html", context, access, "blangko", status_code=status)


def to_stock(code: str):
    """Back to the stock page of the office the form was for, with the message ``code``."""

    def done(request: Request, access: Scope, _: object) -> Response:
        return flash.redirect(url(request, "staff:card-stock", {"kantor": access.kantor}), code)

    return done


@get("/blangko", name="staff:card-stock")
async def card_stock_page(
    request: Request, access: Access, halaman: FromQuery[str] = ""
) -> Response:
    return await stock_page(request, access, halaman)


@post("/blangko/masuk", name="staff:card-stock-delivery", form=DeliveryInput)
async def delivery(
    request: Request, access: Access, form: NamedDependency[DeliveryInput]
) -> Response:
    save = partial(card_stock.record_delivery, form=form, today=today_local())
    return await office_form(request, access, form, save, stock_page, to_stock("blangko-masuk"))


@post("/blangko/koreksi", name="staff:card-stock-adjust", form=AdjustInput)
async def adjust(request: Request, access: Access, form: NamedDependency[AdjustInput]) -> Response:
    save = partial(card_stock.adjust, form=form, today=today_local())
    return await office_form(request, access, form, save, stock_page, to_stock("blangko-koreksi"))


@post("/blangko/batas", name="staff:card-stock-threshold", form=ThresholdInput)
async def threshold(
    request: Request, access: Access, form: NamedDependency[ThresholdInput]
) -> Response:
    save = partial(card_stock.set_threshold, form=form)
    return await office_form(request, access, form, save, stock_page, to_stock("blangko-batas"))

"""Targets (``staff:targets``): the year's IKD target and recordings against it, per month,
as a chart with its table; the target form and the office's own monthly totals."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery

from portal.clock import today_local
from portal.domain.errors import Invalid
from portal.domain.scope import Scope
from portal.staff import targets
from portal.staff.targets import TallyInput, TargetInput
from portal.staff.web import GUARDS, page
from portal.web import flash
from portal.web.deps import Access
from portal.web.forms import form_of, refill
from portal.web.urls import url

flash.messages(
    {
        "target-disimpan": flash.ok("Target disimpan."),
        "target-bulan": flash.ok(
            "Angka bulanan kantor disimpan; angka ini menggantikan hitungan portal untuk bulan itu."
        ),
    }
)


async def targets_page(request: Request, access: Scope, tahun: str = "", **shown: Any) -> Response:
    """The page; ``shown``: the ``errors`` and ``values`` of a refused form."""
    view = await targets.targets_page(access, tahun, today_local())
    context = {"v": view, **shown}
    status = 422 if shown.get("errors") else 200
    return page(request, "staff/targets.html", context, access, "target", status_code=status)


def to_targets(request: Request, access: Scope, year: int, code: str) -> Response:
    query = {"kantor": access.kantor, "tahun": year}
    return flash.redirect(url(request, "staff:targets", query), code)


@get("/target", guards=GUARDS, name="staff:targets")
async def targets_view(request: Request, access: Access, tahun: FromQuery[str] = "") -> Response:
    return await targets_page(request, access, tahun)


@post(
    "/target",
    guards=GUARDS,
    name="staff:targets-save",
    dependencies={"form": form_of(TargetInput)},
)
async def save_target(
    request: Request, access: Access, form: NamedDependency[TargetInput]
) -> Response:
    chosen = access.choose(form.kantor)
    try:
        year = await targets.save_target(chosen, form, today_local())
    except Invalid as exc:
        shown = {"errors": exc.errors, "values": refill(form)}
        return await targets_page(request, chosen, form.tahun, **shown)
    return to_targets(request, chosen, year, "target-disimpan")


@post(
    "/target/bulan",
    guards=GUARDS,
    name="staff:targets-month",
    dependencies={"form": form_of(TallyInput)},
)
async def save_month(
    request: Request, access: Access, form: NamedDependency[TallyInput]
) -> Response:
    chosen = access.choose(form.kantor)
    try:
        month = await targets.save_tally(chosen, form, today_local())
    except Invalid as exc:
        shown = {"errors": exc.errors, "values": refill(form)}
        return await targets_page(request, chosen, form.bulan[:4], **shown)
    return to_targets(request, chosen, month.year, "target-bulan")

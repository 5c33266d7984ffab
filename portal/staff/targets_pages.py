"""Targets (``staff:targets``): the year's IKD target and recordings against it, per month,
as a chart with its table; the target form and the office's own monthly totals."""

from __future__ import annotations

from functools import partial
from typing import Any

from litestar import Request, Response
from litestar.di import NamedDependency
from litestar.params import FromQuery

from portal.clock import today_local
from portal.domain.scope import Scope
from portal.staff import targets
from portal.staff.targets import TallyInput, TargetInput
from portal.staff.web import get, office_form, page, post
from portal.web import flash
from portal.web.deps import Access
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
    status = 422 if shown.get("errors") else 200
    return page(
        request, "staff/targets.html", {"v": view, **shown}, access, "target", status_code=status
    )


def to_targets(code: str):
    """Back to the targets page of the office and year the form was for."""

    def done(request: Request, access: Scope, year: object) -> Response:
        query = {"kantor": access.kantor, "tahun": getattr(year, "year", year)}
        return flash.redirect(url(request, "staff:targets", query), code)

    return done


@get("/target", name="staff:targets")
async def targets_view(request: Request, access: Access, tahun: FromQuery[str] = "") -> Response:
    return await targets_page(request, access, tahun)


@post("/target", name="staff:targets-save", form=TargetInput)
async def save_target(
    request: Request, access: Access, form: NamedDependency[TargetInput]
) -> Response:
    save = partial(targets.save_target, form=form, today=today_local())
    again = partial(targets_page, tahun=form.tahun)
    return await office_form(request, access, form, save, again, to_targets("target-disimpan"))


@post("/target/bulan", name="staff:targets-month", form=TallyInput)
async def save_month(
    request: Request, access: Access, form: NamedDependency[TallyInput]
) -> Response:
    save = partial(targets.save_tally, form=form, today=today_local())
    again = partial(targets_page, tahun=form.bulan[:4])
    return await office_form(request, access, form, save, again, to_targets("target-bulan"))

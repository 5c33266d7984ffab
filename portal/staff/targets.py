"""Targets per office (``staff:targets``): wajib KTP and the IKD share for a year (→ the
yearly target and the monthly rate still needed), an optional recordings target, and the
office's own monthly totals, which override what the portal counted for that month. The
figures come from ``portal.domain.targets``, the query the dashboard and /capaian read too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Annotated, Any

from portal.domain import audit
from portal.domain.errors import Invalid
from portal.domain.inputs import Limit
from portal.domain.regions import OfficeRef
from portal.domain.scope import Scope
from portal.domain.targets import TargetView, target_views
from portal.domain.transactions import write_transaction
from portal.rules.targets import (
    DEFAULT_IKD_PERCENT,
    EARLIEST_YEAR,
    month_start,
    month_starts,
    target_problems,
)
from portal.staff.inputs import OfficeForm, office_for
from portal.tables.targets import OfficeMonthTally, OfficeTarget

SOURCE_MAX = 300
MAX_MONTHLY = 1_000_000
# The rule names the fields in English; the form in Indonesian.
RULE_FIELDS = {"year": "tahun", "wajib_ktp": "wajib_ktp", "ikd_percent": "persen_ikd"}


def now() -> datetime:
    return datetime.now(UTC)


def read_whole(raw: str) -> int | None:
    """A whole number as staff type it ("103.272", "103 272"); None when blank or not one."""
    text = (raw or "").strip().replace(".", "").replace(" ", "")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


def chosen_year(raw: str, today: date) -> int:
    year = read_whole(raw)
    return year if year is not None and EARLIEST_YEAR <= year <= today.year + 1 else today.year


@dataclass
class TargetsPage:
    year: int
    years: list[int]
    views: list[TargetView]
    office: OfficeRef | None  # the office the forms are for (None: an admin must choose)
    months: list[date]  # the months a monthly total may be entered for

    @property
    def current(self) -> TargetView | None:
        """The view of the office the forms are for."""
        return next((v for v in self.views if self.office and v.office.id == self.office.id), None)


def _offices(access: Scope) -> list[OfficeRef]:
    return [o for o in access.offices if o.id in access.listing_ids]


async def targets_page(access: Scope, year_raw: str, today: date) -> TargetsPage:
    access.require_staff()
    year = chosen_year(year_raw, today)
    return TargetsPage(
        year=year,
        years=list(range(today.year + 1, max(EARLIEST_YEAR, today.year - 4) - 1, -1)),
        views=await target_views(_offices(access), year, today),
        office=access.single_office(),
        months=[m for m in month_starts(year) if m <= month_start(today)],
    )


async def panel(access: Scope, today: date) -> list[TargetView]:
    """The dashboard's panel: this year, every office of the listing."""
    return await target_views(_offices(access), today.year, today)


@dataclass
class TargetInput(OfficeForm):
    tahun: str = ""
    wajib_ktp: str = ""
    persen_ikd: str = str(DEFAULT_IKD_PERCENT)
    rekam_per_bulan: str = ""
    sumber: Annotated[str, Limit(SOURCE_MAX + 1)] = ""


@dataclass
class TallyInput(OfficeForm):
    """Named apart from the target form's fields: both stand on one page."""

    bulan: str = ""  # "2026-11"
    ikd: str = ""  # blank: not entered, the portal's count stands
    rekam: str = ""
    sumber_bulan: Annotated[str, Limit(SOURCE_MAX + 1)] = ""


def _optional(errors: dict[str, str], name: str, raw: str, label: str) -> int | None:
    if not (raw or "").strip():
        return None
    value = read_whole(raw)
    if value is None or value > MAX_MONTHLY:
        errors[name] = f"{label} harus angka bulat, misalnya 2.150, atau dikosongkan"
    return value


def _source(errors: dict[str, str], raw: str, name: str = "sumber") -> str:
    if len(raw) > SOURCE_MAX:
        errors[name] = f"Sumber paling banyak {SOURCE_MAX} karakter"
    return raw


async def save_target(access: Scope, form: TargetInput, today: date) -> int:
    """Set (or change) an office's target for a year; returns the year."""
    office = office_for(access, form.kantor)
    year, wajib = read_whole(form.tahun), read_whole(form.wajib_ktp)
    percent = read_whole(form.persen_ikd)
    errors = {RULE_FIELDS[k]: v for k, v in target_problems(year, wajib, percent, today).items()}
    per_month = _optional(errors, "rekam_per_bulan", form.rekam_per_bulan, "Target perekaman")
    source = _source(errors, form.sumber)
    if errors:
        raise Invalid(errors)
    assert year is not None and wajib is not None and percent is not None
    values: dict[Any, Any] = {
        OfficeTarget.wajib_ktp: wajib,
        OfficeTarget.ikd_percent: percent,
        OfficeTarget.recordings_per_month: per_month,
        OfficeTarget.source: source,
    }
    detail = {"year": year, "wajib_ktp": wajib, "ikd_percent": percent}
    key = {OfficeTarget.office: office.id, OfficeTarget.year: year}
    await _upsert(access, office, OfficeTarget, key, values, "target.save", detail)
    return year


async def _upsert(
    access: Scope,
    office: OfficeRef,
    table: Any,  # OfficeTarget or OfficeMonthTally
    key: dict[Any, Any],
    values: dict[Any, Any],
    action: str,
    detail: dict[str, Any],
) -> None:
    """One row per ``key`` (office and year, or office and month: unique indexes), made or
    changed in one statement with its audit line, so two saves at once cannot make two."""
    values = {**values, table.updated_at: now(), table.updated_by: access.actor.user_id}
    row = table(**{c._meta.name: v for c, v in {**key, **values}.items()})
    async with write_transaction():
        await table.insert(row).on_conflict(
            target=tuple(key), action="DO UPDATE", values=list(values)
        )
        await audit.record(
            access.actor,
            action,
            office_id=office.id,
            object_type=table._meta.tablename,
            object_id="-".join(str(v) for v in key.values()),
            detail=detail,
        )


def _month(errors: dict[str, str], raw: str, today: date) -> date | None:
    try:
        month = date.fromisoformat(f"{raw.strip()}-01")
    except ValueError:
        errors["bulan"] = "Pilih bulan"
        return None
    if month > month_start(today) or month.year < EARLIEST_YEAR:
        errors["bulan"] = "Angka hanya bisa diisi untuk bulan ini atau bulan yang sudah lewat"
    return month


async def save_tally(access: Scope, form: TallyInput, today: date) -> date:
    """The office's own totals for one month (either may be left blank: then the portal's
    count stands for it); returns the month."""
    office = office_for(access, form.kantor)
    errors: dict[str, str] = {}
    month = _month(errors, form.bulan, today)
    ikd = _optional(errors, "ikd", form.ikd, "Jumlah aktivasi IKD")
    recordings = _optional(errors, "rekam", form.rekam, "Jumlah perekaman")
    source = _source(errors, form.sumber_bulan, "sumber_bulan")
    if errors or month is None:
        raise Invalid(errors)
    values: dict[Any, Any] = {
        OfficeMonthTally.ikd_activations: ikd,
        OfficeMonthTally.recordings: recordings,
        OfficeMonthTally.source: source,
    }
    detail = {"month": month.isoformat(), "ikd": ikd, "recordings": recordings}
    key = {OfficeMonthTally.office: office.id, OfficeMonthTally.month: month}
    await _upsert(access, office, OfficeMonthTally, key, values, "target.month", detail)
    return month

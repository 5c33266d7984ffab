"""Age arithmetic and KTP-el recording eligibility.

Law and policy (domain research §3): a KTP-el is mandatory from 17 or once married / ever
married (UU 23/2006 jo. UU 24/2013 Pasal 63 ayat 1); Ditjen Dukcapil lets people record
their biometrics from 16 and prints the card at 17; Kota Mojokerto announced 16 years
8 months in July 2024.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

Status = Literal["must", "can", "not_yet"]

MAX_AGE_YEARS = 130


def add_months(d: date, months: int) -> date:
    """`d` plus whole calendar months.

    When the target month has no such day (30 June + 8 months, 31 Jan + 1 month) the result
    is the first day of the next month, not the last day of the short month: a period only
    counts as completed once the anniversary day has fully passed, so nobody is ever told
    they are old enough a day or more before they are. Clamping to 28 Feb would do that.
    """
    year, month0 = divmod(d.year * 12 + d.month - 1 + months, 12)
    month = month0 + 1
    last_day = calendar.monthrange(year, month)[1]
    if d.day <= last_day:
        return date(year, month, d.day)
    return date(year, month, last_day) + timedelta(days=1)


def add_years(d: date, years: int) -> date:
    """`d` plus whole years; someone born on 29 Feb reaches each age on 1 March in non-leap
    years (the day after 28 Feb), by the same never-early rule as `add_months`."""
    return add_months(d, 12 * years)


def age_on(birth: date, on: date) -> tuple[int, int]:
    """Completed (years, months) on `on`; a birthday or monthly anniversary counts that day."""
    if on < birth:
        raise ValueError("Tanggal lahir tidak boleh sesudah tanggal perhitungan")
    months = (on.year - birth.year) * 12 + on.month - birth.month
    # One step back is always enough: add_months(birth, months - 1) is at latest the first
    # day of on's month.
    if add_months(birth, months) > on:
        months -= 1
    return divmod(months, 12)


@dataclass(frozen=True, slots=True)
class RecordingRule:
    min_years: int = 16
    min_months: int = 0
    mandatory_years: int = 17
    # Names the rule in messages ("Kota Mojokerto"); empty for the national rule.
    area: str = ""

    def __post_init__(self) -> None:
        if not 0 <= self.min_months <= 11:
            raise ValueError("min_months must be 0-11")
        if self.min_years < 0 or (self.min_years, self.min_months) > (self.mandatory_years, 0):
            raise ValueError("the minimum recording age cannot be above the mandatory age")

    @property
    def total_min_months(self) -> int:
        return self.min_years * 12 + self.min_months

    def describe(self) -> str:
        text = f"{self.min_years} tahun"
        return f"{text} {self.min_months} bulan" if self.min_months else text


NATIONAL_RULE = RecordingRule()
# Announced by Dispendukcapil Kota Mojokerto in July 2024 ahead of the 27 Nov 2024 Pilkada
# (domain research §3.2); whether it still applies is unverified, so it is opt-in.
KOTA_MOJOKERTO_2024_RULE = RecordingRule(min_years=16, min_months=8, area="Kota Mojokerto")


@dataclass(frozen=True, slots=True)
class Eligibility:
    status: Status
    can_record_from: date
    mandatory_from: date | None
    rule_applied: str
    age: tuple[int, int]
    by_date: date | None = None
    by_date_status: Status | None = None


def check_eligibility(
    birth_date: date,
    *,
    married: bool,
    rule: RecordingRule,
    today: date,
    by_date: date | None = None,
) -> Eligibility:
    if birth_date > today:
        raise ValueError("Tanggal lahir tidak boleh di masa depan")
    if add_years(birth_date, MAX_AGE_YEARS) < today:
        raise ValueError(
            f"Tanggal lahir lebih dari {MAX_AGE_YEARS} tahun yang lalu; periksa kembali tahunnya"
        )
    old_enough_from = add_months(birth_date, rule.total_min_months)
    if married:
        # Marriage makes the card mandatory at any age, so recording is open right now.
        mandatory_from = None
        can_record_from = min(old_enough_from, today)
    else:
        mandatory_from = add_years(birth_date, rule.mandatory_years)
        can_record_from = old_enough_from

    def status_on(day: date) -> Status:
        if mandatory_from is None or day >= mandatory_from:
            return "must"
        return "can" if day >= can_record_from else "not_yet"

    status = status_on(today)
    return Eligibility(
        status=status,
        can_record_from=can_record_from,
        mandatory_from=mandatory_from,
        rule_applied=_rule_sentence(rule, status=status, married=married),
        age=age_on(birth_date, today),
        by_date=by_date,
        by_date_status=status_on(by_date) if by_date is not None else None,
    )


MARRIED_RULE = (
    "Sudah kawin atau pernah kawin: wajib memiliki KTP-el berapa pun usianya "
    "(UU Administrasi Kependudukan Pasal 63)"
)


def marriage_reason(age_years: int, *, married: bool, rule: RecordingRule = NATIONAL_RULE) -> str:
    """Why someone below the mandatory age must record now (``MARRIED_RULE``), or "" when
    marriage changes nothing for them (not married, or old enough anyway)."""
    return MARRIED_RULE if married and age_years < rule.mandatory_years else ""


def _rule_sentence(rule: RecordingRule, *, status: Status, married: bool) -> str:
    if married:
        return MARRIED_RULE
    if status == "must":
        return (
            f"Wajib memiliki KTP-el mulai usia {rule.mandatory_years} tahun "
            "(UU Administrasi Kependudukan Pasal 63)"
        )
    where = f"di {rule.area}" if rule.area else "KTP-el"
    return f"Usia minimal perekaman {where}: {rule.describe()}"

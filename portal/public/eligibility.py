"""Cek apakah saya sudah bisa rekam: the GET form's answers checked in the GOV.UK way (one
message per question, the parts to highlight, input kept), then
`portal.rules.ages.check_eligibility` with the chosen office's minimum age. Nothing is stored.

``check`` is pure: the offices and today's date are passed in, so every answer is
unit-testable.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date

from portal.domain import regions
from portal.domain.regions import OfficeRef
from portal.rules.ages import Eligibility, RecordingRule, check_eligibility
from portal.rules.dates import DateError, parse_date_parts

BIRTH = "lahir"
BY = "pada"
PARTS = ("hari", "bulan", "tahun")
# Maps the parts named by DateError to our field-name suffixes.
PART_SUFFIX = {"day": "hari", "month": "bulan", "year": "tahun"}
MARRIED_CHOICES = {"tidak": False, "ya": True}
# Longer than any real answer; what is typed is shown again, so it stays short.
MAX_ANSWER = 40


def _part(name: str) -> str:
    return field(default="", metadata={"form_name": name})


@dataclass
class EligibilityQuery:
    """The form's fields, by their names in the address (``?lahir-hari=17&…``)."""

    lahir_hari: str = _part("lahir-hari")
    lahir_bulan: str = _part("lahir-bulan")
    lahir_tahun: str = _part("lahir-tahun")
    kawin: str = ""
    kantor: str = ""
    pada_hari: str = _part("pada-hari")
    pada_bulan: str = _part("pada-bulan")
    pada_tahun: str = _part("pada-tahun")

    def values(self) -> dict[str, str]:
        """Each answer by its form name, as typed (cut to ``MAX_ANSWER``)."""
        return {
            f.metadata.get("form_name", f.name): getattr(self, f.name)[:MAX_ANSWER]
            for f in fields(self)
        }


@dataclass
class CheckerForm:
    values: dict[str, str]
    submitted: bool = False
    # question id ("lahir", "kawin", "kantor", "pada") -> message
    errors: dict[str, str] = field(default_factory=dict)
    # field names to mark aria-invalid (the date parts named by the error)
    invalid: set[str] = field(default_factory=set)
    result: Eligibility | None = None
    office: OfficeRef | None = None

    def first_invalid(self, question: str) -> str:
        """The id the error summary links to: the first highlighted part of a date."""
        if question in (BIRTH, BY):
            for part in PARTS:
                if f"{question}-{part}" in self.invalid:
                    return f"{question}-{part}"
            return f"{question}-hari"
        return {"kawin": "kawin-tidak", "kantor": "kantor"}.get(question, question)

    @property
    def summary(self) -> list[tuple[str, str]]:
        order = (BIRTH, "kawin", "kantor", BY)
        return [(self.first_invalid(q), self.errors[q]) for q in order if q in self.errors]


def recording_rule(office: OfficeRef) -> RecordingRule:
    return RecordingRule(
        min_years=office.min_age_years, min_months=office.min_age_months, area=office.short_name
    )


def _date_parts(values: Mapping[str, str], prefix: str) -> tuple[str, str, str]:
    day, month, year = (values.get(f"{prefix}-{p}", "") for p in PARTS)
    return day, month, year


def _read_date(
    form: CheckerForm, prefix: str, label: str, today: date | None = None
) -> date | None:
    """The date typed under ``prefix``; a birth date (``today`` given) must be in the past,
    a target date may be in the future."""
    parts = _date_parts(form.values, prefix)
    try:
        return parse_date_parts(*parts, field_label=label, today=today, allow_future=not today)
    except DateError as exc:
        form.errors[prefix] = exc.message
        form.invalid |= {f"{prefix}-{PART_SUFFIX[p]}" for p in exc.parts}
        return None


def check(query: EligibilityQuery, offices: Mapping[str, OfficeRef], today: date) -> CheckerForm:
    """``offices`` by slug."""
    values = query.values()
    form = CheckerForm(values=values, submitted=any(values.values()))
    if not form.submitted:
        return form

    birth = _read_date(form, BIRTH, "Tanggal lahir", today=today)

    married = MARRIED_CHOICES.get(values["kawin"])
    if married is None:
        form.errors["kawin"] = "Pilih apakah Anda sudah pernah menikah"

    office = offices.get(values["kantor"])
    if office is None:
        form.errors["kantor"] = "Pilih tempat Anda terdaftar: Kota atau Kabupaten Mojokerto"

    by_date: date | None = None
    if any(_date_parts(values, BY)):
        by_date = _read_date(form, BY, "Tanggal tujuan")
        if by_date is not None and by_date < today:
            form.errors[BY] = "Tanggal tujuan harus hari ini atau sesudahnya"
            form.invalid |= {f"{BY}-{p}" for p in PARTS}

    if form.errors or birth is None or married is None or office is None:
        return form
    try:
        form.result = check_eligibility(
            birth, married=married, rule=recording_rule(office), today=today, by_date=by_date
        )
    except ValueError as exc:
        form.errors[BIRTH] = str(exc)
        form.invalid |= {f"{BIRTH}-tahun"}
        return form
    form.office = office
    return form


@dataclass(frozen=True)
class EligibilityPage:
    form: CheckerForm
    office_choices: list[tuple[str, str]]


async def eligibility_page(query: EligibilityQuery, today: date) -> EligibilityPage:
    offices = await regions.load_offices()
    return EligibilityPage(
        form=check(query, {o.slug: o for o in offices}, today),
        office_choices=[(o.slug, f"{o.short_name} (mulai {o.min_age_text})") for o in offices],
    )

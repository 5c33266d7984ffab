"""The "Cek apakah saya sudah bisa rekam" form: read the GET parameters, validate them in the
GOV.UK way (one message per question, the parts to highlight, input kept) and apply
`portal.rules.ages.check_eligibility` with the chosen office's minimum age.

Pure: the office rules and today's date are passed in, so every answer is unit-testable.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from portal.rules.ages import Eligibility, RecordingRule, check_eligibility
from portal.rules.dates import DateError, parse_date_parts

BIRTH = "lahir"
BY = "pada"
PARTS = ("hari", "bulan", "tahun")
# Maps the parts named by DateError to our field-name suffixes.
PART_SUFFIX = {"day": "hari", "month": "bulan", "year": "tahun"}
FIELDS = (
    *(f"{BIRTH}-{p}" for p in PARTS),
    "kawin",
    "kantor",
    *(f"{BY}-{p}" for p in PARTS),
)
MARRIED_CHOICES = {"tidak": False, "ya": True}


@dataclass(frozen=True, slots=True)
class OfficeRule:
    slug: str
    short_name: str
    min_years: int
    min_months: int

    @property
    def rule(self) -> RecordingRule:
        return RecordingRule(
            min_years=self.min_years, min_months=self.min_months, area=self.short_name
        )


@dataclass
class CheckerForm:
    values: dict[str, str]
    submitted: bool = False
    # question id ("lahir", "kawin", "kantor", "pada") -> message
    errors: dict[str, str] = field(default_factory=dict)
    # field names to mark aria-invalid (the date parts named by the error)
    invalid: set[str] = field(default_factory=set)
    result: Eligibility | None = None
    office: OfficeRule | None = None

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


def _date_parts(values: Mapping[str, str], prefix: str) -> tuple[str, str, str]:
    day, month, year = (values.get(f"{prefix}-{p}", "") for p in PARTS)
    return day, month, year


def read_form(
    params: Mapping[str, str], offices: Mapping[str, OfficeRule], today: date
) -> CheckerForm:
    values = {name: (params.get(name) or "").strip()[:40] for name in FIELDS}
    form = CheckerForm(values=values, submitted=any(values.values()))
    if not form.submitted:
        return form

    birth: date | None = None
    try:
        birth = parse_date_parts(
            *_date_parts(values, BIRTH), field_label="Tanggal lahir", today=today
        )
    except DateError as exc:
        form.errors[BIRTH] = exc.message
        form.invalid |= {f"{BIRTH}-{PART_SUFFIX[p]}" for p in exc.parts}

    married = MARRIED_CHOICES.get(values["kawin"])
    if married is None:
        form.errors["kawin"] = "Pilih apakah Anda sudah pernah menikah"

    office = offices.get(values["kantor"])
    if office is None:
        form.errors["kantor"] = "Pilih tempat Anda terdaftar: Kota atau Kabupaten Mojokerto"

    by_date: date | None = None
    if any(_date_parts(values, BY)):
        try:
            by_date = parse_date_parts(
                *_date_parts(values, BY), field_label="Tanggal tujuan", allow_future=True
            )
        except DateError as exc:
            form.errors[BY] = exc.message
            form.invalid |= {f"{BY}-{PART_SUFFIX[p]}" for p in exc.parts}
        else:
            if by_date < today:
                form.errors[BY] = "Tanggal tujuan harus hari ini atau sesudahnya"
                form.invalid |= {f"{BY}-{p}" for p in PARTS}

    if form.errors or birth is None or married is None or office is None:
        return form
    try:
        form.result = check_eligibility(
            birth, married=married, rule=office.rule, today=today, by_date=by_date
        )
    except ValueError as exc:
        form.errors[BIRTH] = str(exc)
        form.invalid |= {f"{BIRTH}-tahun"}
        return form
    form.office = office
    return form

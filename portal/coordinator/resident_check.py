"""Raw field values typed by a coordinator → a validated resident, errors and warnings.

One check for every way in (the one-by-one form, a pasted row, an uploaded row), so a row
means the same thing however it arrived. Pure: no database; duplicates are checked in
``portal.coordinator.duplicates`` on top of this.

Errors stop a row from being stored; warnings are stored with it and shown to staff; info
lines only help the person typing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from portal.coordinator.area import ListArea
from portal.coordinator.resident_fields import (
    clean_raw,
    parse_category,
    parse_married,
    parse_yes,
)
from portal.domain.rtrw import parse_rt_rw
from portal.rules.ages import age_on, check_eligibility, marriage_reason
from portal.rules.dates import DateError, format_date_id, parse_date_parts, parse_date_text
from portal.rules.names import name_key
from portal.rules.nik import Nik, NikError, nik_warnings, parse_nik
from portal.rules.people import derive_birth_date, parse_sex, read_address, read_name
from portal.rules.phone import PhoneError, normalise_phone

NOTE_MAX = 500
ADULT_YEARS = 18
ELDERLY_YEARS = 60

NIK_WARNING_CODES = frozenset({"birth_date_mismatch", "sex_mismatch", "outside_area"})
UNDER_AGE_CODE = "under_age"
T = TypeVar("T")
Refusal = NikError | PhoneError


@dataclass
class CheckedResident:
    raw: dict[str, str]
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    warnings: list[dict[str, str]] = field(default_factory=list)
    # Which of day/month/year to highlight for a birth-date error.
    dob_parts: set[str] = field(default_factory=set)
    # Notes for the person typing (age, derived values) that are not warnings for staff.
    info: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def warnings_for(self, name: str) -> list[str]:
        return [w["message"] for w in self.warnings if w.get("field") == name]


def check_resident(
    raw: Mapping[str, Any], area: ListArea, *, today: date, partial: bool = False
) -> CheckedResident:
    """Validate one resident. ``partial`` is the check made while the form is still being
    filled in (a field just left): a birth date with only some parts typed, or an empty
    RT, is not an error yet, because the person is still typing."""
    return _Check(clean_raw(raw), area, today, partial).run()


class _Check:
    """One row checked field by field, in the order the form asks; each step reads the raw
    text and writes values, errors, warnings and info lines."""

    def __init__(self, raw: dict[str, str], area: ListArea, today: date, partial: bool) -> None:
        self.r = raw
        self.area = area
        self.today = today
        self.partial = partial
        self.out = CheckedResident(raw=raw)
        self.errors = self.out.errors
        self.values = self.out.values

    def run(self) -> CheckedResident:
        self.name()
        nik = self.nik()
        typed_birth_date = self.typed_birth_date()
        birth_date = typed_birth_date or self.birth_date_from(nik)
        self.values["birth_date"] = birth_date
        self.sex(nik)
        self.address()
        for part, fixed in (("rw", self.area.rw), ("rt", self.area.rt)):
            self.rt_rw(part, fixed)
        self.phone()
        married = self.married()
        age_years = self.age(birth_date, married)
        self.category(age_years)
        self.consent(age_years)
        self.note()
        if nik is not None:
            self.nik_warnings(nik, typed_birth_date)
        self.flags()
        return self.out

    def name(self) -> None:
        full_name, problem = read_name(self.r["full_name"], empty="Masukkan nama lengkap")
        if problem:
            self.errors["full_name"] = problem
        self.values["full_name"] = full_name
        self.values["name_key"] = name_key(full_name)

    def nik(self) -> Nik | None:
        nik = self.converted("nik", parse_nik, NikError)
        self.values["nik"] = nik.value if nik else None
        return nik

    def typed_birth_date(self) -> date | None:
        """From the three boxes of the form, or a date written as text (paste, upload)."""
        parts = (self.r["dob_day"], self.r["dob_month"], self.r["dob_year"])
        try:
            if any(parts):
                if self.partial and not all(parts):
                    return None
                return parse_date_parts(*parts, today=self.today)
            if self.r["dob"]:
                written = parse_date_text(self.r["dob"])
                if written > self.today:
                    self.errors["dob"] = "Tanggal lahir harus di masa lalu"
                    return None
                return written
        except DateError as exc:
            self.errors["dob"] = exc.message
            self.out.dob_parts = set(exc.parts)
        return None

    def birth_date_from(self, nik: Nik | None) -> date | None:
        """Without a typed date: the one in the NIK when its century is certain."""
        if "dob" in self.errors:
            return None
        if nik is not None:
            derived = derive_birth_date(nik, self.today)
            if derived is None:
                self.errors["dob"] = (
                    f"Masukkan tanggal lahir: tahun di NIK hanya 2 angka ({nik.birth_yy:02d}), "
                    f"bisa 19{nik.birth_yy:02d} atau 20{nik.birth_yy:02d}"
                )
                self.out.dob_parts = {"day", "month", "year"}
            else:
                self.out.info["dob"] = f"Tanggal lahir dari NIK: {format_date_id(derived)}"
            return derived
        if not self.r["nik"] and not self.partial:
            self.errors["dob"] = "Masukkan tanggal lahir (wajib jika NIK tidak diisi)"
            self.out.dob_parts = {"day", "month", "year"}
        return None

    def converted(
        self, name: str, convert: Callable[[str], T], refused_by: type[Refusal]
    ) -> T | None:
        """A typed value through a rule that explains a refusal (``message``) itself."""
        if not self.r[name]:
            return None
        try:
            return convert(self.r[name])
        except refused_by as exc:
            self.errors[name] = exc.message
            return None

    def read(self, name: str, parse: Callable[[str], str | None], refused: str) -> str | None:
        """A typed choice read by ``parse``; what it cannot read is the error ``refused``."""
        value = parse(self.r[name]) if self.r[name] else None
        if self.r[name] and value is None:
            self.errors[name] = refused
        return value

    def sex(self, nik: Nik | None) -> None:
        sex = self.read("sex", parse_sex, "Pilih jenis kelamin: laki-laki (L) atau perempuan (P)")
        if sex is None and nik is not None and "sex" not in self.errors:
            sex = nik.sex
        self.values["sex"] = sex

    def address(self) -> None:
        address, problem = read_address(self.r["address"])
        if problem:
            self.errors["address"] = problem
        self.values["address"] = address

    def rt_rw(self, part: str, fixed: str | None) -> None:
        """Inside the list's area: a fixed RW/RT is filled in, another one refused."""
        label = part.upper()
        value = self.read(part, parse_rt_rw, f"{label} harus berupa angka, misalnya 03")
        if part not in self.errors:
            if fixed and value not in (None, fixed):
                self.errors[part] = (
                    f"Daftar ini untuk {label} {fixed}; warga {label} {value} masuk daftar lain"
                )
            elif not (value or fixed) and not self.partial:
                self.errors[part] = f"Masukkan {label} tempat tinggal warga"
            value = value or fixed
        self.values[part] = value

    def phone(self) -> None:
        self.values["phone"] = self.converted("phone", normalise_phone, PhoneError)

    def married(self) -> bool:
        married = parse_married(self.r["married"])
        if married is None:
            self.errors["married"] = (
                "Status kawin tidak dikenali: isi Kawin, Belum kawin, Cerai hidup, Cerai mati, "
                "atau kosongkan"
            )
        self.values["married"] = bool(married)
        return bool(married)

    def age(self, birth_date: date | None, married: bool) -> int | None:
        """Recording eligibility: the age line, why a married minor must record now, and
        the under-age warning with the day recording becomes possible."""
        self.values["eligible_from"] = None
        if birth_date is None:
            return None
        age_years = age_on(birth_date, self.today)[0]
        rule = self.area.rule
        try:
            eligibility = check_eligibility(
                birth_date, married=married, rule=rule, today=self.today
            )
        except ValueError as exc:
            self.errors["dob"] = str(exc)
            self.out.dob_parts = {"year"}
            return age_years
        years, months = eligibility.age
        self.out.info.setdefault("age", f"Umur {years} tahun {months} bulan")
        # Said where the under-age warning would otherwise stand, so the person typing sees
        # why there is none.
        if reason := marriage_reason(age_years, married=married, rule=rule):
            self.out.info["eligibility"] = reason
        if eligibility.status == "not_yet":
            self.values["eligible_from"] = eligible_from = eligibility.can_record_from
            where = f" di {rule.area}" if rule.area else ""
            message = (
                f"Belum cukup umur untuk rekam KTP-el (usia minimal{where} {rule.describe()}): "
                f"bisa direkam mulai {format_date_id(eligible_from)}. Tetap boleh didaftarkan."
            )
            self.out.warnings.append({"code": UNDER_AGE_CODE, "field": "dob", "message": message})
        return age_years

    def category(self, age_years: int | None) -> None:
        category = self.read("category", parse_category, "Pilih kategori dari daftar")
        if category is None and "category" not in self.errors:
            category = _default_category(age_years)
        self.values["category"] = category

    def consent(self, age_years: int | None) -> None:
        consent = parse_yes(self.r["guardian_consent"])
        if consent is None:
            self.errors["guardian_consent"] = "Isi persetujuan orang tua/wali dengan ya atau tidak"
        elif age_years is not None and age_years < ADULT_YEARS and not consent:
            self.errors["guardian_consent"] = (
                "Warga ini belum 18 tahun: pastikan orang tua/wali setuju datanya didaftarkan, "
                "lalu centang persetujuan"
            )
        self.values["guardian_consent"] = bool(consent)

    def note(self) -> None:
        if len(self.r["note"]) > NOTE_MAX:
            self.errors["note"] = f"Catatan paling banyak {NOTE_MAX} huruf"
        self.values["note"] = self.r["note"]

    def nik_warnings(self, nik: Nik, typed_birth_date: date | None) -> None:
        for warning in nik_warnings(
            nik,
            birth_date=typed_birth_date,
            sex=self.r["sex"] or None,
            office_prefixes=[self.area.nik_prefix],
        ):
            self.out.warnings.append(
                {"code": warning.code, "field": "nik", "message": warning.message}
            )

    def flags(self) -> None:
        self.values["warn_nik"] = any(w["code"] in NIK_WARNING_CODES for w in self.out.warnings)
        self.values["warn_under_age"] = self.values["eligible_from"] is not None
        self.values["warnings"] = list(self.out.warnings)


def _default_category(age_years: int | None) -> str:
    if age_years is None:
        return "lainnya"
    if age_years < ADULT_YEARS:
        return "pemula"
    if age_years >= ELDERLY_YEARS:
        return "lansia"
    return "dewasa"

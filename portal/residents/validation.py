"""Raw field values typed by a coordinator → a validated resident, errors and warnings.

One function for every way in (the one-by-one form, a pasted row, an uploaded row), so a
row means the same thing however it arrived. Pure: no database; duplicates are checked in
``portal.residents.duplicates`` on top of this.

Errors stop a row from being stored; warnings are stored with it and shown to staff.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from portal.residents.vocabulary import CATEGORIES
from portal.rules.ages import RecordingRule, age_on, check_eligibility, marriage_reason
from portal.rules.dates import DateError, format_date_id, parse_date_parts, parse_date_text
from portal.rules.names import name_key
from portal.rules.nik import Nik, NikError, mask_nik, nik_warnings, parse_nik
from portal.rules.phone import PhoneError, normalise_phone

# Every raw key a resident form or import row may carry. ``dob`` is a date written as text
# (paste/upload); the form sends the GOV.UK parts instead.
FIELDS = (
    "full_name",
    "nik",
    "dob",
    "dob_day",
    "dob_month",
    "dob_year",
    "sex",
    "address",
    "rw",
    "rt",
    "phone",
    "category",
    "note",
    "guardian_consent",
    "married",
)
# The fields a per-field check can be asked about (dob covers its three parts).
CHECKABLE = (
    "full_name",
    "nik",
    "dob",
    "sex",
    "address",
    "rw",
    "rt",
    "phone",
    "category",
    "note",
    "guardian_consent",
    "married",
)

NAME_MAX = 120
ADDRESS_MAX = 300
NOTE_MAX = 500
ADULT_YEARS = 18
ELDERLY_YEARS = 60
# The NIK only carries a two-digit year; a birth date derived from it must be plausible.
DERIVED_MAX_AGE = 100

NIK_WARNING_CODES = frozenset({"birth_date_mismatch", "sex_mismatch", "outside_area"})
UNDER_AGE_CODE = "under_age"

_SEX = {
    "l": "L",
    "lk": "L",
    "laki": "L",
    "laki-laki": "L",
    "laki laki": "L",
    "lakilaki": "L",
    "pria": "L",
    "m": "L",
    "male": "L",
    "p": "P",
    "pr": "P",
    "perempuan": "P",
    "wanita": "P",
    "w": "P",
    "f": "P",
    "female": "P",
}
SEX_LABELS = {"L": "Laki-laki", "P": "Perempuan"}

_CATEGORY_ALIASES = {
    **{key: key for key in CATEGORIES},
    **{label.lower(): key for key, label in CATEGORIES.items()},
    "pemula 16-17 tahun": "pemula",
    "pemilih pemula": "pemula",
    "remaja": "pemula",
    "belum rekam": "dewasa",
    "lansia/manula": "lansia",
    "manula": "lansia",
    "disabilitas": "disabilitas",
    "difabel": "disabilitas",
    "sakit": "disabilitas",
    "odgj": "disabilitas",
    "luar kota": "luar_kota",
    "luar daerah": "luar_kota",
    "merantau": "luar_kota",
    "lain": "lainnya",
    "lain-lain": "lainnya",
}
_YES = frozenset({"on", "1", "ya", "y", "yes", "true", "sudah", "setuju", "ada", "v", "✓", "x"})
_NO = frozenset({"", "0", "tidak", "t", "no", "n", "false", "belum", "-"})
# Status perkawinan as the Kartu Keluarga writes it (Belum kawin, Kawin, Kawin tercatat,
# Cerai hidup, Cerai mati) and the everyday words for it. Divorced or widowed is True: the
# law makes the card mandatory for whoever is "kawin atau pernah kawin".
_MARITAL = {
    **dict.fromkeys(
        (
            "kawin",
            "sudah kawin",
            "pernah kawin",
            "kawin tercatat",
            "kawin belum tercatat",
            "kawin tidak tercatat",
            "nikah",
            "menikah",
            "sudah nikah",
            "sudah menikah",
            "pernah menikah",
            "cerai",
            "cerai hidup",
            "cerai mati",
            "janda",
            "duda",
        ),
        True,
    ),
    **dict.fromkeys(
        (
            "belum kawin",
            "blm kawin",
            "belum pernah kawin",
            "tidak kawin",
            "belum nikah",
            "belum menikah",
            "blm menikah",
            "belum pernah menikah",
            "lajang",
            "bujang",
        ),
        False,
    ),
}
_MARITAL_SEPARATORS = re.compile(r"[\s._/-]+")
_RT_RW = re.compile(r"^(?:rt|rw)?\s*\.?\s*0*([0-9]{1,3})$", re.IGNORECASE)
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)


@dataclass(frozen=True, slots=True)
class ListArea:
    """What a resident is checked against: the list's area and its office's rules."""

    office_id: int
    kecamatan_id: int
    village_id: int
    village_name: str
    village_kind: str
    rw: str | None
    rt: str | None
    nik_prefix: str
    rule: RecordingRule

    @property
    def label(self) -> str:
        return area_label(self.village_kind, self.village_name, self.rw, self.rt)


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


def area_label(kind: str, village: str, rw: str | None, rt: str | None) -> str:
    prefix = "Desa" if kind == "desa" else "Kel."
    text = f"{prefix} {village}"
    if rw:
        text += f" RW {rw}"
    if rt:
        text += f" RT {rt}"
    return text


def parse_sex(raw: str) -> str | None:
    return _SEX.get(" ".join((raw or "").strip().lower().rstrip(".").split()))


def parse_category(raw: str) -> str | None:
    text = " ".join((raw or "").strip().lower().replace("–", "-").split())
    return _CATEGORY_ALIASES.get(text)


def parse_yes(raw: str | bool | None) -> bool | None:
    if isinstance(raw, bool):
        return raw
    text = (raw or "").strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    return None


def _marital_key(raw: str) -> str:
    return _MARITAL_SEPARATORS.sub(" ", (raw or "").lower()).strip()


def is_marital_status(raw: str) -> bool:
    """A status-perkawinan word ("Kawin", "cerai mati"), not a bare yes/no."""
    return _marital_key(raw) in _MARITAL


def parse_married(raw: str | bool | None) -> bool | None:
    """Married or ever married? A status perkawinan, ya/tidak, 1/0 or a tick; blank is
    False; None when the value means neither."""
    if isinstance(raw, bool):
        return raw
    key = _marital_key(raw)
    if key in _MARITAL:
        return _MARITAL[key]
    return parse_yes(key)


# What a checkbox field's stored text means, so a form shows it ticked whichever accepted
# word an import or an autosave left in it ("Cerai mati", "setuju").
CHECKBOXES = {"guardian_consent": parse_yes, "married": parse_married}


def parse_rt_rw(raw: str) -> str | None:
    """ "3", "03", "003", "RT 3", "rt.03" → "03"; None when not an RT/RW number."""
    match = _RT_RW.match((raw or "").strip())
    if not match:
        return None
    number = int(match.group(1))
    return f"{number:02d}" if number > 0 else None


def clean_raw(raw: Mapping[str, Any]) -> dict[str, str]:
    """Every known field as a stripped string; unknown keys dropped."""
    cleaned: dict[str, str] = {}
    for key in FIELDS:
        value = raw.get(key, "")
        if isinstance(value, list):  # a repeated form field: the last one wins
            value = value[-1] if value else ""
        cleaned[key] = "" if value is None else str(value).strip()
    return cleaned


def derive_birth_date(nik: Nik, today: date) -> date | None:
    """The birth date encoded in a NIK when only one century makes sense, else None."""
    candidates = []
    for century in (1900, 2000):
        try:
            candidate = date(century + nik.birth_yy, nik.birth_month, nik.birth_day)
        except ValueError:  # 29 Feb in the century that has no leap year
            continue
        if candidate <= today and age_on(candidate, today)[0] <= DERIVED_MAX_AGE:
            candidates.append(candidate)
    return candidates[0] if len(candidates) == 1 else None


def check_resident(
    raw: Mapping[str, Any],
    area: ListArea,
    *,
    today: date,
    partial: bool = False,
) -> CheckedResident:
    """Validate one resident. ``partial`` is the check made while the form is still being
    filled in (a field just left): a birth date with only some parts typed is not an error
    yet, because the person is still typing the rest."""
    r = clean_raw(raw)
    out = CheckedResident(raw=r)
    errors, values = out.errors, out.values

    # Name
    full_name = " ".join(r["full_name"].split())
    if not full_name:
        errors["full_name"] = "Masukkan nama lengkap"
    elif len(full_name) > NAME_MAX:
        errors["full_name"] = f"Nama lengkap paling banyak {NAME_MAX} huruf"
    elif not _LETTER.search(full_name):
        errors["full_name"] = "Nama lengkap harus berisi huruf"
    values["full_name"] = full_name
    values["name_key"] = name_key(full_name)

    # NIK
    nik: Nik | None = None
    if r["nik"]:
        try:
            nik = parse_nik(r["nik"])
        except NikError as exc:
            errors["nik"] = exc.message
    values["nik"] = nik.value if nik else None

    # Birth date: typed parts, a typed text date, or derived from the NIK
    birth_date = _birth_date(r, out, today=today, partial=partial)
    typed_birth_date = birth_date
    if birth_date is None and "dob" not in errors:
        if nik is not None:
            birth_date = derive_birth_date(nik, today)
            if birth_date is None:
                errors["dob"] = (
                    f"Masukkan tanggal lahir: tahun di NIK hanya 2 angka ({nik.birth_yy:02d}), "
                    f"bisa 19{nik.birth_yy:02d} atau 20{nik.birth_yy:02d}"
                )
                out.dob_parts = {"day", "month", "year"}
            else:
                out.info["dob"] = f"Tanggal lahir dari NIK: {format_date_id(birth_date)}"
        elif not r["nik"] and not partial:
            errors["dob"] = "Masukkan tanggal lahir (wajib jika NIK tidak diisi)"
            out.dob_parts = {"day", "month", "year"}
    values["birth_date"] = birth_date

    # Sex
    sex = None
    if r["sex"]:
        sex = parse_sex(r["sex"])
        if sex is None:
            errors["sex"] = "Pilih jenis kelamin: laki-laki (L) atau perempuan (P)"
    if sex is None and nik is not None and "sex" not in errors:
        sex = nik.sex
    values["sex"] = sex

    # Address and RT/RW inside the list's area
    address = " ".join(r["address"].split())
    if len(address) > ADDRESS_MAX:
        errors["address"] = f"Alamat paling banyak {ADDRESS_MAX} huruf"
    values["address"] = address
    for part, fixed in (("rw", area.rw), ("rt", area.rt)):
        label = part.upper()
        value = parse_rt_rw(r[part]) if r[part] else None
        if r[part] and value is None:
            errors[part] = f"{label} harus berupa angka, misalnya 03"
        elif fixed and value is None:
            value = fixed
        elif fixed and value != fixed:
            errors[part] = (
                f"Daftar ini untuk {label} {fixed}; warga {label} {value} masuk daftar lain"
            )
        elif value is None and not partial:
            errors[part] = f"Masukkan {label} tempat tinggal warga"
        values[part] = value

    # Phone
    phone = None
    if r["phone"]:
        try:
            phone = normalise_phone(r["phone"])
        except PhoneError as exc:
            errors["phone"] = exc.message
    values["phone"] = phone

    married = parse_married(r["married"])
    if married is None:
        errors["married"] = (
            "Status kawin tidak dikenali: isi Kawin, Belum kawin, Cerai hidup, Cerai mati, "
            "atau kosongkan"
        )
    values["married"] = bool(married)

    # Age: recording eligibility, category, guardian consent
    age_years = None
    eligible_from = None
    if birth_date is not None:
        age_years = age_on(birth_date, today)[0]
        try:
            eligibility = check_eligibility(
                birth_date, married=bool(married), rule=area.rule, today=today
            )
        except ValueError as exc:
            errors["dob"] = str(exc)
            out.dob_parts = {"year"}
        else:
            years, months = eligibility.age
            out.info.setdefault("age", f"Umur {years} tahun {months} bulan")
            # Said where the under-age warning would otherwise stand, so the person typing
            # sees why there is none.
            if reason := marriage_reason(age_years, married=bool(married), rule=area.rule):
                out.info["eligibility"] = reason
            if eligibility.status == "not_yet":
                eligible_from = eligibility.can_record_from
                where = f" di {area.rule.area}" if area.rule.area else ""
                out.warnings.append(
                    {
                        "code": UNDER_AGE_CODE,
                        "field": "dob",
                        "message": (
                            f"Belum cukup umur untuk rekam KTP-el (usia minimal{where} "
                            f"{area.rule.describe()}): bisa direkam mulai "
                            f"{format_date_id(eligible_from)}. Tetap boleh didaftarkan."
                        ),
                    }
                )
    values["eligible_from"] = eligible_from

    category = None
    if r["category"]:
        category = parse_category(r["category"])
        if category is None:
            errors["category"] = "Pilih kategori dari daftar"
    if category is None and "category" not in errors:
        category = _default_category(age_years)
    values["category"] = category

    consent = parse_yes(r["guardian_consent"])
    if consent is None:
        errors["guardian_consent"] = "Isi persetujuan orang tua/wali dengan ya atau tidak"
    elif age_years is not None and age_years < ADULT_YEARS and not consent:
        errors["guardian_consent"] = (
            "Warga ini belum 18 tahun: pastikan orang tua/wali setuju datanya didaftarkan, "
            "lalu centang persetujuan"
        )
    values["guardian_consent"] = bool(consent)

    note = r["note"]
    if len(note) > NOTE_MAX:
        errors["note"] = f"Catatan paling banyak {NOTE_MAX} huruf"
    values["note"] = note

    if nik is not None:
        for warning in nik_warnings(
            nik,
            birth_date=typed_birth_date,
            sex=r["sex"] or None,
            office_prefixes=[area.nik_prefix],
        ):
            out.warnings.append({"code": warning.code, "field": "nik", "message": warning.message})

    values["warn_nik"] = any(w["code"] in NIK_WARNING_CODES for w in out.warnings)
    values["warn_under_age"] = eligible_from is not None
    values["warnings"] = list(out.warnings)
    return out


def _birth_date(r: dict[str, str], out: CheckedResident, *, today: date, partial: bool):
    parts = (r["dob_day"], r["dob_month"], r["dob_year"])
    if any(parts):
        if partial and not all(parts):
            return None
        try:
            return parse_date_parts(*parts, today=today)
        except DateError as exc:
            out.errors["dob"] = exc.message
            out.dob_parts = set(exc.parts)
            return None
    if r["dob"]:
        try:
            result = parse_date_text(r["dob"])
        except DateError as exc:
            out.errors["dob"] = exc.message
            out.dob_parts = set(exc.parts)
            return None
        if result > today:
            out.errors["dob"] = "Tanggal lahir harus di masa lalu"
            return None
        return result
    return None


def _default_category(age_years: int | None) -> str:
    if age_years is None:
        return "lainnya"
    if age_years < ADULT_YEARS:
        return "pemula"
    if age_years >= ELDERLY_YEARS:
        return "lansia"
    return "dewasa"


def form_values(resident: Mapping[str, Any], *, keep_nik: bool = False) -> dict[str, str]:
    """A stored resident as raw form values for its edit form. The NIK is left blank (a
    saved NIK is never echoed back) unless ``keep_nik``."""
    birth: date | None = resident.get("birth_date")
    return {
        "full_name": resident.get("full_name") or "",
        "nik": (resident.get("nik") or "") if keep_nik else "",
        "dob": "",
        "dob_day": str(birth.day) if birth else "",
        "dob_month": str(birth.month) if birth else "",
        "dob_year": str(birth.year) if birth else "",
        "sex": resident.get("sex") or "",
        "address": resident.get("address") or "",
        "rw": resident.get("rw") or "",
        "rt": resident.get("rt") or "",
        "phone": _national(resident.get("phone")),
        "category": resident.get("category") or "",
        "note": resident.get("note") or "",
        "guardian_consent": "on" if resident.get("guardian_consent") else "",
        "married": "on" if resident.get("married") else "",
    }


def _national(phone: str | None) -> str:
    if not phone:
        return ""
    return "0" + phone.removeprefix("+62") if phone.startswith("+62") else phone


def with_saved_nik(raw: Mapping[str, Any], saved_nik: str | None) -> dict[str, Any]:
    """An edit form leaves the NIK blank to mean "keep the saved one"."""
    merged = dict(raw)
    if not str(merged.get("nik") or "").strip() and saved_nik:
        merged["nik"] = saved_nik
    return merged


def masked(nik: str | None) -> str:
    return mask_nik(nik) if nik else ""

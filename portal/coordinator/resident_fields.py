"""The fields of a resident as a coordinator types, pastes or uploads them, and how the
loosely written ones read: sex, category, yes/no and the status perkawinan.

Pure: no database. ``resident_check`` validates a whole row with these.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from portal.domain.vocabulary import CATEGORIES

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
CHECKABLE = tuple(f for f in FIELDS if not f.startswith("dob_"))
# Order of the error summary = order of the fields on the page.
FIELD_ORDER = (
    "full_name",
    "nik",
    "dob",
    "married",
    "sex",
    "address",
    "rt",
    "rw",
    "phone",
    "category",
    "guardian_consent",
    "note",
)

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
_MARRIED_WORDS = (
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
)
_SINGLE_WORDS = (
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
)
_MARITAL = {**dict.fromkeys(_MARRIED_WORDS, True), **dict.fromkeys(_SINGLE_WORDS, False)}
_MARITAL_SEPARATORS = re.compile(r"[\s._/-]+")


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
    key = _marital_key(raw or "")
    if key in _MARITAL:
        return _MARITAL[key]
    return parse_yes(key)


# What a checkbox field's stored text means, so a form shows it ticked whichever accepted
# word an import or an autosave left in it ("Cerai mati", "setuju").
CHECKBOXES: dict[str, Callable[[str], bool | None]] = {
    "guardian_consent": parse_yes,
    "married": parse_married,
}


def clean_raw(raw: Mapping[str, Any]) -> dict[str, str]:
    """Every known field as a stripped string; unknown keys dropped."""
    cleaned: dict[str, str] = {}
    for key in FIELDS:
        value = raw.get(key, "")
        if isinstance(value, list):  # a repeated form field: the last one wins
            value = value[-1] if value else ""
        cleaned[key] = "" if value is None else str(value).strip()
    return cleaned


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

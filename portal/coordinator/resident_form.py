"""What the resident form macros (templates/coordinator/_form.html) need: the values typed,
errors, warnings and info lines of a check, element ids, and where the form posts.

One form serves every way of entering a resident: add (``new-``), edit in place (``r<id>-``),
a correction staff asked for, and fixing a pasted row (``b<n>-``); the prefix keeps element
ids unique when several forms share a page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from portal.coordinator.resident_check import CheckedResident
from portal.coordinator.resident_fields import CHECKBOXES, FIELD_ORDER, FIELDS
from portal.domain.vocabulary import CATEGORIES
from portal.rules.nik import mask_nik

# What people of one household share, copied by "Tambah serumah" so a coordinator listing a
# family types the address once.
HOUSEHOLD_FIELDS = ("address", "rw", "rt")


@dataclass
class FormState:
    prefix: str  # id prefix, unique per form on a page ("new-", "r12-", "b4-")
    action: str
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    warnings: list[dict[str, str]] = field(default_factory=list)
    info: dict[str, str] = field(default_factory=dict)
    dob_parts: set[str] = field(default_factory=set)
    check_url: str | None = None  # per-field validation + autosave (htmx)
    token: str = ""
    resident_id: int | None = None
    saved_nik: str = ""  # masked
    fixed_rw: str | None = None
    fixed_rt: str | None = None
    submit_label: str = "Simpan warga"
    restored: bool = False  # values came from an autosaved, unsaved entry
    hx_target: str | None = None
    discard_url: str | None = None  # "Batal" that also forgets the autosaved edit
    hx_show: str = ""  # where to scroll after an htmx answer ("#tambah")
    focus: bool = False  # put the cursor in the first field (ready for the next person)
    copied_from: str = ""  # name of the resident whose household fields were copied in
    cancel_url: str | None = None
    categories: Any = field(default_factory=lambda: CATEGORIES)

    def value(self, name: str) -> str:
        return self.values.get(name, "")

    def error(self, name: str) -> str:
        return self.errors.get(name, "")

    def ticked(self, name: str) -> bool:
        return bool(CHECKBOXES[name](self.value(name)))

    def warnings_for(self, name: str) -> list[str]:
        return [w["message"] for w in self.warnings if w.get("field") == name]

    def id(self, name: str) -> str:
        return f"{self.prefix}{name}"

    @property
    def summary(self) -> list[tuple[str, str]]:
        """(anchor id, message) in page order, for the error summary."""
        out = []
        for name in FIELD_ORDER:
            if name in self.errors:
                anchor = self.id("dob_" + _first_part(self.dob_parts)) if name == "dob" else None
                out.append((anchor or self.id(name), self.errors[name]))
        return out

    def only(self, *names: str) -> FormState:
        """Keep the errors of these fields only (a field check answers for one field)."""
        self.errors = {k: v for k, v in self.errors.items() if k in names}
        return self


def _first_part(parts: set[str]) -> str:
    for part in ("day", "month", "year"):
        if part in parts:
            return part
    return "day"


def form_state(*, checked: CheckedResident | None = None, **kwargs: Any) -> FormState:
    """A form with ``values`` (what was typed or stored) or a check's raw values, errors,
    warnings and info lines; the saved NIK (``saved_nik``) is only ever shown masked."""
    kwargs["saved_nik"] = mask_nik(kwargs.get("saved_nik") or "")
    fs = FormState(**kwargs)
    source = checked.raw if checked is not None else fs.values
    fs.values = {k: str(source.get(k, "") or "") for k in FIELDS}
    if checked is not None:
        fs.errors = dict(checked.errors)
        fs.warnings = list(checked.warnings)
        fs.info = dict(checked.info)
        fs.dob_parts = set(checked.dob_parts)
    return fs


def household_values(values: dict[str, Any], household: Any) -> dict[str, Any]:
    """On top of anything typed and not saved yet: only the shared fields change."""
    return {**values, **{name: getattr(household, name) or "" for name in HOUSEHOLD_FIELDS}}

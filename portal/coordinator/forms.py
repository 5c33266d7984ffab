"""What a resident form template needs: typed values, errors, warnings, hints, URLs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from litestar import Request

from portal.residents.validation import CHECKBOXES, FIELDS, CheckedResident, masked
from portal.residents.vocabulary import CATEGORIES

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
    categories: dict[str, str] = field(default_factory=lambda: CATEGORIES)

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


def _first_part(parts: set[str]) -> str:
    for part in ("day", "month", "year"):
        if part in parts:
            return part
    return "day"


def form_state(
    *,
    prefix: str,
    action: str,
    values: dict[str, Any] | None = None,
    checked: CheckedResident | None = None,
    **kwargs: Any,
) -> FormState:
    fs = FormState(prefix=prefix, action=action, **kwargs)
    source = checked.raw if checked is not None else (values or {})
    fs.values = {k: str(source.get(k, "") or "") for k in FIELDS}
    if checked is not None:
        fs.errors = dict(checked.errors)
        fs.warnings = list(checked.warnings)
        fs.info = dict(checked.info)
        fs.dob_parts = set(checked.dob_parts)
    return fs


def with_saved(fs: FormState, nik: str | None) -> FormState:
    fs.saved_nik = masked(nik)
    return fs


async def form_data(request: Request) -> dict[str, Any]:
    """The posted form as a plain dict of strings (the last value of a repeated field)."""
    form = await request.form()
    return {key: form.get(key) for key in form}

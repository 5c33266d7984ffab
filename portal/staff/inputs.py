"""Reading the staff forms' typed input: a form filled in from a saved row, and checks that
collect one message per bad field (``Invalid`` when any failed).

Form fields stay text, so a bad value is shown back as typed. A field is read one character
past what it may hold, so "too long" is said rather than the text cut (``portal.web.forms``
cuts at 200 without a ``Limit``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from datetime import date, time
from typing import Annotated, Any, TypeVar

from portal.domain.errors import Invalid, NotFound
from portal.domain.inputs import Limit
from portal.domain.regions import OfficeRef
from portal.domain.scope import Scope

T = TypeVar("T")

Title = Annotated[str, Limit(201)]
Long = Annotated[str, Limit(1001)]
Notes = Annotated[str, Limit(2001)]
Body = Annotated[str, Limit(5001)]


def as_text(value: Any) -> Any:
    """A stored value as a form holds it: dates ISO, times "08:00", numbers as digits."""
    if value is None:
        return ""
    if isinstance(value, bool | list):
        return value
    if isinstance(value, time):
        return f"{value:%H:%M}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def from_row(form: type[T], row: dict, **more: Any) -> T:
    """The form ``form`` filled in from a saved ``row`` (fields it lacks keep defaults)."""
    names = {f.name for f in dataclasses.fields(form)}  # type: ignore[arg-type]
    return form(**{k: as_text(v) for k, v in row.items() if k in names}, **more)


def as_row(values: dict[Any, Any]) -> dict[str, Any]:
    """Column values as the row a template shows (a preview of unsaved values)."""
    return {col._meta.name: v for col, v in values.items()}


class Checks:
    """Reads the fields of a typed form one by one, collecting a message per bad field."""

    def __init__(self, form: Any) -> None:
        self.form = form
        self.errors: dict[str, str] = {}

    def text(self, name: str, label: str, *, limit: int, required: bool = False) -> str:
        value = str(getattr(self.form, name))
        if required and not value:
            self.errors[name] = f"Tulis {label.lower()}"
        elif len(value) > limit:
            self.errors[name] = f"{label} paling banyak {limit} karakter"
        return value

    def choice(self, name: str, label: str, options: Collection[str]) -> str:
        value = str(getattr(self.form, name))
        if value not in options:
            self.errors[name] = f"Pilih {label.lower()}"
        return value

    def day(self, name: str, label: str, *, required: bool = False) -> date | None:
        value = self.text(name, label, limit=10, required=required)
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.errors[name] = f"{label} harus tanggal yang benar, misalnya 2026-12-05"
            return None

    def number(self, name: str, label: str, *, minimum: int = 0) -> int | None:
        value = self.text(name, label, limit=15, required=True)
        cleaned = value.replace(".", "").replace(",", "")
        if value and (not cleaned.isdigit() or int(cleaned) < minimum):
            self.errors[name] = f"{label} harus angka bulat {minimum} atau lebih"
            return None
        return int(cleaned) if cleaned.isdigit() else None

    def values(self, values: T) -> T:
        """``values`` when every field was good; Invalid with the messages otherwise."""
        if self.errors:
            raise Invalid(self.errors)
        return values


@dataclasses.dataclass
class OfficeForm:
    """A posted form about an office (its blank-card stock, its targets): ``kantor`` names
    the office an admin chose; an officer's form is for their own."""

    kantor: str = ""


def office_for(access: Scope, kantor: str) -> OfficeRef:
    """The office a posted form about an office (its stock, its targets) is for: the
    officer's own, or the one an admin chose (the form's ``kantor``); NotFound when an
    admin chose none."""
    office = access.require_staff().choose(kantor).single_office()
    if office is None:
        raise NotFound()
    return office

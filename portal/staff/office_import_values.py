"""What the office import service hands the pages: plain frozen values (the import in the
listing, one import with its progress and counts, one row of a preview page), made from
the rows ``portal.staff.office_imports`` reads."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from portal.domain import vocabulary
from portal.rules import office_rows
from portal.rules.nik import mask_nik, redact_niks
from portal.tables.office_lists import OPEN_STATES, RUNNABLE_STATES


@dataclass(frozen=True)
class Counts:
    """What a read import found. A row with an error whose NIK is valid still says the
    person is listed (not gone); ``unreadable_nik`` of the error rows cannot be matched to
    anyone at all (the preview says so and offers the error CSV)."""

    errors: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    gone: int = 0
    unreadable_nik: int = 0

    def of(self, kind: str) -> int:
        return {
            "galat": self.errors,
            "baru": self.new,
            "berubah": self.changed,
            "tetap": self.unchanged,
            "hilang": self.gone,
        }.get(kind, 0)


@dataclass(frozen=True)
class ImportSummary:
    """One past (or open) import in the listing."""

    public_id: str
    office_id: int
    office_name: str
    filename: str
    source: str  # csv | xlsx
    state: str
    state_label: str
    created_at: datetime
    uploaded_by: str  # the officer's name ("" once the account is gone)
    data_as_of: date | None
    total_rows: int
    counts: Counts

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


@dataclass(frozen=True)
class EarlierUpload:
    """An earlier import of the same office with the same file (same SHA-256)."""

    public_id: str
    created_at: datetime
    state: str


@dataclass(frozen=True)
class ImportView(ImportSummary):
    """One import: its state, progress, counts and what staff may do with it now
    (``total_rows`` is an estimate until the file is read)."""

    size_bytes: int
    sha256: str
    version: int
    read_rows: int
    applied_rows: int
    columns: tuple[str, ...]  # the field read from each column ("" = not read)
    problem: str  # why the file as a whole failed (state failed)
    parsed_at: datetime | None
    confirmed_at: datetime | None
    confirmed_by: str
    applied_at: datetime | None
    cancelled_at: datetime | None
    earlier: tuple[EarlierUpload, ...] = ()  # the same file uploaded before

    @property
    def runnable(self) -> bool:
        """The job is still working on it: the page polls its progress."""
        return self.state in RUNNABLE_STATES

    @property
    def can_confirm(self) -> bool:
        return self.state == "parsed"

    @property
    def can_cancel(self) -> bool:
        return self.state == "parsed"

    @property
    def applicable(self) -> int:
        """Rows a confirm writes into the register (new and changed)."""
        return self.counts.new + self.counts.changed

    @property
    def progress(self) -> tuple[int, int]:
        """(done, of) for ``<progress>``: rows read while reading, rows saved while saving."""
        if self.state == "applying":
            return self.applied_rows, max(self.read_rows, 1)
        if self.state in ("uploaded", "parsing"):
            return self.read_rows, max(self.total_rows, self.read_rows, 1)
        return 1, 1

    @property
    def column_labels(self) -> tuple[str, ...]:
        return tuple(office_rows.FIELD_LABELS.get(c, "") for c in self.columns)


@dataclass(frozen=True)
class RowView:
    """One row of a preview page. For ``hilang`` it is a register person (``n`` None)."""

    n: int | None  # the row number in the staff's spreadsheet
    change: str
    nik_masked: str
    full_name: str
    birth_date: date | None
    sex: str | None
    address: str
    rw: str | None
    rt: str | None
    village_name: str
    errors: dict[str, str] = field(default_factory=dict)  # field → message
    warnings: tuple[str, ...] = ()
    cells: dict[str, str] = field(default_factory=dict)  # the text as in the file
    nik: str | None = None  # only when revealed on purpose (audited)

    @property
    def as_filed(self) -> dict[str, str]:
        """The row's cells as the file had them; for a row kept only as values (a later
        repeat of a NIK, whose cells were fine), those values written back as text."""
        if self.cells:
            return self.cells
        return {
            "nik": self.nik or self.nik_masked,
            "full_name": self.full_name,
            "birth_date": self.birth_date.strftime("%d-%m-%Y") if self.birth_date else "",
            "sex": self.sex or "",
            "address": self.address,
            "rt": self.rt or "",
            "rw": self.rw or "",
            "village": self.village_name,
        }

    @property
    def error_list(self) -> list[tuple[str, str]]:
        """(field label, message) of each error, in the template's column order."""
        order = list(office_rows.FIELD_LABELS)
        keys = sorted(self.errors, key=lambda k: order.index(k) if k in order else len(order))
        return [(office_rows.FIELD_LABELS.get(k, k), self.errors[k]) for k in keys]


def counts_of(row: dict[str, Any]) -> Counts:
    return Counts(
        errors=row["error_rows"],
        new=row["new_count"],
        changed=row["changed_count"],
        unchanged=row["unchanged_count"],
        gone=row["gone_count"],
    )


def _summary_values(row: dict[str, Any]) -> dict[str, Any]:
    """What a listing shows of an ``office_import`` row (with the uploader's name joined)."""
    return {
        "public_id": str(row["public_id"]),
        "office_id": row["office"],
        "office_name": row["office_name"] or "",
        "filename": row["filename"],
        "source": row["source"],
        "state": row["state"],
        "state_label": vocabulary.label("import_state", row["state"]),
        "created_at": row["created_at"],
        "uploaded_by": row["uploaded_by_name"] or "",
        "data_as_of": row["data_as_of"],
        "total_rows": row["total_rows"],
        "counts": counts_of(row),
    }


def summary_of(row: dict[str, Any]) -> ImportSummary:
    return ImportSummary(**_summary_values(row))


def json_value(value: Any, empty: Any) -> Any:
    if isinstance(value, str):
        return json.loads(value) if value else empty
    return value if value is not None else empty


def row_view(r: dict[str, Any], change: str, reveal: bool) -> RowView:
    """A staged row (or a register person) as a page shows it: the NIK masked, in the
    cells as the file had them too, unless ``reveal`` (the caller audits that)."""
    warnings = json_value(r.get("warnings"), [])
    cells = dict(json_value(r.get("cells"), {}))
    errors = dict(json_value(r.get("errors"), {}))
    nik_masked = mask_nik(r["nik"] or cells.get("nik", ""))
    if not reveal:
        if cells.get("nik"):
            cells["nik"] = mask_nik(cells["nik"])
        errors = {k: redact_niks(v) for k, v in errors.items()}
    return RowView(
        n=r.get("n"),
        change=change,
        nik_masked=nik_masked,
        full_name=r["full_name"],
        birth_date=r["birth_date"],
        sex=r["sex"],
        address=r["address"],
        rw=r["rw"],
        rt=r["rt"],
        village_name=r["village_name"] or "",
        errors=errors,
        warnings=tuple(w.get("message", "") for w in warnings),
        cells=cells,
        nik=r["nik"] if reveal else None,
    )


def view_of(
    row: dict[str, Any], earlier: list[dict[str, Any]], unreadable_nik: int = 0
) -> ImportView:
    """An ``ImportView`` of an ``office_import`` row (with the uploader's and confirmer's
    names joined) and the earlier imports of the same file."""
    values = _summary_values(row)
    values["counts"] = replace(values["counts"], unreadable_nik=unreadable_nik)
    return ImportView(
        **values,
        size_bytes=row["size_bytes"],
        sha256=row["sha256"],
        version=row["version"],
        read_rows=row["read_rows"],
        applied_rows=row["applied_rows"],
        columns=tuple(json_value(row["columns"], [])),
        problem=row["problem"],
        parsed_at=row["parsed_at"],
        confirmed_at=row["confirmed_at"],
        confirmed_by=row["confirmed_by_name"] or "",
        applied_at=row["applied_at"],
        cancelled_at=row["cancelled_at"],
        earlier=tuple(
            EarlierUpload(str(e["public_id"]), e["created_at"], e["state"])
            for e in sorted(earlier, key=lambda e: e["created_at"], reverse=True)
        ),
    )

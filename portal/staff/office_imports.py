"""Staff import the office's "belum rekam" export ("sisir data", docs/drive.md §3, §5, §6).

The upload request only checks the file as a whole (type, size, the XLSX container, the
CSV header) and stores it in 1 MiB parts with its ``office_import`` row; reading, checking
and applying the rows is the job's (``portal.staff.office_import_job``), a chunk at a time,
so no request waits for 100,000 rows. Staff then review the preview (counts and the rows of
each kind, NIK masked), download the rows with errors (full NIK, audited) and confirm or
cancel with the version the page showed.

Staff see their office's imports, an admin the office chosen (``Scope``); another office's
import is ``NotFound``. At most one import per office is open at a time (a partial unique
index): a second upload is a ``Conflict``.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, BinaryIO

from piccolo.table import Table

from portal.domain import audit
from portal.domain.errors import Conflict, Invalid, NotFound
from portal.domain.paging import Pager
from portal.domain.regions import OfficeRef
from portal.domain.scope import Scope
from portal.domain.transactions import UNIQUE_VIOLATIONS, write_transaction
from portal.rules import office_rows
from portal.settings import get_settings
from portal.staff import office_import_files as files
from portal.staff.exports import CSV_TYPE, Export, csv_bytes
from portal.staff.office_import_values import (
    Counts,
    EarlierUpload,
    ImportSummary,
    ImportView,
    RowView,
    counts_of,
    row_view,
    summary_of,
    view_of,
)
from portal.tables.office_lists import (
    OPEN_STATES,
    PROGRESS_COLUMNS,
    OfficeImport,
    OfficeImportRow,
    OfficePerson,
    OfficeUploadPart,
)

__all__ = [
    "Counts",
    "EarlierUpload",
    "ImportSummary",
    "ImportView",
    "RowView",
    "UploadInput",
    "cancel",
    "confirm",
    "errors_csv",
    "import_rows",
    "import_view",
    "imports",
    "template_csv",
    "upload",
]
# What may stand in a download's file name (it goes into a Content-Disposition header).
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
ROW_KINDS = ("galat", "baru", "berubah", "tetap", "hilang")
ERRORS_MAX = 200_000  # the error CSV: every row with an error, however many
OPEN_CONFLICT = (
    "Masih ada impor yang belum selesai untuk kantor ini. Simpan atau batalkan impor itu "
    "dulu, lalu unggah lagi."
)


def now() -> datetime:
    return datetime.now(UTC)


# ---------------------------------------------------------------- values


@dataclass(frozen=True)
class UploadInput:
    """The upload form: the spooled file (read in 1 MiB parts, never whole for a CSV), its
    size as received, the date the export is "per", and an admin's office choice."""

    filename: str
    file: BinaryIO
    size: int
    data_as_of: date | None = None
    kantor: str = ""  # an admin's office (slug); ignored for staff


# ---------------------------------------------------------------- reading

_IMPORT_COLUMNS = (
    OfficeImport.id,
    OfficeImport.public_id,
    OfficeImport.office,
    OfficeImport.office.short_name.as_alias("office_name"),
    OfficeImport.filename,
    OfficeImport.source,
    OfficeImport.size_bytes,
    OfficeImport.sha256,
    OfficeImport.data_as_of,
    OfficeImport.state,
    OfficeImport.version,
    *PROGRESS_COLUMNS,
    OfficeImport.columns,
    OfficeImport.problem,
    OfficeImport.created_at,
    OfficeImport.uploaded_by.full_name.as_alias("uploaded_by_name"),
    OfficeImport.parsed_at,
    OfficeImport.confirmed_at,
    OfficeImport.confirmed_by.full_name.as_alias("confirmed_by_name"),
    OfficeImport.applied_at,
    OfficeImport.cancelled_at,
)


def _uuid(public_id: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(public_id))
    except ValueError:
        raise NotFound() from None


async def _import_row(access: Scope, public_id: str) -> dict[str, Any]:
    """The import's row if this user may see it; NotFound for anyone else's."""
    access.require_staff()
    row = (
        await OfficeImport.select(*_IMPORT_COLUMNS)
        .where(
            OfficeImport.public_id == _uuid(public_id),
            access.office_where(OfficeImport.office, listing=False),
        )
        .first()
    )
    if row is None:
        raise NotFound()
    return row


async def imports(access: Scope, page: object) -> tuple[list[ImportSummary], Pager]:
    """The office's imports (an admin's: the chosen office, else all), newest first."""
    access.require_staff()
    where = access.office_where(OfficeImport.office)
    pager = Pager.of(page, await OfficeImport.count().where(where))
    rows = (
        await OfficeImport.select(*_IMPORT_COLUMNS)
        .where(where)
        .order_by(OfficeImport.created_at, ascending=False)
        .order_by(OfficeImport.id, ascending=False)
        .limit(pager.size)
        .offset(pager.offset)
    )
    return [summary_of(r) for r in rows], pager


async def import_view(access: Scope, public_id: str) -> ImportView:
    """One import: state, progress, counts, and earlier uploads of the same file."""
    row = await _import_row(access, public_id)
    earlier = await OfficeImport.select(
        OfficeImport.public_id, OfficeImport.created_at, OfficeImport.state
    ).where(
        OfficeImport.office == row["office"],
        OfficeImport.sha256 == row["sha256"],
        OfficeImport.id != row["id"],
        OfficeImport.created_at <= row["created_at"],
    )
    unreadable = await OfficeImportRow.count().where(
        OfficeImportRow.office_import == row["id"],
        OfficeImportRow.change == "galat",
        OfficeImportRow.nik.is_null(),
    )
    return view_of(row, earlier, unreadable)


_ROW_COLUMNS = (
    OfficeImportRow.id,
    OfficeImportRow.n,
    OfficeImportRow.change,
    OfficeImportRow.nik,
    OfficeImportRow.full_name,
    OfficeImportRow.birth_date,
    OfficeImportRow.sex,
    OfficeImportRow.address,
    OfficeImportRow.rw,
    OfficeImportRow.rt,
    OfficeImportRow.village.name.as_alias("village_name"),
    OfficeImportRow.errors,
    OfficeImportRow.warnings,
    OfficeImportRow.cells,
)
_PERSON_COLUMNS = (
    OfficePerson.id,
    OfficePerson.nik,
    OfficePerson.full_name,
    OfficePerson.birth_date,
    OfficePerson.sex,
    OfficePerson.address,
    OfficePerson.rw,
    OfficePerson.rt,
    OfficePerson.village.name.as_alias("village_name"),
)


def _gone_where(row: dict[str, Any]) -> list[Any]:
    """Register people of the office no row of this import lists (the anti-join): before
    the apply, those a confirm would mark gone; after it, those it did."""
    if row["state"] == "applied":
        return [OfficePerson.office == row["office"], OfficePerson.gone_import == row["id"]]
    if row["state"] not in ("parsed", "applying"):
        # Not read to the end (or its rows deleted): nobody can be called gone.
        return [OfficePerson.id == -1]
    listed = OfficeImportRow.select(OfficeImportRow.nik).where(
        OfficeImportRow.office_import == row["id"], OfficeImportRow.nik.is_not_null()
    )
    return [
        OfficePerson.office == row["office"],
        OfficePerson.gone_import.is_null(),
        OfficePerson.purged_at.is_null(),
        OfficePerson.nik.is_not_null(),
        OfficePerson.nik.not_in(listed),
    ]


async def _paged(
    table: type[Table],
    columns: Sequence[Any],
    where: Sequence[Any],
    order: Sequence[Any],
    page: object,
) -> tuple[list[dict[str, Any]], Pager]:
    """One page of ``table``'s rows matching ``where``, counted and paged in SQL."""
    pager = Pager.of(page, await table.count().where(*where))
    query = table.select(*columns).where(*where)
    for column in order:
        query = query.order_by(column)
    return await query.limit(pager.size).offset(pager.offset), pager


async def import_rows(
    access: Scope, public_id: str, change: str, page: object, *, reveal: bool = False
) -> tuple[list[RowView], Pager]:
    """A page of one kind of row (galat | baru | berubah | tetap | hilang), in file order
    (``hilang``: by name). NIKs are masked unless ``reveal``, which the audit line says."""
    if change not in ROW_KINDS:
        raise NotFound()
    row = await _import_row(access, public_id)
    if change == "hilang":
        found, pager = await _paged(
            OfficePerson,
            _PERSON_COLUMNS,
            _gone_where(row),
            (OfficePerson.name_key, OfficePerson.id),
            page,
        )
        ids: dict[str, Any] = {"office_person_ids": [r["id"] for r in found]}
    else:
        staged = (OfficeImportRow.office_import == row["id"], OfficeImportRow.change == change)
        found, pager = await _paged(
            OfficeImportRow, _ROW_COLUMNS, staged, (OfficeImportRow.n,), page
        )
        ids = {"rows": len(found)}
    detail: dict[str, Any] = {"import": str(row["public_id"]), "kind": change, "page": pager.page}
    if reveal:
        detail = audit.nik_access_detail([], **detail, **ids)
    async with write_transaction():
        await _audit(access, "office_import.view_rows", row, detail)
    return [row_view(r, change, reveal) for r in found], pager


ERROR_HEADERS = (
    "Baris",
    *(office_rows.FIELD_LABELS[f] for f in office_rows.TEMPLATE_FIELDS),
    "Kecamatan",
    "Yang perlu diperbaiki",
)


async def errors_csv(access: Scope, public_id: str) -> Export:
    """Every row with an error, as the file had it plus what to fix, to correct and upload
    again. Full NIKs: audited with ``nik_access_detail`` first."""
    row = await _import_row(access, public_id)
    found = (
        await OfficeImportRow.select(*_ROW_COLUMNS)
        .where(OfficeImportRow.office_import == row["id"], OfficeImportRow.change == "galat")
        .order_by(OfficeImportRow.n)
        .limit(ERRORS_MAX)
    )
    detail = audit.nik_access_detail(
        [], format="csv", import_id=str(row["public_id"]), rows=len(found)
    )
    async with write_transaction():
        await _audit(access, "office_import.export_errors", row, detail)
    lines = []
    for r in found:
        view = row_view(r, "galat", True)
        cells = view.as_filed
        lines.append(
            [
                view.n,
                *(cells.get(f, "") for f in office_rows.TEMPLATE_FIELDS),
                cells.get("kecamatan", ""),
                "; ".join(f"{label}: {message}" for label, message in view.error_list),
            ]
        )
    stem = _UNSAFE_NAME.sub("-", row["filename"].rsplit(".", 1)[0])[:60].strip("-")
    name = f"galat-{stem or 'impor'}.csv"
    return Export(name, CSV_TYPE, csv_bytes(ERROR_HEADERS, lines))


def template_csv() -> Export:
    """The header row staff can fill or compare their export with."""
    return Export(
        "templat-data-belum-rekam.csv", CSV_TYPE, csv_bytes(office_rows.TEMPLATE_HEADERS, [])
    )


# ---------------------------------------------------------------- writing


async def _audit(access: Scope, action: str, row: dict[str, Any], detail: dict[str, Any]) -> None:
    await audit.record(
        access.actor,
        action,
        office_id=row["office"],
        object_type="office_import",
        object_id=str(row["public_id"]),
        detail=detail,
    )


def _office_for_upload(access: Scope, kantor: str) -> OfficeRef:
    office = access.require_staff().choose(kantor).single_office()
    if office is None:
        raise Invalid({"kantor": "Pilih kantor yang datanya diunggah"})
    return office


async def upload(access: Scope, form: UploadInput) -> str:
    """Store the file and its import (state ``uploaded``) for the job; → its public id.
    Invalid({"berkas": …}) when the file as a whole cannot be used, ({"kantor": …}) when an
    admin named no office, ({"tanggal": …}) for a data date after today; Conflict while
    the office has an open import. Audit ``office_import.upload``."""
    office = _office_for_upload(access, form.kantor)
    today = now().astimezone(get_settings().zone).date()
    if form.data_as_of is not None and form.data_as_of > today:
        raise Invalid({"tanggal": "Tanggal data tidak boleh sesudah hari ini"})
    rules = files.office_rules()
    received = files.receive(form.filename, form.file, form.size, rules)
    estimate = files.check(received, rules)
    if await OfficeImport.exists().where(
        OfficeImport.office == office.id, OfficeImport.state.is_in(list(OPEN_STATES))
    ):
        raise Conflict(OPEN_CONFLICT)
    public_id = uuid.uuid4()
    moment = now()
    filename = (form.filename or "").strip().replace("\\", "/").rsplit("/", 1)[-1][:200]
    try:
        async with write_transaction():
            made = await OfficeImport(
                public_id=public_id,
                office=office.id,
                uploaded_by=access.user_id,
                filename=filename,
                source=received.source,
                size_bytes=received.size,
                sha256=received.sha256,
                data_as_of=form.data_as_of,
                state="uploaded",
                total_rows=estimate,
                created_at=moment,
            ).save()
            import_id = made[0]["id"]
            await OfficeUploadPart.insert(
                *(
                    OfficeUploadPart(office_import=import_id, n=n, data=part)
                    for n, part in enumerate(received.parts)
                )
            )
            await _audit(
                access,
                "office_import.upload",
                {"office": office.id, "public_id": public_id},
                {
                    "filename": filename,
                    "size": received.size,
                    "sha256": received.sha256,
                    "estimated_rows": estimate,
                    "source": received.source,
                },
            )
    except UNIQUE_VIOLATIONS:
        # Two uploads raced past the check: the partial unique index let one through.
        raise Conflict(OPEN_CONFLICT) from None
    return str(public_id)


async def _move(
    access: Scope, public_id: str, version: int, values: dict[Any, Any], action: str
) -> None:
    """parsed → ``values`` (applying or cancelled) with the version the form showed."""
    row = await _import_row(access, public_id)
    async with write_transaction():
        done = (
            await OfficeImport.update({**values, OfficeImport.version: OfficeImport.version + 1})
            .where(
                OfficeImport.id == row["id"],
                OfficeImport.state == "parsed",
                OfficeImport.version == version,
            )
            .returning(OfficeImport.id)
        )
        if not done:
            raise Conflict(
                "Impor ini sudah berubah sejak halaman dibuka (disimpan, dibatalkan, atau "
                "sedang diproses). Muat ulang halaman lalu periksa lagi."
            )
        if values.get(OfficeImport.state) == "cancelled":
            # The file and its staged rows go with the decision (docs/drive.md §8).
            await OfficeImportRow.delete().where(OfficeImportRow.office_import == row["id"])
            await OfficeUploadPart.delete().where(OfficeUploadPart.office_import == row["id"])
        c = counts_of(row)
        await _audit(
            access,
            action,
            row,
            {
                "errors": c.errors,
                "new": c.new,
                "changed": c.changed,
                "unchanged": c.unchanged,
                "gone": c.gone,
            },
        )


async def confirm(access: Scope, public_id: str, version: int) -> None:
    """parsed → applying: the job writes the new and changed rows into the register.
    Conflict when the import changed since the page showed ``version``."""
    moment = now()
    await _move(
        access,
        public_id,
        version,
        {
            OfficeImport.state: "applying",
            OfficeImport.confirmed_by: access.user_id,
            OfficeImport.confirmed_at: moment,
            OfficeImport.applied_rows: 0,
            OfficeImport.attempts: 0,
            OfficeImport.worker: "",
            OfficeImport.heartbeat_at: None,
        },
        "office_import.confirm",
    )


async def cancel(access: Scope, public_id: str, version: int) -> None:
    """parsed → cancelled; the file and staged rows are deleted. Conflict when stale."""
    await _move(
        access,
        public_id,
        version,
        {OfficeImport.state: "cancelled", OfficeImport.cancelled_at: now()},
        "office_import.cancel",
    )

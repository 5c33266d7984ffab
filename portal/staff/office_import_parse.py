"""Reading an office import (docs/drive.md §6.1 item 3, §6.3): the stored file, 5,000 rows
a chunk, each row checked by ``portal.rules.office_rows``, classified against the
register's fingerprints of that chunk's NIKs (``office_diff.row_change``) and staged in
``office_import_row`` — with asyncpg ``COPY`` through the transaction's own connection on
PostgreSQL, ``executemany`` on SQLite — and the cursor ``read_rows`` moved, in one write
transaction that first renews the lease. After the last chunk, later repeats of a NIK
become ``galat`` and the gone are counted with an anti-join.

The reader stays open between chunks in the worker that holds the lease (``_OPEN``); a
worker that takes over opens the file again and skips the rows already staged.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from portal.domain.transactions import is_postgres, write_transaction
from portal.rules import office_rows
from portal.rules.office_diff import row_change
from portal.rules.office_rows import HeaderMap, OfficeFileError
from portal.rules.places import Place, Places
from portal.rules.tablefiles import TableFileError
from portal.settings import get_settings
from portal.staff.office_import_files import FileRow, file_rows, office_rules
from portal.staff.office_import_values import json_value
from portal.tables.office_lists import OfficeImport, OfficeImportRow, OfficePerson, OfficeUploadPart
from portal.tables.regions import Office, Village

CHUNK_ROWS = 5_000
STAGED_COLUMNS = (
    "office_import",
    "n",
    "nik",
    "full_name",
    "name_key",
    "birth_date",
    "sex",
    "address",
    "rw",
    "rt",
    "village",
    "kecamatan",
    "fingerprint",
    "change",
    "errors",
    "warnings",
    "cells",
)


class FileProblem(Exception):
    """The file as a whole cannot be read: the import fails with ``message``."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class _Reader:
    worker: str
    rows: Iterator[FileRow]
    position: int  # data rows consumed, = the import's read_rows
    header: HeaderMap
    places: Places
    today: date


_OPEN: dict[int, _Reader] = {}


def forget(import_id: int) -> None:
    """Drop the open reader (the import is done, failed, or the lease was lost)."""
    _OPEN.pop(import_id, None)


async def places_of(office_id: int) -> Places:
    """The office's villages with their kecamatan and aliases, for ``check_office_row``."""
    office = (
        await Office.select(Office.short_name, Office.region_code)
        .where(Office.id == office_id)
        .first()
    )
    assert office is not None
    rows = await Village.select(
        Village.id,
        Village.code,
        Village.name,
        Village.aliases,
        Village.kecamatan.id.as_alias("kec_id"),
        Village.kecamatan.code.as_alias("kec_code"),
        Village.kecamatan.name.as_alias("kec_name"),
        Village.kecamatan.aliases.as_alias("kec_aliases"),
    ).where(Village.kecamatan.office == office_id)
    return Places(
        office["short_name"],
        office["region_code"],
        [
            Place(
                village_id=r["id"],
                code=r["code"],
                name=r["name"],
                kecamatan_id=r["kec_id"],
                kecamatan_code=r["kec_code"],
                kecamatan_name=r["kec_name"],
                aliases=tuple(json_value(r["aliases"], [])),
                kecamatan_aliases=tuple(json_value(r["kec_aliases"], [])),
            )
            for r in rows
        ],
    )


def _start(source: str, data: bytes, skip: int) -> tuple[Iterator[FileRow], HeaderMap]:
    """Open the file, read its header and skip the rows already staged (in a thread)."""
    try:
        rows = file_rows(source, data, office_rules())
        first = next(rows, None)
        if first is None:
            raise FileProblem(office_rules().no_rows().message)
        header = office_rows.read_header(first[1])
        # Rows already staged by whoever read before: read again, not checked again.
        for _ in itertools.islice(rows, skip):
            pass
    except (TableFileError, OfficeFileError) as exc:
        raise FileProblem(exc.message) from None
    return rows, header


async def _open(imp: dict[str, Any], worker: str) -> _Reader:
    """The import's reader for this worker, positioned at its cursor."""
    reader = _OPEN.get(imp["id"])
    if reader is not None and reader.worker == worker and reader.position == imp["read_rows"]:
        return reader
    parts = (
        await OfficeUploadPart.select(OfficeUploadPart.data)
        .where(OfficeUploadPart.office_import == imp["id"])
        .order_by(OfficeUploadPart.n)
    )
    data = b"".join(bytes(p["data"]) for p in parts)
    rows, header = await asyncio.to_thread(_start, imp["source"], data, imp["read_rows"])
    today = datetime.now(get_settings().zone).date()
    reader = _Reader(worker, rows, imp["read_rows"], header, await places_of(imp["office"]), today)
    _OPEN[imp["id"]] = reader
    return reader


def _take(reader: _Reader) -> list[FileRow]:
    try:
        return list(itertools.islice(reader.rows, CHUNK_ROWS))
    except TableFileError as exc:
        raise FileProblem(exc.message) from None


def _read(reader: _Reader) -> tuple[list[FileRow], list[office_rows.OfficeRow]]:
    """The next chunk's rows, checked (in a thread: a chunk is a few tenths of a second of
    CPU, which the worker's requests should not wait behind)."""
    rows = _take(reader)
    return rows, _check(reader, rows)


def _check(reader: _Reader, rows: list[FileRow]) -> list[office_rows.OfficeRow]:
    columns = reader.header.columns
    checked = []
    for n, cells, numeric in rows:
        fields = {columns[i] for i in numeric if i < len(columns) and columns[i]}
        checked.append(
            office_rows.check_office_row(
                n, reader.header.cells(cells), reader.places, today=reader.today, numeric=fields
            )
        )
    return checked


async def _stored(office_id: int, niks: list[str]) -> dict[str, str]:
    """NIK → fingerprint of the chunk's people the office's register lists now."""
    if not niks:
        return {}
    rows = await OfficePerson.select(OfficePerson.nik, OfficePerson.fingerprint).where(
        OfficePerson.office == office_id,
        OfficePerson.gone_import.is_null(),
        OfficePerson.nik.is_in(niks),
    )
    return {r["nik"]: r["fingerprint"] for r in rows}


def _records(
    import_id: int, rows: list[office_rows.OfficeRow], stored: dict[str, str]
) -> list[tuple]:
    return [_record(import_id, row, stored) for row in rows]


def _dumps(value: Any, empty: str) -> str:
    return json.dumps(value, ensure_ascii=False) if value else empty


def _record(import_id: int, row: office_rows.OfficeRow, stored: dict[str, str]) -> tuple:
    v = row.values
    print_ = row.fingerprint
    nik = row.nik
    change = "galat" if print_ is None or nik is None else row_change(stored.get(nik), print_)
    return (
        import_id,
        row.n,
        nik,
        (v.get("full_name") or row.cells.get("full_name", ""))[:120],
        (v.get("name_key") or "")[:120],
        v.get("birth_date"),
        v.get("sex"),
        v.get("address") or "",
        v.get("rw"),
        v.get("rt"),
        v.get("village_id"),
        v.get("kecamatan_id"),
        print_ or "",
        change,
        _dumps(row.errors, "{}"),
        _dumps(row.warnings, "[]"),
        # The text as in the file is for the error listing: rows that will not be applied.
        # A later repeat of a NIK is listed from its values (``office_imports.errors_csv``).
        _dumps(row.cells if row.errors else None, "{}"),
    )


async def stage(records: list[tuple]) -> None:
    """Insert staged rows through the current write transaction's connection."""
    from portal.piccolo_conf import DB

    transaction = DB.current_transaction.get()
    assert transaction is not None, "stage() runs inside write_transaction()"
    connection = transaction.connection
    if is_postgres():
        await connection.copy_records_to_table(
            "office_import_row", records=records, columns=list(STAGED_COLUMNS)
        )
        return
    marks = ", ".join("?" for _ in STAGED_COLUMNS)
    await connection.executemany(
        f"INSERT INTO office_import_row ({', '.join(STAGED_COLUMNS)}) VALUES ({marks})",  # noqa: S608
        records,
    )


async def parse_chunk(imp: dict[str, Any], worker: str, renew: Any) -> bool:
    """Read, check and stage the next chunk; finish when the file is read. False once
    parsed, or when the lease was lost. Raises ``FileProblem`` for an unreadable file."""
    reader = await _open(imp, worker)
    rows, checked = await asyncio.to_thread(_read, reader)
    rules = office_rules()
    if imp["read_rows"] + len(rows) > rules.max_rows:
        raise FileProblem(rules.too_many_rows(imp["read_rows"] + len(rows)).message)
    if not rows:
        return await _finish(imp, worker, renew)
    stored = await _stored(imp["office"], [r.nik for r in checked if r.nik])
    records = await asyncio.to_thread(_records, imp["id"], checked, stored)
    changes = [r[STAGED_COLUMNS.index("change")] for r in records]
    kinds = {k: changes.count(k) for k in ("galat", "baru", "berubah", "tetap")}
    async with write_transaction():
        if not await renew(imp["id"], worker, ("uploaded", "parsing")):
            forget(imp["id"])
            return False
        await stage(records)
        await OfficeImport.update(
            {
                OfficeImport.state: "parsing",
                OfficeImport.columns: list(reader.header.columns),
                OfficeImport.read_rows: OfficeImport.read_rows + len(rows),
                OfficeImport.total_rows: max(imp["total_rows"], imp["read_rows"] + len(rows)),
                OfficeImport.error_rows: OfficeImport.error_rows + kinds["galat"],
                OfficeImport.new_count: OfficeImport.new_count + kinds["baru"],
                OfficeImport.changed_count: OfficeImport.changed_count + kinds["berubah"],
                OfficeImport.unchanged_count: OfficeImport.unchanged_count + kinds["tetap"],
            }
        ).where(OfficeImport.id == imp["id"])
    reader.position += len(rows)
    return True


# Later rows of a NIK listed more than once, with the number of its first row, in one
# UPDATE … FROM over the import's NIK index ("+r.n" keeps SQLite from walking the
# (import, n) index from each first row instead). A row with a valid NIK has no NIK error
# of its own, so the message is added, never overwritten.
_FIRST_ROWS = """(SELECT nik, MIN(n) AS first_n FROM office_import_row
      WHERE office_import = {} AND nik IS NOT NULL
      GROUP BY nik HAVING COUNT(*) > 1) f"""
_REPEATED = "NIK sama dengan baris "


def repeats_sql() -> str:
    if is_postgres():
        message = f"(errors::jsonb || jsonb_build_object('nik', '{_REPEATED}' || f.first_n))::json"
    else:
        message = f"json_set(errors, '$.nik', '{_REPEATED}' || f.first_n)"
    return f"""
UPDATE office_import_row SET change = 'galat', errors = {message}
FROM {_FIRST_ROWS}
WHERE office_import_row.office_import = {{}} AND office_import_row.nik = f.nik
AND +office_import_row.n > f.first_n
"""  # noqa: S608 (constants only; the import id is a parameter)


GONE_COUNT = """
SELECT COUNT(*) AS gone FROM office_person p
WHERE p.office = {} AND p.gone_import IS NULL AND p.purged_at IS NULL AND p.nik IS NOT NULL
AND NOT EXISTS (
    SELECT 1 FROM office_import_row r WHERE r.office_import = {} AND r.nik = p.nik)
"""


async def _finish(imp: dict[str, Any], worker: str, renew: Any) -> bool:
    from portal.staff.office_import_job import audit_job

    if imp["read_rows"] == 0:
        raise FileProblem(office_rules().no_rows().message)
    async with write_transaction():
        if not await renew(imp["id"], worker, ("parsing",)):
            forget(imp["id"])
            return False
        await OfficeImportRow.raw(repeats_sql(), imp["id"], imp["id"])
        groups = await OfficeImportRow.raw(
            "SELECT change, COUNT(*) AS n FROM office_import_row WHERE office_import = {} "
            "GROUP BY change",
            imp["id"],
        )
        kinds = {g["change"]: g["n"] for g in groups}
        gone = (await OfficePerson.raw(GONE_COUNT, imp["office"], imp["id"]))[0]["gone"]
        counts = {
            "errors": kinds.get("galat", 0),
            "new": kinds.get("baru", 0),
            "changed": kinds.get("berubah", 0),
            "unchanged": kinds.get("tetap", 0),
            "gone": gone,
        }
        await OfficeImport.update(
            {
                OfficeImport.state: "parsed",
                OfficeImport.parsed_at: datetime.now(UTC),
                OfficeImport.total_rows: imp["read_rows"],
                OfficeImport.error_rows: counts["errors"],
                OfficeImport.new_count: counts["new"],
                OfficeImport.changed_count: counts["changed"],
                OfficeImport.unchanged_count: counts["unchanged"],
                OfficeImport.gone_count: gone,
                OfficeImport.worker: "",
                OfficeImport.heartbeat_at: None,
                OfficeImport.attempts: 0,
                OfficeImport.version: OfficeImport.version + 1,
            }
        ).where(OfficeImport.id == imp["id"])
        await audit_job(imp, "office_import.parsed", {"rows": imp["read_rows"], **counts})
    forget(imp["id"])
    return False

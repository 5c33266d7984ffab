"""Applying a confirmed office import to the register (docs/drive.md §6.3): 10,000 staged
rows a chunk, each chunk one write transaction that renews the lease, upserts the new and
changed rows with one ``INSERT … SELECT … ON CONFLICT (office, nik) DO UPDATE`` (the same
statement on both engines), marks the unchanged and held rows as listed by this import,
and moves the cursor ``applied_rows``. The last transaction marks everyone no row listed
as gone, deletes the file and the staged rows, and records ``office_import.applied``.

A coordinator's finding is kept through a re-import unless the person's place
(village/RW/RT) changed: then another RT has to check them. Someone who was gone and is
listed again is un-gone.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from portal.domain.transactions import is_postgres, write_transaction
from portal.tables.office_lists import OfficeImport, OfficeImportRow, OfficePerson, OfficeUploadPart

CHUNK_ROWS = 10_000
_FINDING = (
    ("outcome", "NULL"),
    ("outcome_detail", "''"),
    ("outcome_note", "''"),
    ("outcome_by", "NULL"),
    ("outcome_at", "NULL"),
    ("handled_at", "NULL"),
    ("handled_by", "NULL"),
)
_MOVED = (
    "(office_person.village <> excluded.village"
    " OR COALESCE(office_person.rw, '') <> COALESCE(excluded.rw, '')"
    " OR COALESCE(office_person.rt, '') <> COALESCE(excluded.rt, ''))"
)
_COPIED = (
    "kecamatan",
    "village",
    "rw",
    "rt",
    "full_name",
    "name_key",
    "birth_date",
    "sex",
    "address",
    "fingerprint",
)


def _moment() -> str:
    # A parameter in a SELECT list has no type PostgreSQL can infer: say it.
    return "CAST({} AS TIMESTAMPTZ)" if is_postgres() else "{}"


def upsert_sql() -> str:
    """New and changed rows of one chunk (n in (lo, hi]) into the register."""
    finding = ", ".join(
        f"{name} = CASE WHEN {_MOVED} THEN {empty} ELSE office_person.{name} END"
        for name, empty in _FINDING
    )
    copied = ", ".join(f"{c} = excluded.{c}" for c in _COPIED)
    moment = _moment()
    return f"""
INSERT INTO office_person (
    office, {", ".join(_COPIED)}, nik, first_import, last_import,
    outcome_detail, outcome_note, created_at, updated_at, version)
SELECT CAST({{}} AS INTEGER), {", ".join("r." + c for c in _COPIED)}, r.nik,
    r.office_import, r.office_import, '', '', {moment}, {moment}, 1
FROM office_import_row r
WHERE r.office_import = {{}} AND r.n > {{}} AND r.n <= {{}} AND r.change IN ('baru', 'berubah')
ON CONFLICT (office, nik) DO UPDATE SET
    {finding},
    {copied},
    last_import = excluded.last_import, gone_import = NULL, gone_at = NULL,
    updated_at = excluded.updated_at, version = office_person.version + 1
"""  # noqa: S608 (column names are constants; values are parameters)


def listed_sql() -> str:
    """Unchanged rows, and rows with a valid NIK but another error (held: their stored
    data stays), are listed by this import; someone gone who is listed again returns."""
    return f"""
UPDATE office_person SET last_import = {{}},
    updated_at = CASE WHEN gone_import IS NULL THEN updated_at ELSE {_moment()} END,
    gone_import = NULL, gone_at = NULL
WHERE office = {{}} AND nik IN (
    SELECT r.nik FROM office_import_row r
    WHERE r.office_import = {{}} AND r.n > {{}} AND r.n <= {{}}
    AND r.change IN ('tetap', 'galat') AND r.nik IS NOT NULL)
"""  # noqa: S608


def gone_sql() -> str:
    moment = _moment()
    return f"""
UPDATE office_person SET gone_import = {{}}, gone_at = {moment}, updated_at = {moment},
    version = version + 1
WHERE office = {{}} AND gone_import IS NULL AND purged_at IS NULL AND nik IS NOT NULL
AND NOT EXISTS (
    SELECT 1 FROM office_import_row r WHERE r.office_import = {{}} AND r.nik = office_person.nik)
RETURNING id
"""  # noqa: S608


async def _n_at(import_id: int, offset: int) -> int | None:
    """The row number of the staged row at ``offset`` in file order (None past the end)."""
    rows = await OfficeImportRow.raw(
        "SELECT n FROM office_import_row WHERE office_import = {} ORDER BY n LIMIT 1 OFFSET {}",
        import_id,
        offset,
    )
    return rows[0]["n"] if rows else None


async def apply_chunk(imp: dict[str, Any], worker: str, renew: Any) -> bool:
    """Apply the next chunk, or finish. False once applied, or when the lease was lost."""
    done, staged = imp["applied_rows"], imp["read_rows"]
    if done >= staged:
        return await _finish(imp, worker, renew)
    low = await _n_at(imp["id"], done - 1) if done else 0
    high = await _n_at(imp["id"], done + CHUNK_ROWS - 1)
    count = CHUNK_ROWS if high is not None else staged - done
    if high is None:
        high = 2**31 - 1
    moment = datetime.now(UTC)
    office, import_id = imp["office"], imp["id"]
    async with write_transaction():
        if not await renew(import_id, worker, ("applying",)):
            return False
        await OfficePerson.raw(upsert_sql(), office, moment, moment, import_id, low, high)
        await OfficePerson.raw(listed_sql(), import_id, moment, office, import_id, low, high)
        await OfficeImport.update(
            {OfficeImport.applied_rows: OfficeImport.applied_rows + count}
        ).where(OfficeImport.id == import_id)
    return True


async def _finish(imp: dict[str, Any], worker: str, renew: Any) -> bool:
    from portal.staff.office_import_job import audit_job

    moment = datetime.now(UTC)
    async with write_transaction():
        if not await renew(imp["id"], worker, ("applying",)):
            return False
        gone = await OfficePerson.raw(
            gone_sql(), imp["id"], moment, moment, imp["office"], imp["id"]
        )
        await delete_file(imp["id"])
        await OfficeImport.update(
            {
                OfficeImport.state: "applied",
                OfficeImport.applied_at: moment,
                OfficeImport.gone_count: len(gone),
                OfficeImport.worker: "",
                OfficeImport.heartbeat_at: None,
                OfficeImport.version: OfficeImport.version + 1,
            }
        ).where(OfficeImport.id == imp["id"])
        await audit_job(
            imp,
            "office_import.applied",
            {
                "new": imp["new_count"],
                "changed": imp["changed_count"],
                "unchanged": imp["unchanged_count"],
                "gone": len(gone),
                "errors": imp["error_rows"],
            },
        )
    return False


async def delete_file(import_id: int) -> None:
    """The uploaded file and the staged rows go once the import is decided (§8)."""
    await OfficeImportRow.delete().where(OfficeImportRow.office_import == import_id)
    await OfficeUploadPart.delete().where(OfficeUploadPart.office_import == import_id)

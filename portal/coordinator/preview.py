"""Pasted or uploaded rows kept server-side between preview and confirmation.

The browser only ever sends back a row number to fix or leave out; confirming stores what
this table holds, validated again at that moment, so nothing the client sends is trusted.
A batch belongs to the coordinator who made it and lives a day.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, cast

from portal.clock import today_local
from portal.coordinator.duplicates import (
    apply_duplicates,
    candidate_for,
    checkable,
    chunks,
    find_duplicates,
    no_duplicates,
)
from portal.coordinator.imports import ParsedRows, describe_columns
from portal.coordinator.office_people import store_from_office
from portal.coordinator.resident_check import CheckedResident, check_resident
from portal.coordinator.resident_fields import clean_raw, with_saved_nik
from portal.coordinator.resident_list import OwnList, open_list_by_id, public_key, record
from portal.coordinator.rows import new_resident, now, require_draft, touch
from portal.domain.errors import Conflict, NotFound
from portal.domain.scope import Scope
from portal.domain.transactions import write_transaction
from portal.tables.residents import ImportBatch, Resident

BATCH_LIFETIME = timedelta(hours=24)
INSERT_CHUNK = 200
NUMERIC_NIK = (
    "Sel NIK ini berformat angka di Excel, sehingga angka ke-16 bisa berubah menjadi 0. "
    "Ketik ulang NIK di sini, atau ubah format kolom NIK menjadi Teks lalu unggah lagi."
)
SENT = "Daftar ini sudah dikirim; buat daftar baru untuk warga tambahan."


@dataclass
class PreviewRow:
    n: int
    skip: bool
    checked: CheckedResident
    origin: int | None = None  # the office person the row came from

    @property
    def ok(self) -> bool:
        return self.checked.ok

    @property
    def stored(self) -> bool:
        return self.ok and not self.skip


@dataclass
class Batch:
    """A batch of the signed-in coordinator, its rows as stored, and the list it fills."""

    row: ImportBatch
    rows: list[dict[str, Any]]
    own: OwnList

    def __post_init__(self) -> None:
        self.key = str(self.row.public_id)  # the batch's id in addresses
        self.confirmed = self.row.confirmed_at is not None

    @property
    def columns(self) -> list[str]:
        """The names of the columns recognised in the first rows."""
        seen: list[str] = []
        for row in self.rows[:50]:
            seen += [key for key in row["fields"] if key not in seen]
        return [c for c in describe_columns(seen) if c]


async def create_batch(
    access: Scope,
    own: OwnList,
    *,
    source: str,
    filename: str,
    parsed: ParsedRows,
    origins: list[int] | None = None,
) -> str:
    """Keep parsed rows for their preview; returns the batch's id in addresses. ``origins``:
    the office person each row came from ("masih tinggal di sini"), linked on confirm."""
    require_draft(own)
    moment = now()
    batch = ImportBatch(
        public_id=uuid.uuid4(),
        owner=access.user_id,
        resident_list=own.id,
        source=source,
        filename=filename[:200],
        header_detected=parsed.header_detected,
        rows=[
            {"n": row.n, "fields": row.fields, "numeric": row.numeric, "skip": False}
            | ({"origin": origins[i]} if origins else {})
            for i, row in enumerate(parsed.rows)
        ],
        created_at=moment,
        expires_at=moment + BATCH_LIFETIME,
    )
    async with write_transaction():
        await ImportBatch.delete().where(ImportBatch.expires_at < moment)
        await batch.save()
    return str(batch.public_id)


async def open_batch(access: Scope, public_id: str) -> Batch:
    batch = (
        await ImportBatch.objects()
        .where(
            ImportBatch.public_id == public_key(public_id),
            access.owner_where(ImportBatch.owner),
            ImportBatch.expires_at > now(),
        )
        .output(load_json=True)
        .first()
    )
    if batch is None:
        raise NotFound()
    own = await open_list_by_id(access, batch.resident_list)
    return Batch(batch, list(cast("list[dict[str, Any]]", batch.rows)), own)


async def preview(batch: Batch) -> list[PreviewRow]:
    """Every row validated, with duplicates checked against the list, other lists and the
    earlier rows of this batch."""
    day = today_local()
    result: list[PreviewRow] = []
    for row in batch.rows:
        checked = check_resident(row["fields"], batch.own.area, today=day)
        if "nik" in row.get("numeric", []) and checked.values.get("nik"):
            checked.errors.setdefault("nik", NUMERIC_NIK)
        result.append(
            PreviewRow(row["n"], bool(row.get("skip")), checked, origin=row.get("origin"))
        )
    candidates = [
        candidate_for(index, p.checked, label=f"baris {p.n}")
        for index, p in enumerate(result)
        if not p.skip and checkable(p.checked)
    ]
    found = await find_duplicates(batch.own.id, batch.own.area, candidates)
    for index, p in enumerate(result):
        if index in found:
            apply_duplicates(p.checked, found[index])
        else:
            no_duplicates(p.checked)
    return result


def _row(batch: Batch, n: int) -> dict[str, Any]:
    for row in batch.rows:
        if row["n"] == n:
            return row
    raise NotFound()


async def _save_rows(batch: Batch) -> None:
    async with write_transaction():
        await ImportBatch.update({ImportBatch.rows: batch.rows}).where(
            ImportBatch.id == batch.row.id, ImportBatch.confirmed_at.is_null()
        )


async def fix_row(batch: Batch, n: int, raw: dict[str, Any]) -> None:
    """The coordinator's correction of one row replaces what was pasted."""
    row = _row(batch, n)
    if row.get("origin"):  # the office's NIK is never shown, so blank means "keep it"
        raw = with_saved_nik(raw, row["fields"].get("nik"))
    row.update(fields={k: v for k, v in clean_raw(raw).items() if v}, numeric=[], skip=False)
    await _save_rows(batch)


async def set_skip(batch: Batch, n: int, skip: bool) -> None:
    _row(batch, n)["skip"] = skip
    await _save_rows(batch)


@dataclass
class Confirmed:
    stored: int
    left_out: int
    already: bool = False


async def confirm(access: Scope, batch: Batch) -> Confirmed:
    """Store every valid, not-skipped row in one transaction, once."""
    total = len(batch.rows)
    if batch.confirmed:
        return Confirmed(batch.row.stored_count, total - batch.row.stored_count, already=True)
    if not batch.own.is_draft:
        raise Conflict(SENT)
    good = [p for p in await preview(batch) if p.stored]
    async with write_transaction():
        moment = now()
        claimed = (
            await ImportBatch.update(
                {ImportBatch.confirmed_at: moment, ImportBatch.stored_count: len(good)}
            )
            .where(ImportBatch.id == batch.row.id, ImportBatch.confirmed_at.is_null())
            .returning(ImportBatch.stored_count)
        )
        if not claimed:
            stored = await ImportBatch.select(ImportBatch.stored_count).where(
                ImportBatch.id == batch.row.id
            )
            count = stored[0]["stored_count"] if stored else 0
            return Confirmed(count, total - count, already=True)
        for part in chunks([p for p in good if p.origin is None], INSERT_CHUNK):
            await Resident.insert(*[new_resident(batch.own, p.checked, moment) for p in part])
        from_office = [(p.origin, p.checked) for p in good if p.origin is not None]
        linked = await store_from_office(access, batch.own, from_office, moment)
        await touch(batch.own, moment)
        await record(
            access,
            "list.import",
            batch.own,
            source=batch.row.source,
            stored=len(good),
            left_out=total - len(good),
            **({"from_office": linked} if linked else {}),
        )
    return Confirmed(len(good), total - len(good))


async def discard(batch: Batch) -> None:
    async with write_transaction():
        await ImportBatch.delete().where(
            ImportBatch.id == batch.row.id, ImportBatch.confirmed_at.is_null()
        )

"""Pasted or uploaded rows kept server-side between preview and confirmation.

The browser only ever sends back a row number to fix or leave out; confirming stores what
this table holds, validated again at that moment, so nothing the client sends is trusted.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from litestar.exceptions import NotFoundException

from portal.audit import record
from portal.clock import today_local
from portal.piccolo_conf import DB
from portal.residents.duplicates import apply_duplicates, candidate_for, find_duplicates
from portal.residents.imports import ParsedRows
from portal.residents.lists import (
    RESIDENT_COLUMNS,
    ListStateError,
    now,
)
from portal.residents.validation import CheckedResident, ListArea, check_resident, clean_raw
from portal.tables.accounts import User
from portal.tables.residents import ImportBatch, Resident, ResidentList

BATCH_LIFETIME = timedelta(hours=24)
INSERT_CHUNK = 200
NUMERIC_NIK = (
    "Sel NIK ini berformat angka di Excel, sehingga angka ke-16 bisa berubah menjadi 0. "
    "Ketik ulang NIK di sini, atau ubah format kolom NIK menjadi Teks lalu unggah lagi."
)


@dataclass
class PreviewRow:
    n: int
    skip: bool
    checked: CheckedResident

    @property
    def ok(self) -> bool:
        return self.checked.ok

    @property
    def stored(self) -> bool:
        return self.ok and not self.skip


async def create_batch(
    user: User, lst: ResidentList, *, source: str, filename: str, parsed: ParsedRows
) -> ImportBatch:
    moment = now()
    await ImportBatch.delete().where(ImportBatch.expires_at < moment)
    batch = ImportBatch(
        public_id=uuid.uuid4(),
        owner=user.id,
        resident_list=lst.id,
        source=source,
        filename=filename[:200],
        header_detected=parsed.header_detected,
        rows=[
            {"n": row.n, "fields": row.fields, "numeric": row.numeric, "skip": False}
            for row in parsed.rows
        ],
        created_at=moment,
        expires_at=moment + BATCH_LIFETIME,
    )
    await batch.save()
    return batch


async def get_batch(user: User, public_id: str) -> tuple[ImportBatch, list[dict]]:
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise NotFoundException() from None
    batch = (
        await ImportBatch.objects()
        .where(
            ImportBatch.public_id == key,
            ImportBatch.owner == user.id,
            ImportBatch.expires_at > now(),
        )
        .output(load_json=True)
        .first()
    )
    if batch is None:
        raise NotFoundException()
    return batch, list(batch.rows)


async def preview(lst: ResidentList, area: ListArea, rows: list[dict]) -> list[PreviewRow]:
    """Every row validated, with duplicates checked against the list, other lists and the
    earlier rows of this batch."""
    day = today_local()
    result: list[PreviewRow] = []
    for row in rows:
        checked = check_resident(row["fields"], area, today=day)
        if "nik" in row.get("numeric", []) and checked.values.get("nik"):
            checked.errors.setdefault("nik", NUMERIC_NIK)
        result.append(PreviewRow(n=row["n"], skip=bool(row.get("skip")), checked=checked))
    candidates = [
        candidate_for(index, p.checked, label=f"baris {p.n}")
        for index, p in enumerate(result)
        if not p.skip and (p.checked.values.get("nik") or p.checked.values.get("birth_date"))
    ]
    found = await find_duplicates(lst.id, area, candidates)
    for index, p in enumerate(result):
        if index in found:
            apply_duplicates(p.checked, found[index])
        else:
            p.checked.values["warn_duplicate"] = False
    return result


def _find(rows: list[dict], n: int) -> dict:
    for row in rows:
        if row["n"] == n:
            return row
    raise NotFoundException()


async def _save_rows(batch: ImportBatch, rows: list[dict]) -> None:
    await ImportBatch.update({ImportBatch.rows: rows}).where(
        ImportBatch.id == batch.id, ImportBatch.confirmed_at.is_null()
    )


async def fix_row(batch: ImportBatch, rows: list[dict], n: int, raw: dict[str, Any]) -> None:
    row = _find(rows, n)
    fields = {k: v for k, v in clean_raw(raw).items() if v}
    row.update(fields=fields, numeric=[], skip=False)
    await _save_rows(batch, rows)


async def set_skip(batch: ImportBatch, rows: list[dict], n: int, skip: bool) -> None:
    _find(rows, n)["skip"] = skip
    await _save_rows(batch, rows)


@dataclass
class ConfirmOutcome:
    stored: int
    left_out: int
    already: bool = False


async def confirm(
    user: User,
    batch: ImportBatch,
    rows: list[dict],
    lst: ResidentList,
    area: ListArea,
    connection=None,
) -> ConfirmOutcome:
    """Store every valid, not-skipped row in one transaction, once."""
    if batch.confirmed_at is not None:
        return ConfirmOutcome(batch.stored_count, len(rows) - batch.stored_count, already=True)
    if lst.state != "draft":
        raise ListStateError("Daftar ini sudah dikirim; buat daftar baru untuk warga tambahan.")
    checked_rows = await preview(lst, area, rows)
    good = [p for p in checked_rows if p.stored]
    moment = now()
    async with DB.transaction():
        claimed = (
            await ImportBatch.update(
                {ImportBatch.confirmed_at: moment, ImportBatch.stored_count: len(good)}
            )
            .where(ImportBatch.id == batch.id, ImportBatch.confirmed_at.is_null())
            .returning(ImportBatch.id)
        )
        if not claimed:
            fresh = await ImportBatch.objects().where(ImportBatch.id == batch.id).first()
            return ConfirmOutcome(fresh.stored_count, len(rows) - fresh.stored_count, True)
        for start in range(0, len(good), INSERT_CHUNK):
            await Resident.insert(
                *[
                    Resident(
                        resident_list=lst.id,
                        office=area.office_id,
                        kecamatan=area.kecamatan_id,
                        village=area.village_id,
                        status="draft",
                        created_at=moment,
                        updated_at=moment,
                        **{k: p.checked.values.get(k) for k in RESIDENT_COLUMNS},
                    )
                    for p in good[start : start + INSERT_CHUNK]
                ]
            )
        await ResidentList.update({ResidentList.updated_at: moment}).where(
            ResidentList.id == lst.id
        )
        await record(
            "list.import",
            actor=user,
            connection=connection,
            office_id=area.office_id,
            object_type="resident_list",
            object_id=lst.public_id,
            detail={
                "source": batch.source,
                "stored": len(good),
                "left_out": len(rows) - len(good),
            },
        )
    return ConfirmOutcome(len(good), len(rows) - len(good))


async def discard(batch: ImportBatch) -> None:
    await ImportBatch.delete().where(ImportBatch.id == batch.id, ImportBatch.confirmed_at.is_null())

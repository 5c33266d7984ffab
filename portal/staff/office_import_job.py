"""The office import job (docs/drive.md §3, §6.1): any app worker advances a runnable
import (uploaded, parsing, applying) a chunk at a time under a lease.

A worker claims an import with one conditional UPDATE (``claim``): PostgreSQL re-checks the
WHERE after the row lock, SQLite's IMMEDIATE transaction serialises, so of two workers one
wins. Every chunk is one write transaction that first renews the heartbeat (``renew``), so
a worker that lost the lease writes nothing, and one that died leaves its import to be
claimed again 30 s later and continued from the durable cursor (``read_rows`` /
``applied_rows``). The fifth attempt that does not finish fails the import. The chunks
themselves are ``office_import_parse`` (read, check, stage, diff) and
``office_import_apply`` (the upsert into the register).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from portal.domain import audit
from portal.domain.actor import Actor
from portal.domain.transactions import write_transaction
from portal.staff import office_import_apply, office_import_parse
from portal.staff.office_import_parse import FileProblem
from portal.tables.office_lists import PROGRESS_COLUMNS, RUNNABLE_STATES, OfficeImport

log = logging.getLogger("portal.jobs")
LEASE_SECONDS = 30
MAX_ATTEMPTS = 5
SYSTEM_NAME = "portal jobs"
REPEATED_FAILURE = "Gagal diproses berulang kali; unggah ulang."
_COLUMNS = (
    OfficeImport.id,
    OfficeImport.public_id,
    OfficeImport.office,
    OfficeImport.source,
    OfficeImport.state,
    OfficeImport.worker,
    *PROGRESS_COLUMNS,
)


def now() -> datetime:
    return datetime.now(UTC)


def _free(moment: datetime) -> Any:
    stale = moment - timedelta(seconds=LEASE_SECONDS)
    return OfficeImport.heartbeat_at.is_null() | (OfficeImport.heartbeat_at < stale)


async def audit_job(imp: dict[str, Any], action: str, detail: dict[str, Any]) -> None:
    """The job's audit line (ids, counts, codes), in the caller's transaction."""
    await audit.record(
        Actor.system(SYSTEM_NAME),
        action,
        office_id=imp["office"],
        object_type="office_import",
        object_id=str(imp["public_id"]),
        detail=detail,
    )


async def claim(worker: str, now: datetime) -> int | None:
    """The id of a runnable import whose lease is free, now leased to ``worker``; None
    when there is nothing to do or another worker won the race."""
    waiting = (
        await OfficeImport.select(OfficeImport.id)
        .where(OfficeImport.state.is_in(list(RUNNABLE_STATES)), _free(now))
        .order_by(OfficeImport.id)
    )
    for candidate in waiting:
        async with write_transaction():
            won = (
                await OfficeImport.update(
                    {
                        OfficeImport.worker: worker,
                        OfficeImport.heartbeat_at: now,
                        OfficeImport.attempts: OfficeImport.attempts + 1,
                    }
                )
                .where(
                    OfficeImport.id == candidate["id"],
                    OfficeImport.state.is_in(list(RUNNABLE_STATES)),
                    _free(now),
                )
                .returning(OfficeImport.id, OfficeImport.attempts)
            )
        if not won:
            continue
        if won[0]["attempts"] > MAX_ATTEMPTS:
            await fail(won[0]["id"], worker, REPEATED_FAILURE)
            continue
        return won[0]["id"]
    return None


async def renew(import_id: int, worker: str, states: tuple[str, ...]) -> bool:
    """Inside a chunk's transaction: is the lease still ours? Renews the heartbeat."""
    kept = (
        await OfficeImport.update({OfficeImport.heartbeat_at: now()})
        .where(
            OfficeImport.id == import_id,
            OfficeImport.worker == worker,
            OfficeImport.state.is_in(list(states)),
        )
        .returning(OfficeImport.id)
    )
    return bool(kept)


async def release(import_id: int, worker: str) -> None:
    """Give the lease up after an error, so the next claim (an attempt more) retries."""
    office_import_parse.forget(import_id)
    await OfficeImport.update({OfficeImport.heartbeat_at: None}).where(
        OfficeImport.id == import_id, OfficeImport.worker == worker
    )


async def fail(import_id: int, worker: str, problem: str) -> None:
    """The import ends ``failed`` with ``problem``; its file and staged rows are deleted."""
    office_import_parse.forget(import_id)
    async with write_transaction():
        failed = (
            await OfficeImport.update(
                {
                    OfficeImport.state: "failed",
                    OfficeImport.problem: problem,
                    OfficeImport.worker: "",
                    OfficeImport.heartbeat_at: None,
                    OfficeImport.version: OfficeImport.version + 1,
                }
            )
            .where(
                OfficeImport.id == import_id,
                OfficeImport.worker == worker,
                OfficeImport.state.is_in(list(RUNNABLE_STATES)),
            )
            .returning(OfficeImport.id, OfficeImport.public_id, OfficeImport.office)
        )
        if not failed:
            return
        await office_import_apply.delete_file(import_id)
        await audit_job(failed[0], "office_import.failed", {"problem": problem})


async def step(import_id: int, worker: str) -> bool:
    """Advance the import one chunk. True while there is more to do and ``worker`` still
    holds the lease; False when it is done (parsed, applied, failed) or the lease is lost."""
    imp = await OfficeImport.select(*_COLUMNS).where(OfficeImport.id == import_id).first()
    if imp is None or imp["worker"] != worker or imp["state"] not in RUNNABLE_STATES:
        office_import_parse.forget(import_id)
        return False
    if imp["state"] == "applying":
        return await office_import_apply.apply_chunk(imp, worker, renew)
    try:
        return await office_import_parse.parse_chunk(imp, worker, renew)
    except FileProblem as exc:
        await fail(import_id, worker, exc.message)
        return False


async def run_pending(worker: str, *, stop: asyncio.Event | None = None) -> int:
    """Run every runnable import to its next resting state (tests, ``portal jobs --once``,
    the loop of each app worker); the number of chunks run. ``stop`` ends it between
    chunks (shutdown): the lease then lapses and any worker continues."""
    chunks = 0
    while stop is None or not stop.is_set():
        import_id = await claim(worker, now())
        if import_id is None:
            break
        try:
            while await step(import_id, worker):
                chunks += 1
                if stop is not None and stop.is_set():
                    return chunks
            chunks += 1
        except Exception:
            # Nothing of the failed chunk was written; the next claim retries it, and the
            # fifth attempt fails the import instead of looping.
            log.exception("office import %s: chunk failed", import_id)
            await release(import_id, worker)
    return chunks

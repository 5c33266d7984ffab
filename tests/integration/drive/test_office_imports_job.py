"""The import job's lease (docs/drive.md §6.1): two workers racing for one claim, a lapsed
lease taken over mid-read and mid-apply with the same result, five failed attempts → failed;
audit made to fail → neither the change nor its audit line; the loop of each app worker
runs a pending import and stops promptly."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from portal.domain import audit
from portal.ops.jobs import job_loop
from portal.staff import office_import_apply, office_import_job, office_import_parse, office_imports
from portal.tables.accounts import AuditEntry
from portal.tables.office_lists import OfficeImport, OfficeImportRow, OfficeUploadPart
from tests.integration.drive import import_fixtures as imp

pytestmark = pytest.mark.usefixtures("db")
job = office_import_job


def file_of(seed: int = 41, count: int = 7) -> bytes:
    rows = [imp.line(p) for p in imp.people(count, seed=seed)]
    rows[3][3] = "X"  # one row with an error, so the result has more than one kind
    return imp.csv_of(rows)


async def staged(public_id: str) -> list[tuple]:
    rows = (
        await OfficeImportRow.select(OfficeImportRow.n, OfficeImportRow.nik, OfficeImportRow.change)
        .where(OfficeImportRow.office_import == await imp.import_id(public_id))
        .order_by(OfficeImportRow.n)
    )
    return [(r["n"], r["nik"], r["change"]) for r in rows]


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of two rows read and three applied, so a 7-row file takes several."""
    monkeypatch.setattr(office_import_parse, "CHUNK_ROWS", 2)
    monkeypatch.setattr(office_import_apply, "CHUNK_ROWS", 3)


async def test_two_workers_racing_for_one_claim_one_wins():
    access = await imp.officer_scope()
    await imp.upload(access, file_of())
    moment = job.now()
    won = await asyncio.gather(job.claim("a", moment), job.claim("b", moment))
    assert [w is not None for w in won].count(True) == 1
    winner = "a" if won[0] else "b"
    row = await OfficeImport.select(OfficeImport.worker, OfficeImport.attempts).first()
    assert row == {"worker": winner, "attempts": 1}
    assert await job.claim("c", moment) is None  # the lease is fresh
    assert not await job.step(won[0] or won[1], "c")  # and a step without it does nothing


async def test_a_lapsed_lease_is_resumed_by_another_worker_with_the_same_result(small_chunks):
    access = await imp.officer_scope()
    data = file_of()
    reference = await imp.upload(access, data)
    assert await job.run_pending("one") == 5  # 4 chunks of 2 rows, then the finish
    expected = (await office_imports.import_view(access, reference)).counts
    expected_rows = await staged(reference)
    view = await office_imports.import_view(access, reference)
    await office_imports.cancel(access, reference, view.version)

    public_id = await imp.upload(access, data)
    import_id = await job.claim("a", job.now())
    assert import_id is not None and await job.step(import_id, "a")  # one chunk, then "dies"
    assert (await office_imports.import_view(access, public_id)).read_rows == 2
    assert await job.claim("b", job.now()) is None
    later = job.now() + timedelta(seconds=job.LEASE_SECONDS + 1)
    assert await job.claim("b", later) == import_id
    assert not await job.step(import_id, "a")  # the old worker lost it: writes nothing
    while await job.step(import_id, "b"):
        pass
    view = await office_imports.import_view(access, public_id)
    assert view.state == "parsed" and view.counts == expected and view.read_rows == 7
    assert await staged(public_id) == expected_rows

    await office_imports.confirm(access, public_id, view.version)
    assert await job.claim("a", job.now()) == import_id
    assert await job.step(import_id, "a")  # 3 of 6 good rows applied
    assert await job.claim("b", later + timedelta(seconds=job.LEASE_SECONDS + 1)) == import_id
    while await job.step(import_id, "b"):
        pass
    done = await office_imports.import_view(access, public_id)
    assert done.state == "applied" and done.applied_rows == 7
    register = await imp.register()
    assert len(register) == 6 and {r["last_import"] for r in register.values()} == {import_id}


async def test_five_failed_attempts_fail_the_import(monkeypatch):
    access = await imp.officer_scope()
    public_id = await imp.upload(access, file_of())
    original = audit.record

    async def parsed_refused(actor, action, **kwargs):
        if action == "office_import.parsed":
            raise RuntimeError("audit log unavailable")
        await original(actor, action, **kwargs)

    monkeypatch.setattr(audit, "record", parsed_refused)
    await job.run_pending("w")
    view = await office_imports.import_view(access, public_id)
    assert view.state == "failed" and view.problem == job.REPEATED_FAILURE
    row = await OfficeImport.select(OfficeImport.attempts).first()
    assert row["attempts"] == job.MAX_ATTEMPTS + 1
    actions = [
        e["action"] for e in await AuditEntry.select(AuditEntry.action).order_by(AuditEntry.id)
    ]
    assert actions == ["office_import.upload", "office_import.failed"]
    assert not await OfficeUploadPart.exists() and not await OfficeImportRow.exists()


async def test_audit_made_to_fail_leaves_neither_change_nor_line(monkeypatch):
    access = await imp.officer_scope()
    data = file_of()

    async def broken(*args, **kwargs):
        raise RuntimeError("audit log unavailable")

    with monkeypatch.context() as patched:
        patched.setattr(audit, "record", broken)
        with pytest.raises(RuntimeError):
            await imp.upload(access, data)
    assert not await OfficeImport.exists() and not await OfficeUploadPart.exists()
    public_id = await imp.upload(access, data)
    await imp.run()
    view = await office_imports.import_view(access, public_id)
    lines = await AuditEntry.count()
    with monkeypatch.context() as patched:
        patched.setattr(audit, "record", broken)
        with pytest.raises(RuntimeError):
            await office_imports.confirm(access, public_id, view.version)
        with pytest.raises(RuntimeError):
            await office_imports.cancel(access, public_id, view.version)
        with pytest.raises(RuntimeError):
            await office_imports.errors_csv(access, public_id)
    still = await office_imports.import_view(access, public_id)
    assert still.state == "parsed" and still.version == view.version
    assert await OfficeUploadPart.exists() and await AuditEntry.count() == lines


async def test_the_loop_runs_pending_imports_and_stops_promptly():
    access = await imp.officer_scope()
    stop = asyncio.Event()
    loop = asyncio.create_task(job_loop(stop, "loop", idle=0.05))
    public_id = await imp.upload(access, file_of())
    for _ in range(200):
        if (await office_imports.import_view(access, public_id)).state == "parsed":
            break
        await asyncio.sleep(0.05)
    assert (await office_imports.import_view(access, public_id)).state == "parsed"
    stop.set()
    await asyncio.wait_for(loop, timeout=2)

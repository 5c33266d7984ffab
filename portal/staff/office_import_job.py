"""The office import job (docs/drive.md §3, §6.1): any app worker advances a runnable
import (uploaded, parsing, applying) a chunk at a time under a lease.

A worker claims an import with one conditional UPDATE (``claim``); every chunk is one write
transaction that first renews the heartbeat, so a worker that lost the lease writes
nothing, and one that died leaves its import to be claimed again 30 s later and continued
from the durable cursor (``read_rows`` / ``applied_rows``). After five attempts the import
is ``failed``. The chunks themselves are ``office_import_parse`` (read, check, stage, diff)
and ``office_import_apply`` (the upsert into the register); raw SQL lives in those three
modules only.
"""

from __future__ import annotations

from datetime import datetime

LEASE_SECONDS = 30
MAX_ATTEMPTS = 5
SYSTEM_NAME = "portal jobs"


async def claim(worker: str, now: datetime) -> int | None:
    """The id of a runnable import whose lease is free, now leased to ``worker``; None
    when there is nothing to do or another worker won the race."""
    raise NotImplementedError


async def step(import_id: int, worker: str) -> bool:
    """Advance the import one chunk. True while there is more to do and ``worker`` still
    holds the lease; False when it is done (parsed, applied, failed) or the lease is lost."""
    raise NotImplementedError


async def run_pending(worker: str) -> int:
    """Run every runnable import to its next resting state (tests, ``portal jobs --once``);
    the number of chunks run."""
    raise NotImplementedError

"""Background jobs in the app's own processes (docs/drive.md §6.1 item 2, §13.3): every
``portal serve`` worker runs ``job_loop`` from its lifespan unless ``PORTAL_JOBS=off``, in
which case ``portal jobs`` runs it as a process of its own (``--once`` for cron).

The loop idles cheaply: one indexed query (``office_import.state``) every two seconds, and
it ends promptly on shutdown, between chunks; an import a stopped worker held is claimed
by another once its lease lapses. The only job today is the office import.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid

from portal.staff import office_import_job

log = logging.getLogger("portal.jobs")
IDLE_SECONDS = 2.0
ERROR_SECONDS = 10.0  # the database is away: do not fill the log


def worker_name() -> str:
    """Who holds a lease: host, process and a random part (a restarted process is another)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


async def job_loop(stop: asyncio.Event, worker: str, *, idle: float = IDLE_SECONDS) -> None:
    """Run pending jobs until ``stop`` is set."""
    while not stop.is_set():
        pause = idle
        try:
            ran = await office_import_job.run_pending(worker, stop=stop)
        except Exception as exc:  # an unreachable database, mostly: keep the worker alive
            log.warning("jobs: %s: %s", type(exc).__name__, exc)
            ran, pause = 0, ERROR_SECONDS
        if ran:
            continue
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=pause)


@contextlib.asynccontextmanager
async def running(enabled: bool):  # -> AsyncIterator[None]
    """The loop as a task for the app's lifespan; stopped (and awaited) on the way out."""
    if not enabled:
        yield
        return
    stop = asyncio.Event()
    task = asyncio.create_task(job_loop(stop, worker_name()), name="portal-jobs")
    try:
        yield
    finally:
        stop.set()
        try:
            await asyncio.wait_for(task, timeout=10)
        except (TimeoutError, asyncio.CancelledError):
            task.cancel()

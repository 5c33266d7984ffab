"""Password hashing: argon2id at OWASP parameters (m=19 MiB, t=2, p=1), off the event loop.

Hashing takes tens of milliseconds of CPU; running it in a worker thread keeps every other
request on this process flowing meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
from concurrent.futures import ThreadPoolExecutor

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1, type=Type.ID)

# How much nicer than its process the hashing thread runs. On Linux niceness is per
# thread: when the cores are all busy, the scheduler gives them to the event loops serving
# pages (and to PostgreSQL) before the sign-ins' hashing, which can wait a little longer.
HASHING_NICENESS = 10


def _lower_priority() -> None:
    with contextlib.suppress(AttributeError, OSError):  # not Linux: same priority
        thread = threading.get_native_id()
        current = os.getpriority(os.PRIO_PROCESS, thread)
        os.setpriority(os.PRIO_PROCESS, thread, min(19, current + HASHING_NICENESS))


# One hashing thread per worker process. Hashing releases the GIL, so twenty simultaneous
# sign-ins in twenty threads would take every core and starve the event loop (measured with
# bench/logins.py on 2 cores: public p99 556 ms). Queued, sign-ins wait a little longer and
# every other page stays fast.
_HASHING = ThreadPoolExecutor(
    max_workers=1, thread_name_prefix="argon2", initializer=_lower_priority
)

# Verified against when the account does not exist, so an unknown username costs the
# same time as a wrong password.
_DUMMY_HASH = HASHER.hash("portal-dummy-password-for-timing")


def hash_password_sync(password: str) -> str:
    return HASHER.hash(password)


def verify_password_sync(stored_hash: str | None, password: str) -> bool:
    try:
        return HASHER.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


async def hash_password(password: str) -> str:
    return await asyncio.get_running_loop().run_in_executor(_HASHING, hash_password_sync, password)


async def verify_password(stored_hash: str | None, password: str) -> bool:
    return await asyncio.get_running_loop().run_in_executor(
        _HASHING, verify_password_sync, stored_hash, password
    )


def needs_rehash(stored_hash: str) -> bool:
    return HASHER.check_needs_rehash(stored_hash)

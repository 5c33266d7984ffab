"""Password hashing: argon2id at OWASP parameters (m=19 MiB, t=2, p=1), off the event loop.

Hashing takes tens of milliseconds of CPU; running it in a worker thread keeps every other
request on this process flowing meanwhile.
"""

from __future__ import annotations

import anyio
from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1, type=Type.ID)

# At most one hash at a time per worker process. Hashing releases the GIL, so twenty
# simultaneous sign-ins in twenty threads would take every core and starve the event loop
# (measured with bench/logins.py on 2 cores: public p99 556 ms). Queued, sign-ins wait a
# little longer and every other page stays fast.
_LIMITER = anyio.CapacityLimiter(1)

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
    return await anyio.to_thread.run_sync(hash_password_sync, password, limiter=_LIMITER)


async def verify_password(stored_hash: str | None, password: str) -> bool:
    return await anyio.to_thread.run_sync(
        verify_password_sync, stored_hash, password, limiter=_LIMITER
    )


def needs_rehash(stored_hash: str) -> bool:
    return HASHER.check_needs_rehash(stored_hash)

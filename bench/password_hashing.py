"""Password hashing: cost per hash and what it does to the event loop.

Compares the portal's argon2id (OWASP: m=19 MiB, t=2, p=1, run in a worker thread) with
Piccolo's BaseUser PBKDF2-SHA256 (600,000 iterations). The event-loop figure is the worst
delay a 5 ms ticker sees while 8 sign-ins are verified: inline (blocking the loop, as a
synchronous call from an async handler would) versus off the loop (portal.auth.passwords).

Run: .venv/bin/python bench/password_hashing.py
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time

os.environ.setdefault("PICCOLO_CONF", "portal.piccolo_conf")

from piccolo.apps.user.tables import BaseUser

from portal.auth import passwords

PASSWORD = "kuda-laut-berenang-pelan-77"  # noqa: S105 (a sample, not a secret)
ROUNDS = 10
CONCURRENT = 8


def timed(fn, rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


async def loop_lag(work) -> tuple[float, float]:
    """(worst ticker delay in ms, total time in ms) while `work` runs."""
    lags: list[float] = []
    done = asyncio.Event()

    async def ticker() -> None:
        while not done.is_set():
            start = time.perf_counter()
            await asyncio.sleep(0.005)
            lags.append((time.perf_counter() - start) * 1000 - 5)

    task = asyncio.create_task(ticker())
    await asyncio.sleep(0.02)
    start = time.perf_counter()
    await work()
    total = (time.perf_counter() - start) * 1000
    done.set()
    await task
    return max(lags), total


async def main() -> None:
    argon_hash = passwords.hash_password_sync(PASSWORD)
    pbkdf2_hash = BaseUser.hash_password(PASSWORD)

    rows = [
        ("argon2id hash", timed(lambda: passwords.hash_password_sync(PASSWORD), ROUNDS)),
        (
            "argon2id verify",
            timed(lambda: passwords.verify_password_sync(argon_hash, PASSWORD), ROUNDS),
        ),
        (
            "argon2id unknown user (dummy)",
            timed(lambda: passwords.verify_password_sync(None, PASSWORD), ROUNDS),
        ),
        ("PBKDF2-SHA256 600k hash", timed(lambda: BaseUser.hash_password(PASSWORD), ROUNDS)),
        (
            "PBKDF2-SHA256 600k verify",
            timed(lambda: BaseUser.hash_password(PASSWORD, *_pbkdf2_parts(pbkdf2_hash)), ROUNDS),
        ),
    ]
    print(f"Password hashing, {ROUNDS} rounds each, {os.cpu_count()} CPU cores")
    print(f"{'operation':<32}{'median ms':>10}{'max ms':>10}")
    for name, values in rows:
        print(f"{name:<32}{statistics.median(values):>10.1f}{max(values):>10.1f}")

    await passwords.verify_password(argon_hash, PASSWORD)  # start the worker thread pool
    print("\nEvent loop while sign-ins are verified (a 5 ms ticker measures the loop)")
    print(f"{'mode':<40}{'sign-ins':>9}{'worst loop delay ms':>21}{'total ms':>10}")
    for count in (1, CONCURRENT):

        async def inline_argon(n: int = count) -> None:
            for _ in range(n):
                passwords.verify_password_sync(argon_hash, PASSWORD)

        async def threaded_argon(n: int = count) -> None:
            await asyncio.gather(
                *[passwords.verify_password(argon_hash, PASSWORD) for _ in range(n)]
            )

        async def inline_pbkdf2(n: int = count) -> None:
            for _ in range(n):
                BaseUser.hash_password(PASSWORD, *_pbkdf2_parts(pbkdf2_hash))

        for name, work in (
            ("argon2id inline (blocks the loop)", inline_argon),
            ("argon2id in worker threads (portal)", threaded_argon),
            ("PBKDF2 600k inline (Piccolo BaseUser)", inline_pbkdf2),
        ):
            # Median of 5 runs: the machine is shared, single runs are noisy.
            runs = [await loop_lag(work) for _ in range(5)]
            worst = statistics.median(r[0] for r in runs)
            total = statistics.median(r[1] for r in runs)
            print(f"{name:<40}{count:>9}{worst:>21.1f}{total:>10.0f}")
    print(
        "\nWith more sign-ins than cores the hashes and the loop share the CPU: the delay "
        "left in worker threads is CPU time, not the loop being blocked."
    )


def _pbkdf2_parts(stored: str) -> tuple[str, int]:
    _, iterations, salt, _ = stored.split("$")
    return salt, int(iterations)


if __name__ == "__main__":
    asyncio.run(main())

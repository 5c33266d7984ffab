"""Schema changes that a running site does not notice, for migrations to call.

A plain ``CREATE INDEX`` takes a lock that blocks writes for the whole build, and while it
waits for that lock every later write queues behind it. On PostgreSQL indexes are therefore
built ``CONCURRENTLY``, which cannot run inside a transaction: a migration that uses these
helpers sets ``wrap_in_transaction=False`` and holds nothing else (docs/operations.md).
"""

from __future__ import annotations

import re

from piccolo.engine import engine_finder
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine


def _engine() -> Engine:
    engine = engine_finder()
    if engine is None:
        raise RuntimeError("no Piccolo engine configured (PICCOLO_CONF)")
    return engine


def _on_postgres() -> bool:
    return isinstance(_engine(), PostgresEngine)


async def create_index(name: str, target: str) -> None:
    """``CREATE INDEX name ON target`` without blocking writers; safe to run again.

    An interrupted concurrent build (a lock timeout, a restart) leaves an invalid index of
    that name behind, which ``IF NOT EXISTS`` would then keep for good: drop it first.
    """
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise ValueError(f"not an index name: {name!r}")
    engine = _engine()
    if not _on_postgres():
        await engine.run_ddl(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")
        return
    invalid = await engine.run_ddl(
        "SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "  # noqa: S608 (name checked)
        f"WHERE c.relname = '{name}' AND NOT i.indisvalid"
    )
    if invalid:
        await engine.run_ddl(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
    await engine.run_ddl(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {target}")


async def drop_index(name: str) -> None:
    concurrently = "CONCURRENTLY " if _on_postgres() else ""
    await _engine().run_ddl(f"DROP INDEX {concurrently}IF EXISTS {name}")

"""The one write transaction, the same on both engines, used by every service that writes.

SQLite's default DEFERRED transaction takes the write lock only at its first write, so two
transactions that both read then write can deadlock and one fails at once with "database is
locked". IMMEDIATE takes the lock up front and the second writer waits (engine timeout)
instead. PostgreSQL needs nothing special: conditional UPDATEs re-check their WHERE clause
after waiting for a row lock.

Transactions nest: a service that opens one inside another's joins the outer one, so a
service composed of others still commits (or rolls back) once, audit line included.
"""

from __future__ import annotations

import sqlite3

import asyncpg
from piccolo.engine.sqlite import SQLiteEngine, TransactionType

# What a unique index raises on either engine (two submits racing past a check).
UNIQUE_VIOLATIONS = (sqlite3.IntegrityError, asyncpg.exceptions.UniqueViolationError)


def write_transaction():  # -> SQLiteTransaction | PostgresTransaction
    from portal.piccolo_conf import DB

    if isinstance(DB, SQLiteEngine):
        return DB.transaction(transaction_type=TransactionType.immediate)
    return DB.transaction()


def is_postgres() -> bool:
    from portal.piccolo_conf import DB

    return not isinstance(DB, SQLiteEngine)

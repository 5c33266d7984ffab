"""Write transactions that behave the same on both engines.

SQLite's default DEFERRED transaction takes the write lock only at its first write, so two
transactions that both read then write can deadlock and one fails at once with "database is
locked". IMMEDIATE takes the lock up front and the second writer waits (engine timeout)
instead. PostgreSQL needs nothing special: conditional UPDATEs re-check their WHERE clause
after waiting for a row lock.
"""

from __future__ import annotations

from piccolo.engine.sqlite import SQLiteEngine, TransactionType


def write_transaction():
    from portal.piccolo_conf import DB

    if isinstance(DB, SQLiteEngine):
        return DB.transaction(transaction_type=TransactionType.immediate)
    return DB.transaction()


def is_postgres() -> bool:
    from portal.piccolo_conf import DB

    return not isinstance(DB, SQLiteEngine)

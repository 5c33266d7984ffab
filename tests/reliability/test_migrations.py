"""Upgrades keep data, and PostgreSQL migrations never queue the site behind a lock.

A database is built at the initial migration with data in it (raw SQL of that schema),
then migrated to the head: every later migration runs over real rows, on both engines.
"""

from __future__ import annotations

import sqlite3
import tempfile
import threading
import time
from pathlib import Path

import pytest

from tests.pgcluster import PgCluster
from tests.portalserver import portal, portal_env

INITIAL = "2026-11-25T13:00:22:538961"
# The last migration of the previous release: the database a running site has when this
# release (token fingerprints, the married column) lands.
PREVIOUS = "2026-11-25T15:00:00:000000"

SEED = [
    "INSERT INTO office (slug, name, short_name, region_code, nik_prefix) "
    "VALUES ('kota', 'Dispendukcapil Kota Mojokerto', 'Kota', '35.76', '3576')",
    "INSERT INTO kecamatan (code, office, name) VALUES ('35.76.01', 1, 'Prajurit Kulon')",
    "INSERT INTO village (code, kecamatan, name) VALUES ('35.76.01.1001', 1, 'Surodinawan')",
    "INSERT INTO portal_user (username, full_name, role, office) "
    "VALUES ('rt03', 'Ketua RT 03', 'coordinator', 1)",
    "INSERT INTO resident_list (public_id, coordinator, office, village, state, submit_token) "
    "VALUES ('0b0e7a52-7a3c-4cf5-a1b4-3f1f1c8e0a01', 1, 1, 1, 'submitted', 'tok-1')",
    "INSERT INTO resident (resident_list, office, kecamatan, village, full_name, name_key, "
    "nik, birth_date, status) VALUES (1, 1, 1, 1, 'Siti Aminah', 'siti aminah', "
    "'3576014101060001', '2006-01-01', 'diterima')",
    "INSERT INTO resident (resident_list, office, kecamatan, village, full_name, name_key, "
    "status) VALUES (1, 1, 1, 1, 'Budi Santoso', 'budi santoso', 'draft')",
    "INSERT INTO audit_entry (actor, actor_name, action, object_type, object_id) "
    "VALUES (1, 'rt03', 'list.submit', 'resident_list', '1')",
]
CHECKS = {
    "SELECT count(*) FROM resident": "2",
    "SELECT full_name FROM resident WHERE nik = '3576014101060001'": "Siti Aminah",
    "SELECT state FROM resident_list WHERE submit_token = 'tok-1'": "submitted",
    "SELECT count(*) FROM audit_entry": "1",
    # Columns added after the initial migration exist with their defaults on old rows.
    "SELECT count(*) FROM resident WHERE warn_nik = false AND warn_duplicate = false "
    "AND warn_under_age = false": "2",
}


PREVIOUS_SEED = [
    *SEED,
    "INSERT INTO form_token (token, purpose, owner, object_id, created_at) "
    "VALUES ('tok-old', 'list.create', 1, 7, '2026-11-25 10:00:00+00')",
]
PREVIOUS_CHECKS = {
    **CHECKS,
    # A token stored before fingerprints existed has none, so a resend of it still acts
    # as it did (see portal/residents/form_tokens.py).
    "SELECT object_id || ':' || fingerprint || ':' FROM form_token WHERE token = 'tok-old'": "7::",
    "SELECT count(*) FROM resident WHERE married = false": "2",
}
# From where, what to store there, what must hold after, and a column that must not exist
# before (so the test really starts at that schema).
UPGRADES = {
    "initial schema": (INITIAL, SEED, CHECKS, ("resident", "warn_nik")),
    "previous release": (PREVIOUS, PREVIOUS_SEED, PREVIOUS_CHECKS, ("resident", "married")),
}


@pytest.mark.parametrize("start", UPGRADES)
def test_upgrade_keeps_data_on_sqlite(start: str):
    since, seed, checks, (table, new_column) = UPGRADES[start]
    path = Path(tempfile.mkdtemp(prefix="portal-upgrade-")) / "db.sqlite3"
    env = portal_env(f"sqlite:///{path}", PORTAL_ENV="development")
    portal(env, "migrate", "--to", since)
    with sqlite3.connect(path) as conn:
        assert new_column not in _sqlite_columns(conn, table)
        for sql in seed:
            conn.execute(sql)
    portal(env, "migrate")
    with sqlite3.connect(path) as conn:
        for sql, expected in checks.items():
            value = conn.execute(sql.replace("= false", "= 0")).fetchone()[0]
            assert str(value) == expected, sql


@pytest.mark.parametrize("start", UPGRADES)
def test_upgrade_keeps_data_on_postgres(cluster: PgCluster, start: str):
    since, seed, checks, (table, new_column) = UPGRADES[start]
    env = portal_env(cluster.create_database("portal"))
    portal(env, "migrate", "--to", since)
    assert new_column not in _pg_columns(cluster, table)
    for sql in seed:
        cluster.psql(sql, "portal")
    portal(env, "migrate")
    for sql, expected in checks.items():
        assert cluster.psql(sql, "portal") == expected, sql
    assert portal(env, "migrate").returncode == 0  # nothing left: a no-op


def test_a_migration_blocked_by_a_lock_gives_up_and_leaves_nothing_half_done(
    cluster: PgCluster,
):
    env = portal_env(cluster.create_database("portal"))
    portal(env, "migrate", "--to", INITIAL)
    # A long report holds a read lock on `resident`; ALTER TABLE needs an exclusive one.
    reader = threading.Thread(
        target=cluster.psql,
        args=("BEGIN; SELECT count(*) FROM resident; SELECT pg_sleep(6); COMMIT;", "portal"),
        daemon=True,
    )
    reader.start()
    time.sleep(0.5)
    started = time.monotonic()
    done = portal(env, "migrate", "--lock-timeout", "1s", check=False)
    took = time.monotonic() - started
    assert done.returncode == 1, done.stdout + done.stderr
    assert "lock" in (done.stdout + done.stderr).lower()
    assert took < 5, f"waited {took:.1f} s for the lock"
    assert "warn_nik" not in _pg_columns(cluster, "resident")  # rolled back whole
    reader.join(timeout=10)
    portal(env, "migrate")
    assert "warn_nik" in _pg_columns(cluster, "resident")


def _sqlite_columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}


def _pg_columns(cluster: PgCluster, table: str) -> set[str]:
    listed = cluster.psql(
        "SELECT string_agg(column_name, ',') FROM information_schema.columns "
        f"WHERE table_name = '{table}'",
        "portal",
    )
    return set(listed.split(","))


# The migration before the one that indexes `resident` for the staff queue.
BEFORE_INDEXES = "2026-11-25T13:14:12:538104"
RESIDENT_ROW = (
    "INSERT INTO resident (resident_list, office, kecamatan, village, full_name, name_key, "
    "status) VALUES (1, 1, 1, 1, 'Budi Santoso', 'budi santoso', 'draft')"
)


def test_indexes_on_a_live_table_are_built_without_queueing_writers(cluster: PgCluster):
    """A plain CREATE INDEX waits for the app's open write, and every later write queues
    behind it: the site stalls. Built concurrently, later writes go on meanwhile."""
    env = portal_env(cluster.create_database("portal"))
    portal(env, "migrate", "--to", BEFORE_INDEXES)
    for sql in [*SEED[:5], RESIDENT_ROW]:
        cluster.psql(sql, "portal")
    # A request in the middle of writing a resident.
    writer = threading.Thread(
        target=cluster.psql,
        args=("BEGIN; UPDATE resident SET note = 'x' WHERE id = 1; SELECT pg_sleep(3); COMMIT;",),
        kwargs={"database": "portal"},
        daemon=True,
    )
    writer.start()
    _wait_for(cluster, "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'BEGIN; UPDATE%'")
    migration = threading.Thread(target=portal, args=(env, "migrate"), daemon=True)
    migration.start()
    _wait_for(
        cluster,
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE query ILIKE 'CREATE INDEX%' AND wait_event_type = 'Lock'",
    )
    # Another request writes now: it must not wait behind the index build.
    cluster.psql(f"SET lock_timeout = '1s'; {RESIDENT_ROW}", "portal")
    writer.join(timeout=10)
    migration.join(timeout=60)
    assert not migration.is_alive()
    invalid = cluster.psql("SELECT count(*) FROM pg_index WHERE NOT indisvalid", "portal")
    assert invalid == "0"
    assert cluster.psql("SELECT count(*) FROM resident", "portal") == "2"
    assert "resident_office_status" in cluster.psql(
        "SELECT string_agg(indexname, ',') FROM pg_indexes WHERE tablename = 'resident'",
        "portal",
    )


def _wait_for(cluster: PgCluster, count_sql: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cluster.psql(count_sql, "portal") not in ("0", ""):
            return
        time.sleep(0.05)
    raise TimeoutError(count_sql)

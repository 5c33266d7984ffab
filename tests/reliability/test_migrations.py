"""Upgrades keep data, and PostgreSQL migrations never queue the site behind a lock.

A database is built at the initial migration with data in it (raw SQL of that schema),
then migrated to the head: every later migration runs over real rows, on both engines.
"""

from __future__ import annotations

import contextlib
import sqlite3
import tempfile
import threading
import time
from pathlib import Path

import pytest

from tests.pgcluster import ClusterUnavailable, PgCluster
from tests.portalserver import portal, portal_env, python_module

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
    # as it did (see portal/domain/form_tokens.py).
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
    def report() -> None:
        with contextlib.suppress(ClusterUnavailable):  # cancelled once the point is made
            cluster.psql(
                "BEGIN; SELECT count(*) FROM resident; SELECT pg_sleep(6); COMMIT;", "portal"
            )

    reader = threading.Thread(target=report, daemon=True)
    reader.start()
    _wait_for(cluster, "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep'")
    started = time.monotonic()
    done = portal(env, "migrate", "--lock-timeout", "1s", check=False)
    took = time.monotonic() - started
    assert done.returncode == 1, done.stdout + done.stderr
    assert "lock" in (done.stdout + done.stderr).lower()
    assert took < 5, f"waited {took:.1f} s for the lock"
    assert "warn_nik" not in _pg_columns(cluster, "resident")  # rolled back whole
    # Proven: no need to wait out the rest of the report.
    cluster.psql("SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE wait_event = 'PgSleep'")
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


# "RT/RW: one canonical form" and the migration before it.
RTRW = "2026-11-26T09:00:00:000000"
BEFORE_RTRW = "2026-11-25T18:53:35:209782"
# Stored spelling → what the migration leaves. PostgreSQL's varchar(3) refuses longer text,
# so the long spellings only exist (and are tried) on SQLite.
RTRW_CASES = {
    "3": "03",
    "003": "03",
    "03": "03",
    "12": "12",
    "012": "12",
    "rt3": "03",
    "RW2": "02",
    "999": "999",
    # Not RT/RW numbers: left alone.
    "0": "0",
    "000": "000",
    "ab": "ab",
    "12a": "12a",
    "": "",
    None: None,
}
RTRW_SQLITE_CASES = {
    **RTRW_CASES,
    "RT 3": "03",
    "rt.03": "03",
    "RT 003": "03",
    "0012": "12",
    " 7 ": "07",
    "1234": "1234",
    "RT -1": "RT -1",
}
RTRW_COLUMNS = {
    "resident": ("rt", "rw"),
    "resident_list": ("rt", "rw"),
    "portal_user": ("scope_rt", "scope_rw"),
}


def _rtrw_seed(cases: dict[str | None, str | None]) -> list[str]:
    """One user, list and resident per spelling: RT holds it, RW the next one (so the two
    columns of a row are rewritten independently)."""
    spellings = list(cases)

    def sql(value: str | None) -> str:
        return "NULL" if value is None else "'" + value.replace("'", "''") + "'"

    statements = list(SEED[:3])
    for n, rt in enumerate(spellings, start=1):
        rw = spellings[n % len(spellings)]
        statements += [
            "INSERT INTO portal_user (username, full_name, role, office, scope_rt, scope_rw) "
            f"VALUES ('rt{n}', 'Ketua RT', 'coordinator', 1, {sql(rt)}, {sql(rw)})",
            "INSERT INTO resident_list (public_id, coordinator, office, village, state, rt, rw) "
            f"VALUES ('0b0e7a52-7a3c-4cf5-a1b4-{n:012d}', {n}, 1, 1, 'draft', {sql(rt)}, "
            f"{sql(rw)})",
            "INSERT INTO resident (resident_list, office, kecamatan, village, full_name, "
            f"name_key, status, rt, rw) VALUES ({n}, 1, 1, 1, 'Warga {n}', 'warga {n}', "
            f"'draft', {sql(rt)}, {sql(rw)})",
        ]
    return statements


def _rtrw_expected(cases: dict[str | None, str | None]) -> dict[str, list[tuple]]:
    after = list(cases.values())
    rows = [(a, after[n % len(after)]) for n, a in enumerate(after, start=1)]
    return dict.fromkeys(RTRW_COLUMNS, rows)


RTRW_SELECT = {
    table: f"SELECT {rt}, {rw} FROM {table} ORDER BY id" for table, (rt, rw) in RTRW_COLUMNS.items()
}


def _forwards_backwards_forwards(env: dict[str, str], stored, expected) -> None:
    """Run "RT/RW: one canonical form", undo it with Piccolo's own backwards command (as an
    operator would), run it again; what is stored is ``expected`` after each step."""
    portal(env, "migrate", "--to", RTRW)
    assert stored() == expected
    # Backwards changes nothing, and running the migration again finds nothing to do.
    backwards = ("migrations", "backwards", "portal", f"--migration_id={RTRW}", "--auto_agree")
    python_module(env, "piccolo.main", *backwards)
    assert stored() == expected
    portal(env, "migrate")
    assert stored() == expected


def test_rt_rw_are_rewritten_into_one_form_on_sqlite():
    path = Path(tempfile.mkdtemp(prefix="portal-rtrw-")) / "db.sqlite3"
    env = portal_env(f"sqlite:///{path}", PORTAL_ENV="development")
    portal(env, "migrate", "--to", BEFORE_RTRW)
    with sqlite3.connect(path) as conn:
        for sql in _rtrw_seed(RTRW_SQLITE_CASES):
            conn.execute(sql)

    def stored() -> dict[str, list[tuple]]:
        with sqlite3.connect(path) as conn:
            return {t: conn.execute(sql).fetchall() for t, sql in RTRW_SELECT.items()}

    _forwards_backwards_forwards(env, stored, _rtrw_expected(RTRW_SQLITE_CASES))


def test_rt_rw_are_rewritten_into_one_form_on_postgres(cluster: PgCluster):
    env = portal_env(cluster.create_database("portal"))
    portal(env, "migrate", "--to", BEFORE_RTRW)
    for sql in _rtrw_seed(RTRW_CASES):
        cluster.psql(sql, "portal")

    def stored() -> dict[str, list[tuple]]:
        # psql -At prints NULL and '' alike: mark NULL.
        result = {}
        for table, (rt, rw) in RTRW_COLUMNS.items():
            lines = cluster.psql(
                f"SELECT coalesce({rt}, '<null>') || '|' || coalesce({rw}, '<null>') "
                f"FROM {table} ORDER BY id",
                "portal",
            ).split("\n")
            result[table] = [
                tuple(None if v == "<null>" else v for v in line.split("|")) for line in lines
            ]
        return result

    _forwards_backwards_forwards(env, stored, _rtrw_expected(RTRW_CASES))

"""Backup and restore, as the README documents it: `pg_dump -Fc` of the live database,
`pg_restore` into a fresh database, and the portal serves from the restored copy with
every row and the migration history intact."""

from __future__ import annotations

from tests.portalserver import PortalServer, portal_env

TABLES = ["office", "village", "location", "portal_user", "audit_entry", "migration"]


def counts(pg, database: str) -> dict[str, str]:
    return {t: pg.psql(f"SELECT count(*) FROM {t}", database) for t in TABLES}


def test_a_dump_restores_into_a_fresh_database_that_serves(dev_site):
    pg, env = dev_site
    pg.psql("INSERT INTO audit_entry (actor_name, action) VALUES ('uji', 'backup.test')", "portal")
    before = counts(pg, "portal")
    dump = pg.root / "portal.dump"
    # While the site is up: pg_dump takes a consistent snapshot without stopping writers.
    with PortalServer(env) as server:
        server.wait_for("/readyz", 200, timeout=20)
        pg._run(
            "pg_dump",
            "-h", "127.0.0.1", "-p", str(pg.port), "-U", "postgres",
            "--format=custom", "--no-owner", "--file", str(dump), "portal",
        )  # fmt: skip
    pg.psql('CREATE DATABASE "portal_restored"')
    pg._run(
        "pg_restore",
        "-h", "127.0.0.1", "-p", str(pg.port), "-U", "postgres",
        "--no-owner", "--exit-on-error", "--dbname", "portal_restored", str(dump),
    )  # fmt: skip
    assert counts(pg, "portal_restored") == before
    restored_env = portal_env(pg.url("portal_restored"), PORTAL_ENV="development")
    with PortalServer(restored_env) as server:
        server.wait_for("/readyz", 200, timeout=20)  # no pending migration after restore
        assert server.get("/").status_code == 200
        assert server.get("/lokasi").status_code == 200

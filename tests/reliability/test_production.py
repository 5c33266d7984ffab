"""Production refuses what would lose data or leak secrets: a default secret, SQLite, and a
PostgreSQL server that may lose acknowledged commits (fsync or synchronous_commit off)."""

from __future__ import annotations

import time

import pytest

from tests.pgcluster import PgCluster, require_initdb
from tests.portalserver import PortalServer, portal, portal_env


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"PORTAL_SECRET_KEY": ""}, "PORTAL_SECRET_KEY"),
        (
            {"PORTAL_SECRET_KEY": "dev-only-secret-change-me-dev-only-secret-change-me"},
            "PORTAL_SECRET_KEY",
        ),
        ({"PORTAL_DATABASE_URL": ""}, "PORTAL_DATABASE_URL"),
        ({"PORTAL_DATABASE_URL": "sqlite:///tmp/x.sqlite3"}, "PORTAL_DATABASE_URL"),
    ],
)
@pytest.mark.parametrize("command", ["serve", "migrate"])
def test_cli_refuses_unsafe_production_settings(overrides, named, command):
    env = portal_env("postgresql://postgres@127.0.0.1:1/none", **overrides)
    if not overrides.get("PORTAL_SECRET_KEY", "x"):
        env.pop("PORTAL_SECRET_KEY")
    done = portal(env, command, check=False)
    assert done.returncode == 1
    assert "Invalid settings" in done.stderr
    # The message names what to fix; the process never got as far as serving.
    assert "PORTAL_" in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert named.removeprefix("PORTAL_").lower() in done.stderr.lower() or (
        "production needs PORTAL_DATABASE_URL" in done.stderr
    )


@pytest.mark.parametrize("setting", ["fsync", "synchronous_commit"])
def test_production_refuses_a_server_that_may_lose_commits(setting):
    require_initdb()
    with PgCluster(**{setting: "off"}) as pg:
        env = portal_env(pg.create_database("portal"))
        portal(env, "migrate")
        done = portal(env, "serve", "--port", "1", check=False)
        assert done.returncode == 1
        assert f"{setting}=off" in done.stderr and "Refusing to serve" in done.stderr

        # Development accepts it (a laptop's throwaway database).
        dev = portal_env(env["PORTAL_DATABASE_URL"], PORTAL_ENV="development")
        with PortalServer(dev) as server:
            server.wait_for("/readyz", 200, timeout=10)


def test_a_server_that_comes_back_unsafe_is_not_used(migrated):
    pg, env = migrated
    pg.stop()
    with PortalServer(env) as server:
        assert server.get("/readyz").status_code == 503
        pg.start(fsync="off")
        server.wait_for("/readyz", 503, timeout=5)
        time.sleep(2)  # the watcher has checked it several times by now
        ready = server.get("/readyz")
        assert ready.status_code == 503 and "fsync=off" in ready.text
        assert server.get("/").status_code == 503
        assert any("fsync=off" in r["message"] for r in server.log_records())

        pg.stop()
        pg.start(fsync="on")
        server.wait_for("/readyz", 200, timeout=5)
        assert server.get("/").status_code == 200

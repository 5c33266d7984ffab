"""Reliability tests: real ``portal serve`` processes against throwaway PostgreSQL clusters
(tests/pgcluster.py), so a test may stop, crash or misconfigure its own server."""

from __future__ import annotations

import functools
import signal
import sys
from collections.abc import Iterator

import pytest

from tests.pgcluster import IN_CI, PgCluster, require_initdb
from tests.portalserver import portal, portal_env


@pytest.fixture
def cluster() -> Iterator[PgCluster]:
    require_initdb()
    with PgCluster() as pg:
        yield pg


@pytest.fixture
def migrated(cluster: PgCluster) -> tuple[PgCluster, dict[str, str]]:
    """A cluster with a migrated ``portal`` database and the env to serve it."""
    env = portal_env(cluster.create_database("portal"))
    portal(env, "migrate")
    return cluster, env


def load_dev_site(cluster: PgCluster) -> dict[str, str]:
    """A migrated ``portal`` database with the demo data on ``cluster``; the env (development
    settings: demo accounts allowed) to serve it. For module-scoped set-ups too."""
    env = portal_env(cluster.create_database("portal"), PORTAL_ENV="development")
    portal(env, "migrate")
    portal(env, "demo-data")
    return env


@pytest.fixture
def dev_site(cluster: PgCluster) -> tuple[PgCluster, dict[str, str]]:
    """Development settings (demo accounts allowed) on the throwaway cluster, demo data in."""
    return cluster, load_dev_site(cluster)


@functools.cache
def _known_routes() -> frozenset[str]:
    from portal.app import create_app

    return frozenset(route.path for route in create_app().routes)


def require_routes(*paths: str) -> None:
    """Tests of flows another area builds run once its routes exist; until then they skip
    loudly (and fail with CI=true, where every area is merged)."""
    known = _known_routes()
    missing = [p for p in paths if p not in known]
    if missing:
        message = f"routes not in this tree yet: {', '.join(missing)}"
        if IN_CI:
            pytest.fail(f"FAIL (CI=true): {message}", pytrace=False)
        sys.stderr.write(f"\n*** SKIPPING: {message} ***\n")
        pytest.skip(message)


def _interrupt_on_sigterm(signum, frame):
    # `timeout` or CI ending the run sends SIGTERM: turn it into an interrupt so fixtures
    # and context managers stop their servers and clusters instead of orphaning them.
    raise KeyboardInterrupt(f"signal {signum}")


signal.signal(signal.SIGTERM, _interrupt_on_sigterm)

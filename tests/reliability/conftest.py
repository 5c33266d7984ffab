"""Reliability tests: real ``portal serve`` processes against throwaway PostgreSQL clusters
(tests/pgcluster.py), so a test may stop, crash or misconfigure its own server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.pgcluster import PgCluster, require_initdb
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

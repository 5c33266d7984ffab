"""Prometheus metrics at /metrics through Litestar's own plugin.

Readable only by a direct peer in ``settings.metrics_allowed`` (loopback by default) and
never through a reverse proxy: behind nginx every request's peer is 127.0.0.1, so a request
carrying X-Forwarded-For is refused whatever its peer. With several worker processes set
PROMETHEUS_MULTIPROC_DIR (``portal serve --workers N`` does) so a scrape sums every worker.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from litestar.connection import ASGIConnection
from litestar.exceptions import NotFoundException
from litestar.handlers import BaseRouteHandler
from litestar.plugins.prometheus import PrometheusConfig, PrometheusController

from portal.settings import get_settings
from portal.web.guards import STANDALONE_OPT

METRICS_OPTS = {**STANDALONE_OPT, "restricted": "metrics"}


def metrics_peer_allowed(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    peer = connection.client.host if connection.client else ""
    proxied = any(
        key in connection.headers for key in ("x-forwarded-for", "forwarded", "x-real-ip")
    )
    if proxied or peer not in get_settings().metrics_allowed:
        # 404, not 403: nothing tells an outsider that the endpoint exists.
        raise NotFoundException()


class MetricsController(PrometheusController):
    path = "/metrics"
    guards = [metrics_peer_allowed]  # noqa: RUF012  (Litestar reads a class attribute)
    opt = METRICS_OPTS
    include_in_schema = False


def prometheus_config() -> PrometheusConfig:
    return PrometheusConfig(
        app_name="portal",
        prefix="portal",
        group_path=True,  # label by route template, not by raw path: bounded cardinality
        exclude=["^/metrics", "^/static/"],
        buckets=[0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    )


@contextlib.contextmanager
def multiprocess_dir(workers: int) -> Iterator[None]:
    """With several workers each process counts on its own; prometheus-client's multiprocess
    mode sums them through files in PROMETHEUS_MULTIPROC_DIR. An empty folder is made for
    the lifetime of ``portal serve`` unless the operator set one (then it is emptied, as
    prometheus-client requires at start)."""
    if workers <= 1:
        yield
        return
    configured = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    folder = Path(configured) if configured else Path(tempfile.mkdtemp(prefix="portal-metrics-"))
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.db"):
        stale.unlink()
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(folder)
    try:
        yield
    finally:
        if not configured:
            shutil.rmtree(folder, ignore_errors=True)

"""Operational routes: Prometheus metrics (restricted to loopback/trusted peers)."""

from portal.ops.metrics import MetricsController

OPS_ROUTES: list = [MetricsController]

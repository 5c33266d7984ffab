"""/metrics: Litestar's Prometheus plugin, readable only by allowed direct peers."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from portal.ops import metrics


@pytest.fixture
def allow_test_client(monkeypatch):
    # Litestar's test client connects from the address "testclient".
    monkeypatch.setattr(
        metrics, "get_settings", lambda: SimpleNamespace(metrics_allowed=["testclient"])
    )


async def test_metrics_are_hidden_from_other_addresses(client):
    response = await client.get("/metrics")
    assert response.status_code == 404
    assert "portal_requests_total" not in response.text


async def test_metrics_count_requests_by_route_template(client, allow_test_client):
    assert (await client.get("/")).status_code == 200
    assert (await client.get("/tidak-ada")).status_code == 404
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    body = response.text
    assert "portal_requests_total{" in body
    assert 'path="/"' in body and 'method="GET"' in body
    assert "portal_request_duration_seconds_bucket{" in body
    # Unrouted paths and static files do not become labels (bounded cardinality).
    assert "/tidak-ada" not in body and "/static/" not in body


async def test_metrics_through_a_proxy_are_refused_even_from_loopback(client, allow_test_client):
    for header in ("X-Forwarded-For", "Forwarded", "X-Real-IP"):
        response = await client.get("/metrics", headers={header: "203.0.113.9"})
        assert response.status_code == 404, header


def test_metrics_route_is_marked_public_but_restricted(app):
    route = next(r for r in app.routes if r.path == "/metrics")
    (handler,) = [h for h in route.route_handlers if "GET" in h.http_methods]
    assert handler.opt["public"] and handler.opt["no_db"] and handler.opt["restricted"]
    guards = [getattr(g, "func", g) for g in handler.resolve_guards()]
    assert metrics.metrics_peer_allowed in guards

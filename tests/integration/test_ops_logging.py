"""Request logging: one JSON line per request with a request id, no query string, no NIK."""

from __future__ import annotations

import json
import logging

import pytest

from portal.logging_setup import JsonFormatter, Redact, make_handler

NIK = "3516091507990001"


@pytest.fixture
def request_lines(caplog):
    caplog.set_level(logging.INFO, logger="portal.request")

    def lines() -> list[logging.LogRecord]:
        return [r for r in caplog.records if r.name == "portal.request"]

    return lines


async def test_each_request_is_logged_once_with_id_method_path_status_duration(
    client, request_lines
):
    response = await client.get(f"/?cari={NIK}")
    assert response.status_code == 200
    request_id = response.headers["x-request-id"]
    assert len(request_id) == 32
    (record,) = request_lines()
    assert record.request_id == request_id
    assert (record.method, record.path, record.status) == ("GET", "/", 200)
    assert record.duration_ms >= 0
    assert NIK not in record.getMessage() and "cari" not in record.path


async def test_a_sane_incoming_request_id_is_kept_and_a_hostile_one_replaced(client):
    kept = await client.get("/healthz", headers={"X-Request-ID": "proxy-0123456789"})
    assert kept.headers["x-request-id"] == "proxy-0123456789"
    for hostile in ("a\r\nSet-Cookie: x=1", "<script>", "x" * 200, "short"):
        replaced = await client.get("/healthz", headers={"X-Request-ID": hostile[:300]})
        assert replaced.headers["x-request-id"] != hostile
        assert len(replaced.headers["x-request-id"]) == 32


async def test_unrouted_requests_are_logged_too(client, request_lines):
    response = await client.get(f"/tidak-ada/{NIK}")
    assert response.status_code == 404
    (record,) = request_lines()
    assert record.status == 404
    assert NIK not in record.path and record.path.startswith("/tidak-ada/3516")


def _emit(record: logging.LogRecord) -> dict:
    handler = make_handler("json")
    for flt in handler.filters:
        flt.filter(record)
    return json.loads(handler.format(record))


def test_every_record_is_redacted_whatever_its_shape():
    try:
        raise ValueError(f"bad nik {NIK}")
    except ValueError as exc:
        exc_info = (type(exc), exc, exc.__traceback__)
    record = logging.LogRecord(
        "asyncpg.whatever", logging.ERROR, __file__, 1, "row %s failed", (NIK,), exc_info
    )
    record.path = f"/aktivasi/abcdefghijklmnop/{NIK}"
    line = _emit(record)
    text = json.dumps(line)
    assert NIK not in text
    assert line["message"] == "row 3516••••••••0001 failed"
    assert "ValueError: bad nik 3516••••••••0001" in line["error"]
    assert line["path"] == "/aktivasi/[token]/3516••••••••0001"
    assert line["level"] == "ERROR" and line["logger"] == "asyncpg.whatever"


def test_a_broken_format_string_still_logs():
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "%d items", ("many",), None)
    assert Redact().filter(record)
    assert "many" in JsonFormatter().format(record)


def test_configured_root_handler_carries_the_filter():
    from portal.logging_setup import configure_logging
    from portal.settings import get_settings

    configure_logging(get_settings())
    portal_handlers = [h for h in logging.getLogger().handlers if getattr(h, "_portal", False)]
    assert len(portal_handlers) == 1
    assert any(isinstance(f, Redact) for f in portal_handlers[0].filters)

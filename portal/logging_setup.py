"""Logging: JSON lines (or plain text for a developer's terminal), no personal data.

Every record passes through `RedactNiks` on the handler, so a NIK that reaches a log
message, its arguments, an exception text or a field such as the request path is masked
whatever logger it came from (ours, Litestar's, uvicorn's, asyncpg's). Records made while a
request is handled carry its request id (see portal.ops.request_log).
"""

from __future__ import annotations

import contextvars
import json
import logging
from datetime import UTC, datetime

from portal.rules.nik import redact_niks
from portal.settings import Settings

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")

# Attributes a record may carry (``extra=``) that belong in the JSON line.
FIELDS = ("request_id", "method", "path", "status", "duration_ms", "worker")


class RedactNiks(logging.Filter):
    """Mask NIK-shaped numbers in the rendered message, the traceback and extra fields."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not lose the record
            message = f"{record.msg!r} {record.args!r}"
        record.msg, record.args = redact_niks(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_niks(record.exc_text)
        if record.stack_info:
            record.stack_info = redact_niks(record.stack_info)
        for name in FIELDS:
            value = getattr(record, name, None)
            if isinstance(value, str):
                setattr(record, name, redact_niks(value))
        if not getattr(record, "request_id", None):
            record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in FIELDS:
            value = getattr(record, name, None)
            if value not in (None, ""):
                line[name] = value
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["error"] = record.exc_text
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        extras = " ".join(
            f"{name}={getattr(record, name)}"
            for name in FIELDS
            if getattr(record, name, None) not in (None, "")
        )
        return f"{text} {extras}" if extras else text


def make_handler(log_format: str) -> logging.Handler:
    handler = logging.StreamHandler()
    handler._portal = True  # type: ignore[attr-defined]
    handler.addFilter(RedactNiks())
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    return handler


def configure_logging(settings: Settings) -> None:
    """Idempotent: one portal handler on the root logger; every other logger propagates."""
    root = logging.getLogger()
    for existing in list(root.handlers):
        if getattr(existing, "_portal", False):
            root.removeHandler(existing)
    root.addHandler(make_handler(settings.log_format))
    root.setLevel(settings.log_level.upper())
    # Litestar and uvicorn log through their own loggers; let them reach ours.
    for name in ("litestar", "uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
    # Piccolo warns through `warnings` when it cannot connect; portal.db logs the reason.
    logging.captureWarnings(True)

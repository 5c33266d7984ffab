"""Logging: JSON lines (or plain text for a developer's terminal), no personal data.

Application logs must never hold a full NIK or a one-time token. Code does not log them on
purpose, but error messages from libraries can quote data (a database constraint error
quotes the value, an access log quotes the URL of an activation link). So every log record
is redacted when it is created (whatever handler receives it later), and the portal's own
handler redacts it once more (`Redact`: message, traceback and fields such as the request
path). Records made while a request is handled carry its request id (portal.ops.request_log).
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
from datetime import UTC, datetime
from typing import Any

from portal.rules.nik import redact_niks
from portal.settings import Settings

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")

# Attributes a record may carry (``extra=``) that belong in the JSON line.
FIELDS = ("request_id", "method", "path", "status", "duration_ms", "worker")

# Activation / reset links carry their token in the path.
_TOKEN_IN_PATH = re.compile(r"(/aktivasi/)[A-Za-z0-9_\-]{8,}")
_SECRET_FIELDS = re.compile(
    r"((?:password|sandi|token|secret|_csrf_token|csrftoken|portal_session|portal_challenge)"
    r"[\"']?\s*[=:]\s*[\"']?)[^\s&\"',;]+",
    re.IGNORECASE,
)


def redact(text: str, *, fields: bool = True) -> str:
    """NIK-shaped numbers masked, tokens in activation paths and ``password=…``-style values
    hidden. ``fields=False`` for a format string whose ``%s`` must survive."""
    text = redact_niks(text)
    text = _TOKEN_IN_PATH.sub(r"\1[token]", text)
    return _SECRET_FIELDS.sub(r"\1[disembunyikan]", text) if fields else text


class RedactingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


QUIET_LOGGERS = ("aiosqlite", "asyncpg", "piccolo")
# Loggers whose formatter reads record.args as a tuple (uvicorn's access log).
_ARGS_KEPT = frozenset({"uvicorn.access"})


def _redact_arg(value: object) -> object:
    if isinstance(value, (int, float, bool)) or value is None:
        return value  # a bare number stays a number for %d; the formatter redacts output
    text = value if isinstance(value, str) else str(value)
    redacted = redact(text)
    return redacted if redacted != text or isinstance(value, str) else value


def _install_record_factory() -> None:
    current = logging.getLogRecordFactory()
    if getattr(current, "_portal_redacting", False):
        return

    def factory(*args, **kwargs) -> logging.LogRecord:
        record = current(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: logging reports it itself later
            return record
        redacted = redact(message)
        if redacted == message:
            return record
        if record.name not in _ARGS_KEPT:
            record.msg, record.args = redacted, None
            return record
        # These formatters unpack record.args themselves: redact each argument instead.
        if isinstance(record.msg, str):
            record.msg = redact(record.msg, fields=not record.args)
        if isinstance(record.args, tuple):
            record.args = tuple(_redact_arg(a) for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: _redact_arg(v) for k, v in record.args.items()}
        return record

    factory._portal_redacting = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)


class Redact(logging.Filter):
    """On the portal's handler: redact the rendered message, the traceback and the extra
    fields of every record, whichever logger made it (ours, Litestar's, uvicorn's...)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not lose the record
            message = f"{record.msg!r} {record.args!r}"
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        for name in FIELDS:
            value = getattr(record, name, None)
            if isinstance(value, str):
                setattr(record, name, redact(value))
        if not getattr(record, "request_id", None):
            record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
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


class TextFormatter(RedactingFormatter):
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
    handler.addFilter(Redact())
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    return handler


def configure_logging(settings: Settings) -> None:
    """Idempotent: one portal handler on the root logger; every other logger propagates."""
    _install_record_factory()
    root = logging.getLogger()
    for existing in list(root.handlers):
        if getattr(existing, "_portal", False):
            root.removeHandler(existing)
    root.addHandler(make_handler(settings.log_format))
    root.setLevel(settings.log_level.upper())
    # Database drivers log every query with its parameters at DEBUG: password hashes, TOTP
    # secrets, residents' data. Never below WARNING, whatever the portal's level.
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    # Litestar and uvicorn log through their own loggers; let them reach ours.
    for name in ("litestar", "uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
    # Piccolo warns through `warnings` when it cannot connect; portal.db logs the reason.
    logging.captureWarnings(True)

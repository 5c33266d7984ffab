"""Logging configuration: one format, level from settings, and redaction.

Application logs must never hold a full NIK or a one-time token. Code does not log them on
purpose, but error messages from libraries can quote data (a database constraint error
quotes the value, an access log quotes the URL of an activation link). So every log record
is redacted when it is created (whatever handler receives it later) and the portal's own
handler redacts the formatted output once more, tracebacks included.
"""

from __future__ import annotations

import logging
import re

from portal.rules.nik import redact_niks
from portal.settings import Settings

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


def configure_logging(settings: Settings) -> None:
    _install_record_factory()
    root = logging.getLogger()
    if not any(getattr(h, "_portal", False) for h in root.handlers):
        handler = logging.StreamHandler()
        handler._portal = True  # type: ignore[attr-defined]
        handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        root.addHandler(handler)
    root.setLevel(settings.log_level.upper())
    # Database drivers log every query with its parameters at DEBUG: password hashes, TOTP
    # secrets, residents' data. Never below WARNING, whatever the portal's level.
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)

"""Logging configuration: one format, level from settings."""

from __future__ import annotations

import logging

from portal.settings import Settings


def configure_logging(settings: Settings) -> None:
    root = logging.getLogger()
    if not any(getattr(h, "_portal", False) for h in root.handlers):
        handler = logging.StreamHandler()
        handler._portal = True  # type: ignore[attr-defined]
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        root.addHandler(handler)
    root.setLevel(settings.log_level.upper())

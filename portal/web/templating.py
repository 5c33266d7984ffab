"""Jinja environment: globals and filters every template may use."""

from __future__ import annotations

from jinja2 import Environment

from portal.web.assets import asset_url


def configure_environment(engine) -> None:
    env: Environment = engine.engine
    env.globals["asset"] = asset_url
    env.trim_blocks = True
    env.lstrip_blocks = True

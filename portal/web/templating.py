"""Jinja environment: the globals and filters every template may use, registered once."""

from __future__ import annotations

from jinja2 import Environment

from portal.web import filters, urls
from portal.web.assets import asset_url


def configure_environment(engine) -> None:
    env: Environment = engine.engine
    env.globals["asset"] = asset_url
    filters.register(env)
    urls.register(env)
    env.trim_blocks = True
    env.lstrip_blocks = True

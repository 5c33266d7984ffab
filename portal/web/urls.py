"""Addresses by route name, never typed out: ``url(request, "staff:resident", resident_id=7)``
in Python, ``url("staff:resident", resident_id=7)`` in templates. Route names are
``<area>:<page>`` in kebab case; a test checks every handler has one.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, pass_context
from litestar import Request


def url(request: Request, name: str, /, query: dict[str, Any] | None = None, **path: Any) -> str:
    """The path of route ``name`` with its path parameters, and ``query`` (empty values
    dropped) as the query string."""
    target = request.app.route_reverse(name, **path)
    pairs = [(k, v) for k, v in (query or {}).items() if v not in (None, "", [])]
    return target + ("?" + urlencode(pairs, doseq=True) if pairs else "")


@pass_context
def _template_url(
    context: Any, name: str, /, query: dict[str, Any] | None = None, **path: Any
) -> str:
    return url(context["request"], name, query, **path)


def register(env: Environment) -> None:
    env.globals["url"] = _template_url

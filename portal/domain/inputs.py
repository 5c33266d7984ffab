"""Typed input that services declare and ``portal.web.forms`` fills in from a posted form.

A service's input is a plain dataclass; a field annotated ``Annotated[str, Limit(2000)]`` is
cut to 2,000 characters when read from a form (200 without one). The marker lives here, not
in ``portal.web``, so a service can declare its input without importing the web layer.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Limit:
    chars: int

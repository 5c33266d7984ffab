"""Typed input that services declare and ``portal.web.forms`` fills in from a posted form.

A service's input is a plain dataclass; a field annotated ``Annotated[str, Limit(2000)]`` is
cut to 2,000 characters when read from a form (200 without one). The marker lives here, not
in ``portal.web``, so a service can declare its input without importing the web layer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Limit:
    chars: int


class Page(Protocol):
    """Where one page of a listing starts and how long it is (``web.pagination.Pager``)."""

    @property
    def offset(self) -> int: ...

    @property
    def size(self) -> int: ...


# A requested page number and a total → the ``Page`` to read. A handler passes
# ``web.pagination.Pager.of``, so a service can page in SQL without importing the web layer.
PageOf = Callable[[object, int], Page]

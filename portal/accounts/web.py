"""What the account pages share: how a page shows a service's refusal when it answers its
own form again (instead of the error page ``portal.web.errors`` would give), and fixed
values given to handlers by their route."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from litestar.di import Provide

from portal.domain.errors import Conflict, DomainError, Forbidden, Invalid, Throttled
from portal.web import flash
from portal.web.flash import Notice


@dataclass(frozen=True)
class Refusal:
    """The page's context for a refusal: messages by field, a notice above the form."""

    status: int = 200
    errors: dict[str, str] = field(default_factory=dict)
    problem: Notice | None = None
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def context(self) -> dict:
        return {"errors": self.errors, "problem": self.problem}


NONE = Refusal()


@dataclass(frozen=True)
class Again:
    """A form shown again after a refusal: why not, and what was typed (never a secret);
    no values: the form shows the stored data again (it changed meanwhile)."""

    exc: DomainError
    values: dict[str, Any] | None = None


def refusal(exc: DomainError | Again | None, field: str = "") -> Refusal:
    """``Invalid``: its messages by field (400). ``Throttled``: the wait, by ``field``
    (429). ``Conflict``: the reason above the form (409). ``Forbidden``: why not (403)."""
    if exc is None:
        return NONE
    if isinstance(exc, Again):
        return refusal(exc.exc, field)
    if isinstance(exc, Invalid):
        return Refusal(400, exc.errors)
    if isinstance(exc, Throttled):
        return Refusal(429, {field: exc.message}, headers={"Retry-After": str(exc.retry_after)})
    if isinstance(exc, Conflict):
        return Refusal(409, problem=flash.error(exc.message))
    if isinstance(exc, Forbidden):
        return Refusal(403, problem=flash.warn(exc.message) if exc.message else None)
    raise exc


def given(value: object) -> Provide:
    """A dependency that is always ``value`` (which kind of account a router manages)."""
    return Provide(lambda: value, sync_to_thread=False)

"""What a service says when it cannot do what was asked. ``portal.web.errors`` turns each
into HTTP once; handlers catch ``Invalid`` (and sometimes ``Conflict``) to show the form
again with the messages next to the fields."""

from __future__ import annotations

from collections.abc import Mapping


class DomainError(Exception):
    """Base of the errors below; ``message`` is Indonesian, ready to show."""

    status = 400

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    """It does not exist, or not for this user: both answer 404, so a guessed id reveals
    nothing about another office's or another coordinator's data."""

    status = 404


class Forbidden(DomainError):
    """The user is known but may not do this (a role rule, not a scope rule)."""

    status = 403


class Invalid(DomainError):
    """Input that cannot be used; ``errors`` maps each field name to its message."""

    status = 400

    def __init__(self, errors: Mapping[str, str], message: str = "") -> None:
        super().__init__(message or next(iter(errors.values()), ""))
        self.errors = dict(errors)


class Conflict(DomainError):
    """The data changed meanwhile (another officer, another tab) or the state does not
    allow this any more; nothing was written."""

    status = 409


class Throttled(DomainError):
    """Too many attempts; try again after ``retry_after`` seconds."""

    status = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after

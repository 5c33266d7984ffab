"""What every rule raises when it refuses an input."""

from __future__ import annotations


class RuleError(ValueError):
    """Input a rule refuses; ``message`` is ready to show, in Indonesian, next to the field
    (or above the form when the input as a whole is refused)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

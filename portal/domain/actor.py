"""Who acts: a plain value services receive instead of a request.

``portal.web.deps`` builds it from the signed-in user and the client address; the CLI and
jobs use ``Actor.system``. It carries what the audit log and the rules need, nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


def fk_id(value: Any) -> int | None:
    """A foreign key as an id, whether Piccolo gave the id, the joined row or a dict."""
    if value is None or isinstance(value, int):
        return value
    if isinstance(value, dict):
        return value.get("id")
    return getattr(value, "id", None)


@dataclass(frozen=True, slots=True)
class Actor:
    user_id: int | None
    username: str
    role: str  # admin | staff | coordinator | "" (the system)
    office_id: int | None
    ip: str = ""

    @classmethod
    def of(cls, user: Any, ip: str = "") -> Actor:
        """From a ``User`` row (or anything with its attributes)."""
        return cls(
            user_id=user.id,
            username=user.username,
            role=user.role,
            office_id=fk_id(user.office),
            ip=ip,
        )

    @classmethod
    def system(cls, name: str) -> Actor:
        """A command or job acting on nobody's behalf (``portal purge``)."""
        return cls(user_id=None, username=name, role="", office_id=None)

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

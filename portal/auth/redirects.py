"""Where to send someone after signing in: ``next`` when it is a path on this site, else
the home of their role. Anything that could leave the site (``//evil``, ``/\\evil``,
``https://…``, control characters) is ignored: no open redirect."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

# The route each role starts from; ``reverse`` turns a route name into its path.
ROLE_HOMES = {
    "coordinator": "coordinator:home",
    "staff": "staff:dashboard",
    "admin": "accounts:admin-home",
}
# Pages that make no sense to return to after signing in.
_NOT_AFTER_LOGIN = ("/masuk", "/keluar", "/aktivasi")


def home_for(user, reverse: Callable[[str], str]) -> str:
    home = ROLE_HOMES.get(getattr(user, "role", ""))
    return reverse(home) if home else "/"


def safe_next(value: str | None) -> str | None:
    if not value or len(value) > 500:
        return None
    if not value.startswith("/") or value.startswith(("//", "/\\")):
        return None
    if any(ord(c) < 0x20 or c in "\\\x7f" for c in value):
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return None
    if parts.path.startswith(_NOT_AFTER_LOGIN):
        return None
    return value


def after_login(user, next_value: str | None, reverse: Callable[[str], str]) -> str:
    return safe_next(next_value) or home_for(user, reverse)

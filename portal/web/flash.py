"""Messages shown after a redirect: one scheme for every area.

A redirect carries a code (``?pesan=tersimpan``), never free text, so a link cannot make the
portal say something it did not; numbers that a message needs travel beside it (``ok``,
``lewat``, ``bentrok``, ``sisa``, ``n``), digits only. Each area registers its codes with
``messages({...})`` at import; a code is global, so two areas cannot give it two meanings
(registering it twice raises). ``base_context`` puts the message for the current URL into
every page as ``notice``; ``components/notice.html`` shows it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from litestar import Request
from litestar.response import Redirect

PARAM = "pesan"
NUMBERS = ("ok", "lewat", "bentrok", "sisa", "n")


@dataclass(frozen=True, slots=True)
class Notice:
    lines: tuple[str, ...]
    tone: str = "ok"  # ok | warn | error | "" (neutral)

    @property
    def text(self) -> str:
        return " ".join(self.lines)


Counts = Mapping[str, int]
Message = Notice | Callable[[Counts], Notice]
_MESSAGES: dict[str, Message] = {}


def ok(text: str) -> Notice:
    return Notice((text,), "ok")


def warn(text: str) -> Notice:
    return Notice((text,), "warn")


def error(text: str) -> Notice:
    return Notice((text,), "error")


def messages(table: Mapping[str, Message]) -> Mapping[str, Message]:
    """Register an area's codes; returns the table so a module can keep it by name."""
    for code, message in table.items():
        if code in _MESSAGES and _MESSAGES[code] is not message:
            raise ValueError(f"flash code {code!r} registered twice")
        _MESSAGES[code] = message
    return table


def flash_url(path: str, code: str | None = None, *, anchor: str = "", **numbers: Any) -> str:
    params = {PARAM: code} if code else {}
    params.update({k: str(v) for k, v in numbers.items() if k in NUMBERS and v})
    joiner = "&" if "?" in path else "?"
    return path + (joiner + urlencode(params) if params else "") + (f"#{anchor}" if anchor else "")


def redirect(path: str, code: str | None = None, *, anchor: str = "", **numbers: Any) -> Redirect:
    """303 to ``path`` with the message ``code`` (and its numbers)."""
    return Redirect(flash_url(path, code, anchor=anchor, **numbers), status_code=303)


def read_notice(request: Request) -> Notice | None:
    """The message the current URL asks for, if its code is known."""
    message = _MESSAGES.get(request.query_params.get(PARAM) or "")
    if message is None:
        return None
    if isinstance(message, Notice):
        return message
    counts = {}
    for name in NUMBERS:
        raw = request.query_params.get(name) or ""
        counts[name] = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else 0
    return message(counts)

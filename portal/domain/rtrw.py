"""RT and RW numbers: the one rule for reading them and the one form they are stored in.

People write an RT as "3", "03", "003", "RT 3", "rt.03" or "RT 003"; all are RT 03. Stored
and compared values are always the canonical form: at least two digits, no leading zero
beyond that ("03", "12", "123"). Coordinator scopes, list areas, resident rows, queue
filters and imports all go through ``parse_rt_rw``, so an RT typed one way is found when
searched another way (the migration "RT/RW: one canonical form" rewrote older rows).
"""

from __future__ import annotations

import re

from portal.rules.errors import RuleError

_RT_RW = re.compile(r"^(?:rt|rw)?\s*\.?\s*0*([0-9]{1,3})$", re.IGNORECASE)
HIGHEST = 999


class RtRwError(RuleError):
    """Not an RT/RW number; ``message`` is ready to show next to the field."""


def parse_rt_rw(raw: object) -> str | None:
    """The canonical form of an RT/RW number, or None when ``raw`` is empty or not one
    ("0", "12a", "1234" and "-1" are not)."""
    match = _RT_RW.match(str(raw if raw is not None else "").strip())
    if not match:
        return None
    number = int(match.group(1))
    return canonical(number) if number > 0 else None


def canonical(number: int) -> str:
    return f"{number:02d}"


def read_rt_rw(raw: object, part: str = "RT") -> str | None:
    """Like ``parse_rt_rw`` for a form field: empty is None, anything else must be a number
    from 1 to 999 (``RtRwError`` says so in Indonesian, naming ``part``)."""
    text = str(raw if raw is not None else "").strip()
    if not text:
        return None
    value = parse_rt_rw(text)
    if value is None:
        raise RtRwError(f"Nomor {part} harus angka 1 sampai {HIGHEST}, misalnya 03")
    return value

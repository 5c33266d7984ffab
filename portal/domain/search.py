"""Finding a resident by what an officer types in one search box: a NIK or a name.

A NIK is cleaned by the same rule as on entry (``portal.rules.nik.clean_nik``), so a number
pasted with spaces, dots or a Unicode hyphen is searched as a NIK, never as a name.
"""

from __future__ import annotations

import re

from piccolo.columns import Column
from piccolo.columns.combination import Where

from portal.rules.names import name_key
from portal.rules.nik import NIK_LENGTH, clean_nik, is_ascii_digits

# Fewer digits than this match too many NIKs to be a search: ask for more.
MIN_NIK_DIGITS = 4
_LIKE_SPECIALS = re.compile(r"[%_\\]")


def nik_digits(text: str) -> str | None:
    """The digits of ``text`` when it is a (partial) NIK, else None."""
    digits = clean_nik(text.strip())
    return digits if is_ascii_digits(digits) else None


def search_problem(text: str) -> str | None:
    """Why ``text`` cannot be searched, in words for the field; None when it can."""
    digits = nik_digits(text)
    if digits is not None and len(digits) < MIN_NIK_DIGITS:
        return (
            f"Untuk mencari NIK, ketik minimal {MIN_NIK_DIGITS} angka terakhirnya "
            "atau 16 angka lengkap"
        )
    return None


def search_where(text: str, nik: Column, key: Column) -> Where:
    """A NIK (16 digits: exact; fewer: its last digits) or a name (3+ letters: anywhere in
    the name; fewer: its start), against the ``nik`` and ``name_key`` columns given.
    PostgreSQL answers both from trigram indexes."""
    digits = nik_digits(text)
    if digits is not None:
        if len(digits) >= NIK_LENGTH:
            return nik == digits[:NIK_LENGTH]
        return nik.like("%" + digits)
    folded = _LIKE_SPECIALS.sub("", name_key(text))
    if len(folded) >= 3:
        return key.like(f"%{folded}%")
    return key.like(f"{folded}%")

"""Kemendagri region codes as a hierarchy: office "35.76" ⊃ kecamatan "35.76.01" ⊃ village
"35.76.01.1007". A location or session that serves a code serves everything under it."""

from __future__ import annotations

import re
from collections.abc import Iterable

CODE = re.compile(r"\d{2}\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?")


def is_code(text: str) -> bool:
    return bool(CODE.fullmatch(text or ""))


def ancestors(code: str) -> list[str]:
    """The code and every code above it:
    "35.76.01.1007" → ["35.76", "35.76.01", "35.76.01.1007"]."""
    parts = code.split(".")
    return [".".join(parts[:n]) for n in range(2, len(parts) + 1)]


def covers(served: str, code: str) -> bool:
    """True when `served` equals `code` or is an ancestor of it (whole dot-separated blocks,
    so "35.16.1" never covers "35.16.13")."""
    return code == served or code.startswith(served + ".")


def serves(served_codes: Iterable[str], code: str) -> bool:
    return any(covers(served, code) for served in served_codes)


def overlaps(served: str, code: str) -> bool:
    """True when one code covers the other: a session for village X is "in" kecamatan K, and
    a session for the whole office is relevant to every kecamatan."""
    return covers(served, code) or covers(code, served)

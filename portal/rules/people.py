"""A person's name, address, sex and NIK-derived birth date as every way in reads them: the
coordinator's form, a pasted or uploaded row, and the office's own export."""

from __future__ import annotations

import re
from datetime import date

from portal.rules.ages import age_on
from portal.rules.nik import Nik

NAME_MAX = 120
ADDRESS_MAX = 300
# The NIK only carries a two-digit year; a birth date derived from it must be plausible.
DERIVED_MAX_AGE = 100
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_SEX = {
    **dict.fromkeys(
        ("l", "lk", "laki", "laki-laki", "laki laki", "lakilaki", "pria", "m", "male"), "L"
    ),
    **dict.fromkeys(("p", "pr", "perempuan", "wanita", "w", "f", "female"), "P"),
}


def read_name(raw: str, *, empty: str) -> tuple[str, str | None]:
    """The name with its spaces folded, and why it cannot be used (``empty`` when blank)."""
    full_name = " ".join((raw or "").split())
    if not full_name:
        return full_name, empty
    if len(full_name) > NAME_MAX:
        return full_name, f"Nama lengkap paling banyak {NAME_MAX} huruf"
    if not _LETTER.search(full_name):
        return full_name, "Nama lengkap harus berisi huruf"
    return full_name, None


def read_address(raw: str) -> tuple[str, str | None]:
    address = " ".join((raw or "").split())
    if len(address) > ADDRESS_MAX:
        return address, f"Alamat paling banyak {ADDRESS_MAX} huruf"
    return address, None


def parse_sex(raw: str) -> str | None:
    """ "L" or "P" from the ways people write it ("Laki-laki", "pr.", "Wanita"); else None."""
    return _SEX.get(" ".join((raw or "").strip().lower().rstrip(".").split()))


def derive_birth_date(nik: Nik, today: date) -> date | None:
    """The birth date encoded in a NIK when only one century makes sense, else None."""
    candidates = []
    for century in (1900, 2000):
        try:
            candidate = date(century + nik.birth_yy, nik.birth_month, nik.birth_day)
        except ValueError:  # 29 Feb in the century that has no leap year
            continue
        if candidate <= today and age_on(candidate, today)[0] <= DERIVED_MAX_AGE:
            candidates.append(candidate)
    return candidates[0] if len(candidates) == 1 else None

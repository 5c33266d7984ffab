"""Choosing a new password: the portal's rules (portal.rules.passwords) with the words
that make a password guessable here: the username, the person's name, and every
kelurahan/desa and kecamatan name of Mojokerto."""

from __future__ import annotations

from portal.accounts.regions import local_words
from portal.rules.passwords import password_problems
from portal.tables.accounts import User

MISMATCH = "Kedua kata sandi tidak sama. Ketik ulang kata sandi yang sama di kedua kolom"


async def new_password_problems(user: User, password: str, confirm: str) -> dict[str, str]:
    """Form errors by field name; empty when the password may be used."""
    extra = [*await local_words(), user.full_name or ""]
    problems = password_problems(password, username=user.username, extra_words=extra)
    if problems:
        return {"password": problems[0]}
    if password != confirm:
        return {"password_confirm": MISMATCH}
    return {}

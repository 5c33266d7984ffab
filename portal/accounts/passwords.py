"""Choosing a new password: the portal's rules (portal.rules.passwords) with the words
that make a password guessable here: the username, the person's name, and every
kelurahan/desa and kecamatan name of Mojokerto. And proving one knows the current one."""

from __future__ import annotations

from portal.auth import throttle
from portal.auth.passwords import verify_password
from portal.domain.actor import Actor
from portal.domain.regions import local_words
from portal.rules.passwords import password_problems
from portal.tables.accounts import User

MISMATCH = "Kedua kata sandi tidak sama. Ketik ulang kata sandi yang sama di kedua kolom"
ASK = "Masukkan kata sandi Anda sekarang"
WRONG = "Kata sandi sekarang salah"


async def new_password_problems(user: User, password: str, confirm: str) -> dict[str, str]:
    """Form errors by field name; empty when the password may be used."""
    extra = [*await local_words(), user.full_name or ""]
    problems = password_problems(password, username=user.username, extra_words=extra)
    if problems:
        return {"password": problems[0]}
    if password != confirm:
        return {"password_confirm": MISMATCH}
    return {}


async def check_current_password(
    actor: Actor, password: str, field: str = "current_password"
) -> dict[str, str]:
    """The signed-in person proves it is them (a new password, new recovery codes, a
    change of someone's access): a stolen session cookie alone is not enough. Wrong
    guesses count towards the same sign-in throttle as the login form, which raises
    ``Throttled`` while it holds the account back. Errors by field name; empty: right."""
    if not password:
        return {field: ASK}
    user = await User.objects().where(User.id == actor.user_id).first()
    key = throttle.account_key(actor.user_id, "")
    await throttle.hold_back(actor.ip, key, user, stage="current_password", who=actor)
    ok = await verify_password(user.password_hash if user else None, password)
    await throttle.note_attempt(actor.ip, key, success=ok)
    return {} if ok else {field: WRONG}

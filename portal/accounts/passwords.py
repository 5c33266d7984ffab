"""Choosing a new password: the portal's rules (portal.rules.passwords) with the words
that make a password guessable here: the username, the person's name, and every
kelurahan/desa and kecamatan name of Mojokerto."""

from __future__ import annotations

from litestar import Request

from portal.accounts.regions import local_words
from portal.auth.passwords import verify_password
from portal.auth.throttle import account_key, audit_refusal, check, note_attempt, wait_message
from portal.rules.passwords import password_problems
from portal.tables.accounts import User
from portal.web.client_ip import client_ip

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


async def check_current_password(
    request: Request, user: User, password: str, field: str = "current_password"
) -> dict[str, str]:
    """The signed-in person proves it is them (a new password, new recovery codes, a
    change of someone's access): a stolen session cookie alone is not enough. Wrong
    guesses count towards the same sign-in throttle as the login form."""
    if not password:
        return {field: "Masukkan kata sandi Anda sekarang"}
    ip, key = client_ip(request), account_key(user.id, "")
    verdict = await check(ip, key)
    if verdict.wait:
        await audit_refusal(request, verdict, user, stage="current_password")
        return {field: wait_message(verdict.wait)}
    ok = await verify_password(user.password_hash, password)
    await note_attempt(ip, key, success=ok)
    if not ok:
        return {field: "Kata sandi sekarang salah"}
    return {}

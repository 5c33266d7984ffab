"""The step between a correct password and a session: a login challenge.

No session exists until the second factor is given. The browser holds a random token in a
short-lived cookie; the ``login_challenge`` table holds only its SHA-256, the user, what is
asked (``totp``: a code; ``enrol``: set up an authenticator first), an expiry and a count of
wrong answers. Too many wrong answers or an expired challenge: back to the password.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from litestar.datastructures import Cookie

from portal.auth.sessions import by_token, hash_token
from portal.settings import get_settings
from portal.tables.accounts import LoginChallenge, User

MAX_ATTEMPTS = 5
LIFETIMES = {"totp": timedelta(minutes=5), "enrol": timedelta(minutes=15)}


def challenge_cookie_name() -> str:
    return "__Host-portal_challenge" if get_settings().production else "portal_challenge"


def _cookie(value: str, max_age: int) -> Cookie:
    return Cookie(
        key=challenge_cookie_name(),
        value=value,
        path="/",
        httponly=True,
        secure=get_settings().production,
        samesite="strict",
        max_age=max_age,
    )


def clearing_challenge_cookie() -> Cookie:
    return _cookie("", 0)


def challenge_cookie(token: str, purpose: str) -> Cookie:
    return _cookie(token, int(LIFETIMES[purpose].total_seconds()))


async def create_challenge(user: User, purpose: str) -> str:
    """A fresh challenge (any earlier one of the user is dropped); its token goes into
    ``challenge_cookie``."""
    token = secrets.token_urlsafe(32)
    moment = datetime.now(UTC)
    await LoginChallenge.delete().where(
        (LoginChallenge.user == user.id) | (LoginChallenge.expires_at < moment)
    )
    await LoginChallenge(
        token_hash=hash_token(token),
        user=user.id,
        purpose=purpose,
        created_at=moment,
        expires_at=moment + LIFETIMES[purpose],
        attempts=0,
    ).save()
    return token


async def load_challenge(token: str | None) -> tuple[LoginChallenge, User] | None:
    """The live challenge whose token this browser holds, with its (active) user, or None."""
    if not token:
        return None
    row = await by_token(LoginChallenge, token)
    if row is None:
        return None
    user: User = row.user
    if (
        row.expires_at <= datetime.now(UTC)
        or row.attempts >= MAX_ATTEMPTS
        or not user.active
        or not user.password_hash
    ):
        await LoginChallenge.delete().where(LoginChallenge.id == row.id)
        return None
    return row, user


async def count_wrong_answer(challenge: LoginChallenge) -> bool:
    """Count a wrong code; True while the challenge may still be answered."""
    await LoginChallenge.update({LoginChallenge.attempts: LoginChallenge.attempts + 1}).where(
        LoginChallenge.id == challenge.id
    )
    if challenge.attempts + 1 >= MAX_ATTEMPTS:
        await LoginChallenge.delete().where(LoginChallenge.id == challenge.id)
        return False
    return True


async def finish_challenge(challenge: LoginChallenge) -> bool:
    """Consume the challenge; False when another request consumed it first."""
    gone = (
        await LoginChallenge.delete()
        .where(LoginChallenge.id == challenge.id)
        .returning(LoginChallenge.id)
    )
    return bool(gone)

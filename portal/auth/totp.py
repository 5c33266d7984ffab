"""Two-factor sign-in: TOTP codes (RFC 6238, any authenticator app) and recovery codes.

A code is accepted once only (``User.totp_last_step``), within one 30-second step either
side of the server clock for phones whose clock drifts. Recovery codes are random, shown
once, stored only as argon2id hashes and each usable once.
"""

from __future__ import annotations

import hmac
import re
import secrets
from datetime import UTC, datetime

import anyio
import pyotp
import segno

from portal.auth.passwords import hash_password, verify_password_sync
from portal.tables.accounts import RecoveryCode, User

ISSUER = "Portal KTP-el Mojokerto"
STEP_SECONDS = 30
DRIFT_STEPS = 1
RECOVERY_CODE_COUNT = 10
# No 0/o, 1/l/i: codes are read off paper and typed on phones.
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_RECOVERY_LENGTH = 10
_NOT_DIGIT = re.compile(r"\D")
_NOT_CODE_CHAR = re.compile(r"[^a-z0-9]")


def new_secret() -> str:
    return pyotp.random_base32()  # 32 base32 characters: 160 bits, as RFC 4226 advises


def provisioning_uri(username: str, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def qr_svg_data_uri(uri: str) -> str:
    """The QR code as an SVG ``data:`` URI: rendered here, no request to another host and
    nothing inline that the CSP would block (img-src allows data:)."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2, dark="#1b1b1b")


def grouped_secret(secret: str) -> str:
    """ "ABCD EFGH …" for typing into an app by hand when the camera cannot scan."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def matching_step(secret: str, code: str, at: datetime | None = None) -> int | None:
    """The time step whose code equals ``code``, or None. Compared in constant time."""
    digits = _NOT_DIGIT.sub("", code or "")
    if len(digits) != 6 or not secret:
        return None
    totp = pyotp.TOTP(secret)
    current = int((at or datetime.now(UTC)).timestamp()) // STEP_SECONDS
    found = None
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), digits):
            found = step
    return found


async def accept_code(user: User, code: str, secret: str | None = None) -> bool:
    """Verify ``code`` and burn its time step, atomically, so two requests racing with the
    same code cannot both pass (also across worker processes)."""
    step = matching_step(secret or user.totp_secret or "", code)
    if step is None:
        return False
    burned = (
        await User.update({User.totp_last_step: step})
        .where(
            (User.id == user.id) & (User.totp_last_step.is_null() | (User.totp_last_step < step))
        )
        .returning(User.id)
    )
    return bool(burned)


def _new_recovery_code() -> str:
    raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def _normalise_recovery(code: str) -> str:
    return _NOT_CODE_CHAR.sub("", (code or "").lower())


def looks_like_recovery_code(code: str) -> bool:
    return len(_normalise_recovery(code)) == _RECOVERY_LENGTH


async def make_recovery_codes() -> tuple[list[str], list[str]]:
    """10 new codes and their hashes. Hashing takes a while: done before the transaction
    that stores them (``store_recovery_codes``), so no write lock waits for it."""
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    return codes, [await hash_password(_normalise_recovery(c)) for c in codes]


async def store_recovery_codes(user_id: int, hashes: list[str]) -> None:
    """The user's recovery codes are these from now on; the earlier ones stop working."""
    await RecoveryCode.delete().where(RecoveryCode.user == user_id)
    await RecoveryCode.insert(*[RecoveryCode(user=user_id, code_hash=h) for h in hashes])


async def new_recovery_codes(user_id: int) -> list[str]:
    """Replace the user's recovery codes with 10 new ones; the caller shows them once."""
    codes, hashes = await make_recovery_codes()
    await store_recovery_codes(user_id, hashes)
    return codes


async def remaining_recovery_codes(user_id: int) -> int:
    return await RecoveryCode.count().where(
        (RecoveryCode.user == user_id) & RecoveryCode.used_at.is_null()
    )


async def find_recovery_code(user_id: int, code: str) -> int | None:
    """The id of the user's unused recovery code ``code``, or None. Reads only."""
    normalised = _normalise_recovery(code)
    if len(normalised) != _RECOVERY_LENGTH:
        return None
    rows = await RecoveryCode.select(RecoveryCode.id, RecoveryCode.code_hash).where(
        (RecoveryCode.user == user_id) & RecoveryCode.used_at.is_null()
    )

    def find() -> int | None:
        # Every hash is checked, match or not, so the time does not tell which one matched.
        found = None
        for row in rows:
            if verify_password_sync(row["code_hash"], normalised):
                found = row["id"]
        return found

    return await anyio.to_thread.run_sync(find)


async def spend_recovery_code(code_id: int) -> bool:
    """Mark the code used; False when another request used it first."""
    used = (
        await RecoveryCode.update({RecoveryCode.used_at: datetime.now(UTC)})
        .where((RecoveryCode.id == code_id) & RecoveryCode.used_at.is_null())
        .returning(RecoveryCode.id)
    )
    return bool(used)


async def use_recovery_code(user_id: int, code: str) -> bool:
    found = await find_recovery_code(user_id, code)
    return found is not None and await spend_recovery_code(found)


async def disable_two_factor(user_id: int) -> None:
    await User.update(
        {User.totp_secret: None, User.totp_enabled: False, User.totp_last_step: None}
    ).where(User.id == user_id)
    await RecoveryCode.delete().where(RecoveryCode.user == user_id)

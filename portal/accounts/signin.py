"""Sign-in: the password, the second factor, first-login authenticator set-up, sign-out.

Order of a sign-in: throttle check → password (same cost whether or not the account
exists) → for staff, admin and coordinators who turned it on: a login challenge (no session
yet) → TOTP or recovery code → a new session (new id: rotation) → ``next`` or role home.

Every outcome the audit log records is written in the transaction of what it records: a
refused attempt with its throttle row, a session with its "login.success".
"""

from __future__ import annotations

from datetime import UTC, datetime

from portal.accounts import two_factor
from portal.auth import throttle, totp
from portal.auth.challenges import (
    MAX_ATTEMPTS,
    count_wrong_answer,
    create_challenge,
    finish_challenge,
)
from portal.auth.passwords import hash_password, needs_rehash, verify_password
from portal.auth.sessions import create_session, delete_expired_sessions, end_session
from portal.domain import audit
from portal.domain.actor import Actor
from portal.domain.errors import Conflict, Invalid
from portal.domain.transactions import write_transaction
from portal.rules.phone import PhoneError, normalise_phone
from portal.tables.accounts import LoginChallenge, User

WRONG_LOGIN = "Nama pengguna/nomor HP atau kata sandi salah"
WRONG_CODE = "Kode salah atau sudah kedaluwarsa. Lihat kode terbaru di aplikasi Anda"
TWO_FACTOR_ROLES = two_factor.REQUIRED_ROLES


def visitor(ip: str) -> Actor:
    """Whoever is at the sign-in form: nobody yet, from this address."""
    return Actor(user_id=None, username="", role="", office_id=None, ip=ip)


def needs_second_factor(user: User) -> bool:
    return user.role in TWO_FACTOR_ROLES or bool(user.totp_enabled)


async def find_login_user(login: str) -> tuple[User | None, str]:
    """The account a sign-in name points to (username or phone number) and the name in
    normalised form (for throttling)."""
    name = login.strip().lower()
    if name[:1] in "+0123456789" and any(c.isdigit() for c in name):
        try:
            phone = normalise_phone(name)
        except PhoneError:
            phone = None
        if phone:
            user = await User.objects().where(User.phone == phone).first()
            if user is not None:
                return user, phone
    return await User.objects().where(User.username == name).first(), name


async def check_password(login: str, password: str, ip: str) -> User:
    """The account whose password this is. ``Invalid`` (the same words whether or not the
    name exists) or ``Throttled`` otherwise."""
    errors = {}
    if not login:
        errors["username"] = "Masukkan nama pengguna atau nomor HP"
    if not password:
        errors["password"] = "Masukkan kata sandi"  # noqa: S105 (a message, not a secret)
    if errors:
        raise Invalid(errors)
    user, login_name = await find_login_user(login)
    key = throttle.account_key(user.id if user else None, login_name)
    await throttle.hold_back(ip, key, user, stage="sign_in", who=visitor(ip))
    usable = user is not None and user.active and bool(user.password_hash)
    # An unknown or unusable account still costs one argon2 verification (a dummy hash):
    # the response time does not tell whether the name exists.
    ok = await verify_password(user.password_hash if user and usable else None, password)
    if not ok or user is None:
        await _failed(ip, key, user, "wrong_password" if usable else "unknown_or_inactive", ip)
        raise Invalid({"password": WRONG_LOGIN})
    await throttle.note_attempt(ip, key, success=True)
    if user.password_hash and needs_rehash(user.password_hash):
        rehashed = await hash_password(password)
        await User.update({User.password_hash: rehashed}).where(User.id == user.id)
    return user


async def _failed(attempt_ip: str, key: str, user: User | None, reason: str, ip: str) -> None:
    """A wrong answer, counted by the throttle and recorded together. The actor is unknown
    (whoever typed)."""
    async with write_transaction():
        await throttle.note_attempt(attempt_ip, key, success=False)
        await throttle.audit_attempt(visitor(ip), "login.failed", user, {"reason": reason})


async def begin_second_factor(user: User) -> tuple[str, str]:
    """Password proven: ask for a code ("totp"), or for staff/admin without an
    authenticator yet, set one up first ("enrol"). (purpose, challenge token); no session
    exists until then."""
    if user.totp_enabled and user.totp_secret:
        return "totp", await create_challenge(user, "totp")
    # A new secret for every set-up attempt: a QR code seen in an abandoned attempt is
    # worthless afterwards.
    await User.update(
        {User.totp_secret: totp.new_secret(), User.totp_enabled: False, User.totp_last_step: None}
    ).where(User.id == user.id)
    return "enrol", await create_challenge(user, "enrol")


async def second_factor(challenge: LoginChallenge, user: User, code: str, ip: str) -> str:
    """Answer a "totp" challenge with a code or a recovery code; the method used.
    ``Invalid`` (with the tries left), ``Throttled``, or ``Conflict`` when the challenge is
    over (too many wrong codes, or a parallel request answered it)."""
    if not code:
        raise Invalid({"code": "Masukkan kode"})
    # Second-factor attempts are limited per account only: colleagues behind one office
    # NAT must not lock each other out.
    key = throttle.account_key(user.id, "")
    await throttle.hold_back("", key, user, stage="second_factor", who=visitor(ip))
    method = "recovery_code" if totp.looks_like_recovery_code(code) else "totp"
    if method == "totp":
        ok = await totp.accept_code(user, code)
    else:
        ok = await two_factor.spend_recovery_code(Actor.of(user, ip), code)
    if not ok:
        await _failed("", key, user, f"wrong_{method}", ip)
        if not await count_wrong_answer(challenge):
            raise Conflict()
        left = MAX_ATTEMPTS - challenge.attempts - 1
        raise Invalid({"code": f"{WRONG_CODE} (sisa {left} kali)"})
    await throttle.note_attempt("", key, success=True)
    await _finish(challenge)
    return method


async def enrol(challenge: LoginChallenge, user: User, code: str, ip: str) -> list[str]:
    """Answer an "enrol" challenge with the first code of the new authenticator: two-step
    sign-in is on, and the recovery codes to show once are returned."""
    if not await totp.accept_code(user, code):
        if not await count_wrong_answer(challenge):
            raise Conflict()
        raise Invalid({"code": WRONG_CODE if code else two_factor.ASK_CODE})
    await _finish(challenge)
    return await two_factor.enable(Actor.of(user, ip))


async def _finish(challenge: LoginChallenge) -> None:
    if not await finish_challenge(challenge):
        raise Conflict()  # the same challenge was answered by a parallel request


async def open_session(
    user: User, *, ip: str, user_agent: str, method: str, old_token: str | None
) -> str:
    """A new session for ``user`` (its token), recorded as "login.success". Any session
    this browser already had ends: the new one gets a new id (no fixation)."""
    if old_token:
        await end_session(old_token)
    async with write_transaction():
        token = await create_session(user, ip=ip, user_agent=user_agent)
        await User.update({User.last_login_at: datetime.now(UTC)}).where(User.id == user.id)
        await audit.record(
            Actor.of(user, ip),
            "login.success",
            object_type="user",
            object_id=user.id,
            detail={"method": method},
        )
    await delete_expired_sessions()  # housekeeping: sessions nobody came back to
    return token


async def sign_out(token: str | None, actor: Actor | None) -> None:
    async with write_transaction():
        if token:
            await end_session(token)
        if actor is not None:
            await audit.record(actor, "logout", object_type="user", object_id=actor.user_id)

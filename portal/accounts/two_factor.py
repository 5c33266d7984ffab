"""Two-step sign-in on one's own account: turning it on (at the first sign-in of staff and
admin, or on /akun for coordinators), new recovery codes, and turning it off again, which
coordinators may do with their password and a current code (or a recovery code); staff
and admin may not, since sign-in requires it of them."""

from __future__ import annotations

from portal.accounts import passwords
from portal.auth import throttle, totp
from portal.auth.passwords import verify_password
from portal.auth.sessions import end_other_sessions
from portal.domain import audit
from portal.domain.actor import Actor
from portal.domain.errors import Conflict, Forbidden, Invalid, Throttled
from portal.domain.transactions import write_transaction
from portal.tables.accounts import User

REQUIRED_ROLES = ("staff", "admin")
REQUIRED = (
    "Petugas dan admin wajib memakai verifikasi dua langkah, jadi tidak bisa dimatikan. "
    "Jika HP Anda hilang, minta admin membuat tautan atur ulang kata sandi: setelah itu "
    "aplikasi autentikator dipasang ulang."
)
OFF_PASSWORD = "off_password"  # noqa: S105 (a field name, not a secret)
OFF_CODE = "off_code"
ASK_CODE = "Masukkan kode 6 angka dari aplikasi"


def enrolment(username: str, secret: str) -> dict[str, str]:
    """What the set-up page shows: the QR code for the app, and the secret to type in by
    hand when the camera cannot scan."""
    uri = totp.provisioning_uri(username, secret)
    return {"qr": totp.qr_svg_data_uri(uri), "secret": totp.grouped_secret(secret)}


async def start_enrolment(user: User) -> str:
    """A new secret for the authenticator app (shown as a QR code); two-step sign-in is
    on once a code from it is given (``finish_enrolment``)."""
    secret = totp.new_secret()
    await User.update({User.totp_secret: secret, User.totp_last_step: None}).where(
        User.id == user.id
    )
    return secret


async def finish_enrolment(actor: Actor, user: User, code: str, keep_token: str) -> list[str]:
    """The first code of the new authenticator: two-step sign-in is on, every other session
    ends (they signed in without it), and the recovery codes to show once are returned.
    ``Conflict`` when no set-up was started."""
    if not user.totp_secret:
        raise Conflict()
    if not await totp.accept_code(user, code):
        raise Invalid({"code": "Kode salah. Coba kode terbaru" if code else ASK_CODE})
    return await enable(actor, keep_token=keep_token)


async def enable(actor: Actor, *, keep_token: str | None = None) -> list[str]:
    """Two-step sign-in on for the actor, with new recovery codes (returned to show once);
    ``keep_token``: end every session but this one."""
    assert actor.user_id is not None
    codes, hashes = await totp.make_recovery_codes()
    async with write_transaction():
        await User.update({User.totp_enabled: True}).where(User.id == actor.user_id)
        await totp.store_recovery_codes(actor.user_id, hashes)
        if keep_token is not None:
            await end_other_sessions(actor.user_id, keep_token)
        await audit.record(actor, "totp.enabled", object_type="user", object_id=actor.user_id)
    return codes


async def renew_recovery_codes(actor: Actor, password: str) -> list[str]:
    """Ten new recovery codes (the old ones stop working), after the current password."""
    assert actor.user_id is not None
    try:
        errors = await passwords.check_current_password(actor, password)
    except Throttled as exc:
        errors = {"current_password": exc.message}
    if errors:
        raise Invalid(errors)
    codes, hashes = await totp.make_recovery_codes()
    async with write_transaction():
        await totp.store_recovery_codes(actor.user_id, hashes)
        await audit.record(
            actor, "totp.recovery_codes_renewed", object_type="user", object_id=actor.user_id
        )
    return codes


async def spend_recovery_code(actor: Actor, code: str) -> bool:
    """Use one of the actor's recovery codes in place of an app code (recorded with how
    many are left); False when it is not one of theirs or was used already."""
    uid = actor.user_id
    assert uid is not None
    found = await totp.find_recovery_code(uid, code)
    if found is None:
        return False
    async with write_transaction():
        if not await totp.spend_recovery_code(found):
            return False
        left = {"remaining": await totp.remaining_recovery_codes(uid)}
        await audit.record(
            actor, "totp.recovery_code_used", object_type="user", object_id=uid, detail=left
        )
    return True


async def turn_off(actor: Actor, user: User, password: str, code: str, keep_token: str) -> None:
    """Two-step sign-in off, after both factors; every other session ends, since whoever
    signed in elsewhere with the second factor now has a session that no longer needed it.
    ``Forbidden`` for staff and admin."""
    if user.role in REQUIRED_ROLES:
        raise Forbidden(REQUIRED)
    await _check_both_factors(actor, password, code)
    async with write_transaction():
        await totp.disable_two_factor(user.id)
        ended = {"sessions_ended": await end_other_sessions(user.id, keep_token)}
        await audit.record(
            actor, "totp.disabled", object_type="user", object_id=user.id, detail=ended
        )


async def _check_both_factors(actor: Actor, password: str, code: str) -> None:
    """The current password and a current code (TOTP, or one recovery code as at sign-in),
    counted as ONE attempt in the sign-in throttle that fails unless both are right. With
    the password checked on its own first, every right password would be a success that
    resets the account's failure count, and codes could be guessed without ever being
    throttled. ``Invalid`` by field, or ``Throttled``."""
    errors: dict[str, str] = {}
    if not password:
        errors[OFF_PASSWORD] = passwords.ASK
    if not code:
        errors[OFF_CODE] = "Masukkan kode 6 angka dari aplikasi autentikator"
    if errors:
        raise Invalid(errors)
    key = throttle.account_key(actor.user_id, "")
    fresh = await User.objects().where(User.id == actor.user_id).first()
    assert fresh is not None
    await throttle.hold_back(actor.ip, key, fresh, stage="two_factor_off", who=actor)
    if not await verify_password(fresh.password_hash, password):
        # The code is not tried (nor its time step used up) without the right password.
        errors[OFF_PASSWORD] = passwords.WRONG
    elif totp.looks_like_recovery_code(code):
        if not await totp.use_recovery_code(fresh.id, code):
            errors[OFF_CODE] = "Kode pemulihan salah atau sudah pernah dipakai"
    elif not await totp.accept_code(fresh, code):
        errors[OFF_CODE] = "Kode salah atau sudah kedaluwarsa. Lihat kode terbaru di aplikasi Anda"
    await throttle.note_attempt(actor.ip, key, success=not errors)
    if errors:
        raise Invalid(errors)

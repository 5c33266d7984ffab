"""/akun: the signed-in person's own account: details, password, devices (sessions).
Two-step sign-in on the same page is ``portal.accounts.two_factor``."""

from __future__ import annotations

from typing import Any

from portal.accounts import passwords, two_factor
from portal.auth import totp
from portal.auth.passwords import hash_password
from portal.auth.sessions import bump_auth_version, create_session, end_other_sessions, hash_token
from portal.domain import audit
from portal.domain.actor import Actor, fk_id
from portal.domain.errors import Invalid
from portal.domain.transactions import write_transaction
from portal.tables.accounts import User, UserSession
from portal.tables.regions import Office

SAME = "Kata sandi baru harus berbeda dari kata sandi sekarang"


async def account_view(user: User, session_token: str | None) -> dict[str, Any]:
    """What /akun shows: the account, its office, its sessions (this one marked) and its
    recovery codes left."""
    account = (
        await User.select(
            *User.all_columns(exclude=[User.password_hash, User.totp_secret]),
            User.scope_village.name.as_alias("village_name"),
            User.scope_kecamatan.name.as_alias("kecamatan_name"),
        )
        .where(User.id == user.id)
        .first()
    )
    office = None
    if fk_id(user.office):
        office = await Office.select(Office.name).where(Office.id == fk_id(user.office)).first()
    s = UserSession
    sessions = (
        await s.select(s.token_hash, s.created_at, s.last_seen_at, s.user_agent)
        .where(s.user == user.id)
        .order_by(s.last_seen_at, ascending=False)
    )
    return {
        "account": account,
        "office": office,
        "sessions": sessions,
        "current_hash": hash_token(session_token or ""),
        "recovery_left": await totp.remaining_recovery_codes(user.id),
        # Why the "turn it off" form is missing, for those sign-in requires it of.
        "two_factor_required": two_factor.REQUIRED
        if user.role in two_factor.REQUIRED_ROLES
        else "",
    }


async def change_password(
    actor: Actor, user: User, current: str, new: str, confirm: str, *, user_agent: str
) -> str:
    """A new password. Every session ends (someone who knew the old password is out), and
    this browser gets a new one, whose token is returned: a new session id after a
    credential change. ``Invalid`` by field, or ``Throttled``."""
    errors = await passwords.check_current_password(actor, current)
    if not errors:
        errors = await passwords.new_password_problems(user, new, confirm)
    if not errors and new == current:
        errors = {"password": SAME}
    if errors:
        raise Invalid(errors)
    hashed = await hash_password(new)
    async with write_transaction():
        await User.update({User.password_hash: hashed}).where(User.id == user.id)
        await bump_auth_version(user.id)
        fresh = await User.objects().where(User.id == user.id).first()
        assert fresh is not None
        token = await create_session(fresh, ip=actor.ip, user_agent=user_agent)
        await audit.record(actor, "account.password_changed", object_type="user", object_id=user.id)
    return token


async def sign_out_elsewhere(actor: Actor, keep_token: str) -> int:
    """End every session of the actor but this one; how many ended."""
    uid = actor.user_id
    assert uid is not None
    async with write_transaction():
        ended = await end_other_sessions(uid, keep_token)
        detail = {"sessions": ended}
        await audit.record(
            actor, "sessions.ended_elsewhere", object_type="user", object_id=uid, detail=detail
        )
    return ended

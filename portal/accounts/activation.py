"""A one-time link (``portal.auth.activation``) opened by its person: they set their
password, the link is spent, and every older session of the account ends."""

from __future__ import annotations

from portal.accounts import passwords
from portal.auth import totp
from portal.auth.activation import LinkState, find_link, use_link
from portal.auth.passwords import hash_password
from portal.auth.sessions import bump_auth_version
from portal.domain import audit
from portal.domain.actor import Actor, fk_id
from portal.domain.errors import Conflict, Invalid
from portal.domain.transactions import write_transaction
from portal.tables.accounts import User

# What a link that cannot be used answers: HTTP status and heading.
PROBLEMS = {
    "unknown": (404, "Tautan tidak dikenal"),
    "used": (410, "Tautan ini sudah dipakai"),
    "expired": (410, "Tautan ini sudah tidak berlaku"),
}


async def open_link(token: str) -> LinkState:
    return await find_link(token)


async def set_password(state: LinkState, password: str, confirm: str, ip: str) -> User:
    """The person's new password; the account as it is now. ``Invalid`` by field, or
    ``Conflict`` when another request (a double submit) used the link first."""
    user, token = state.user, state.token
    assert user is not None and token is not None
    errors = await passwords.new_password_problems(user, password, confirm)
    if errors:
        raise Invalid(errors)
    hashed = await hash_password(password)
    reset = token.purpose == "reset"
    async with write_transaction():
        if not await use_link(token):
            raise Conflict()
        await User.update({User.password_hash: hashed}).where(User.id == user.id)
        if reset:
            # A reset is issued because the person lost access: the old authenticator may
            # be lost too, so it is set up again (staff/admin at once, at sign-in).
            await totp.disable_two_factor(user.id)
        await bump_auth_version(user.id)  # every older session of the account ends
        await audit.record(
            Actor.of(user, ip),
            "account.password_reset" if reset else "account.activated",
            office_id=fk_id(user.office),
            object_type="user",
            object_id=user.id,
        )
    fresh = await User.objects().where(User.id == user.id).first()
    assert fresh is not None
    return fresh

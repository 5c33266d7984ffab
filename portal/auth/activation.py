"""One-time links to set a password: activation of a new account, or a reset issued by
staff (there is no e-mail or SMS gateway: staff hand the link over, e.g. by WhatsApp).

Only the SHA-256 of the token is stored. A link works once, expires after
``activation_link_hours`` and a newer link for the same user invalidates older ones.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from portal.auth.sessions import hash_token
from portal.domain.links import absolute_url
from portal.settings import get_settings
from portal.tables.accounts import ActivationToken, User

PATH = "/aktivasi/"


@dataclass(frozen=True)
class LinkState:
    token: ActivationToken | None
    user: User | None
    problem: str = ""  # "" | unknown | used | expired


async def issue_link(user_id: int, *, created_by: int | None, purpose: str = "activate") -> str:
    """A new link for ``user_id``; every earlier unused link of the user stops working."""
    token = secrets.token_urlsafe(32)
    moment = datetime.now(UTC)
    await expire_links(user_id, moment)
    await ActivationToken(
        token_hash=hash_token(token),
        user=user_id,
        purpose=purpose,
        created_at=moment,
        created_by=created_by,
        expires_at=moment + timedelta(hours=get_settings().activation_link_hours),
    ).save()
    return link_url(token)


async def expire_links(user_id: int, moment: datetime | None = None) -> None:
    """Every unused link of the user stops working (kept, so opening one says "replaced
    or expired" rather than "unknown")."""
    moment = moment or datetime.now(UTC)
    await ActivationToken.update({ActivationToken.expires_at: moment}).where(
        (ActivationToken.user == user_id)
        & ActivationToken.used_at.is_null()
        & (ActivationToken.expires_at > moment)
    )


def link_url(token: str) -> str:
    return absolute_url(get_settings().base_url, PATH + token)


def share_text(full_name: str, url: str) -> str:
    """The message that hands a link over (``portal.domain.links.whatsapp_share_url``)."""
    return (
        f"Halo {full_name}, ini tautan untuk mengaktifkan akun Anda di Portal Rekam KTP-el "
        f"Mojokerto. Buka di HP Anda dan buat kata sandi. Tautan ini hanya bisa dipakai "
        f"sekali dan berlaku {get_settings().activation_link_hours} jam. Jangan teruskan ke "
        f"orang lain.\n{url}"
    )


async def find_link(token: str) -> LinkState:
    if not token or len(token) > 100:
        return LinkState(None, None, "unknown")
    row = (
        await ActivationToken.objects(ActivationToken.user)
        .where(ActivationToken.token_hash == hash_token(token))
        .first()
    )
    if row is None:
        return LinkState(None, None, "unknown")
    user: User = row.user
    if row.used_at is not None:
        return LinkState(row, user, "used")
    if row.expires_at <= datetime.now(UTC) or not user.active:
        return LinkState(row, user, "expired")
    return LinkState(row, user)


async def use_link(row: ActivationToken) -> bool:
    """Mark the link used; False when another request used it first (double submit)."""
    used = (
        await ActivationToken.update({ActivationToken.used_at: datetime.now(UTC)})
        .where((ActivationToken.id == row.id) & ActivationToken.used_at.is_null())
        .returning(ActivationToken.id)
    )
    return bool(used)

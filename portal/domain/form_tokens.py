"""One-time form tokens: a form that creates something ("new list", "add a resident") carries
a token, so a double tap or a resend acts once.

The first request stores the token with the object it created and a fingerprint of what was
sent, under a unique index, in the same write transaction as the object (and its audit
line). A resend with the same values (double tap, a reply lost in a tunnel) gets that
object back; the same token carrying other values is refused (``FormTokenReused``), since
answering it with the first object would silently drop what the second request said.
Two racing requests with one token: the unique index lets one win, the other finds its
object.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from portal.domain.errors import Conflict
from portal.domain.transactions import UNIQUE_VIOLATIONS, write_transaction
from portal.tables.residents import FormToken

# A token only has to outlive a resend; older ones are swept now and then.
LIFETIME = timedelta(days=30)
MAX_LENGTH = 64


class FormTokenReused(Conflict):
    """The token already acted, on other values; ``object_id`` is what it created."""

    def __init__(self, object_id: int) -> None:
        super().__init__("Formulir ini sudah dipakai dengan isian yang berbeda.")
        self.object_id = object_id


def new_token() -> str:
    return secrets.token_urlsafe(24)


def fingerprint(values: Mapping[str, Any]) -> str:
    """A stable hash of submitted values. Surrounding spaces do not count, and an empty
    field counts as absent: a form loaded before a deploy that added a field still matches
    its own resend after it."""
    stripped = {k: "" if v is None else str(v).strip() for k, v in values.items()}
    canonical = {k: v for k, v in stripped.items() if v}
    text = json.dumps(canonical, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


async def has_acted(token: str, owner_id: int) -> bool:
    """Has this token already created something? A form that has acted is finished: what
    it still sends (a late autosave on slow data) belongs to nothing any more."""
    if not token:
        return False
    return await FormToken.exists().where(FormToken.token == token, FormToken.owner == owner_id)


async def recall(token: str, purpose: str, owner_id: int, values: Mapping[str, Any]) -> int | None:
    """The object this token already created for its owner, or None if it has not acted.
    Raises ``FormTokenReused`` when it acted on other values. Tokens stored before
    fingerprints existed have none and are trusted as before."""
    row = (
        await FormToken.select(FormToken.object_id, FormToken.fingerprint)
        .where(FormToken.token == token, FormToken.purpose == purpose, FormToken.owner == owner_id)
        .first()
    )
    if row is None:
        return None
    if row["fingerprint"] and row["fingerprint"] != fingerprint(values):
        raise FormTokenReused(row["object_id"])
    return row["object_id"]


async def act_once(
    token: str,
    purpose: str,
    owner_id: int,
    values: Mapping[str, Any],
    create: Callable[[], Awaitable[int]],
) -> int:
    """Run ``create`` (it writes, audit line included, and returns the new object's id) in
    one write transaction with the token. If a twin request with the same token won the
    race, nothing of this one is stored and the twin's object id is returned. Without a
    token (an old form) ``create`` simply runs in a write transaction."""
    if not token:
        async with write_transaction():
            return await create()
    try:
        async with write_transaction():
            await FormToken(
                token=token,
                purpose=purpose,
                owner=owner_id,
                fingerprint=fingerprint(values),
                created_at=datetime.now(UTC),
            ).save()
            object_id = await create()
            await FormToken.update({FormToken.object_id: object_id}).where(FormToken.token == token)
    except UNIQUE_VIOLATIONS:
        existing = await recall(token, purpose, owner_id, values)
        if not existing:
            raise
        return existing
    return object_id


async def sweep() -> None:
    """Forget tokens older than ``LIFETIME``."""
    async with write_transaction():
        await FormToken.delete().where(FormToken.created_at < datetime.now(UTC) - LIFETIME)

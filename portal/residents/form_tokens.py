"""One-time form tokens: a form that must act once ("new list", "add a resident") carries a
token; the first request stores it with the object it created and a fingerprint of what was
sent. A resend with the same body (double tap, a train going through a tunnel) gets that
object back; the same token carrying a different body is refused, since answering it with
the first object would silently drop what the second request said."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from portal.tables.accounts import User
from portal.tables.residents import FormToken


class FormTokenReused(Exception):
    """The token already acted, on a different body; ``object_id`` is what it created."""

    def __init__(self, object_id: int) -> None:
        super().__init__(f"form token already used for object {object_id}")
        self.object_id = object_id


def fingerprint(values: Mapping[str, Any]) -> str:
    """A stable hash of submitted values. Surrounding spaces do not count, and an empty
    field counts as absent: a form loaded before a deploy that added a field still matches
    its own resend after it."""
    stripped = {k: "" if v is None else str(v).strip() for k, v in values.items()}
    canonical = {k: v for k, v in stripped.items() if v}
    text = json.dumps(canonical, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


async def token_object(token: str, purpose: str, user: User, body: str) -> int | None:
    """The object this token already created for ``user``, or None if it has not acted.
    Raises FormTokenReused when it acted on a different body (``body`` is a fingerprint).
    Tokens stored before fingerprints existed have none and are trusted as before."""
    row = (
        await FormToken.select(FormToken.object_id, FormToken.fingerprint)
        .where(FormToken.token == token, FormToken.purpose == purpose, FormToken.owner == user.id)
        .first()
    )
    if row is None:
        return None
    if row["fingerprint"] and row["fingerprint"] != body:
        raise FormTokenReused(row["object_id"])
    return row["object_id"]

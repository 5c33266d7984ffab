"""The hook that starts after recording: a resident marked recorded gets a card state
"menunggu cetak" in the same transaction (``triage.apply_moves`` calls ``begin`` on every
road to "sudah rekam": a resident page, attendance at a session). Apart from
``after_recording`` so that triage, which it serves, need not import the card service
that itself imports triage."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from portal.domain.vocabulary import CARD_FIRST_STATE
from portal.tables.cards import CardState


async def begin(residents: list[dict[str, Any]]) -> None:
    """Called inside the transaction that marks ``residents`` (rows with ``id`` and
    ``office``) sudah rekam: each gets a card state "menunggu cetak", once."""
    if not residents:
        return
    ids = [r["id"] for r in residents]
    existing = await CardState.select(CardState.resident).where(CardState.resident.is_in(ids))
    have = {row["resident"] for row in existing}
    moment = datetime.now(UTC)
    new = [
        CardState(
            resident=r["id"],
            office=r["office"],
            state=CARD_FIRST_STATE,
            created_at=moment,
            updated_at=moment,
        )
        for r in residents
        if r["id"] not in have
    ]
    if new:
        await CardState.insert(*new)

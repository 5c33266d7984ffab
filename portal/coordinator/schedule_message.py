"""The message a coordinator passes on to residents who have been scheduled: who records
when and where, grouped by session, ready to paste into the RT's WhatsApp group; and whose
KTP-el is printed and waiting to be collected, where (collected in person only).

Residents hear about their session from their RT, not from the office (that is how jemput
bola works today), so the portal writes the message the RT would otherwise type by hand.
Only names go in, never a NIK or a birth date: the message leaves the portal. Sessions that
are cancelled or already over are left out; a link to the public session page is added only
when the session is public.
"""

from __future__ import annotations

from datetime import time
from typing import Any

from portal.clock import today_local
from portal.coordinator.status_lines import session_text, sessions_by_id
from portal.domain.links import absolute_url
from portal.settings import get_settings
from portal.tables.cards import CardState
from portal.tables.residents import Resident

COLLECT = "Pengambilan KTP-el gratis dan tidak bisa diwakilkan."


def _scheduled_for_coming_sessions(list_ids: list[int], *columns: Any) -> Any:
    """Residents of these lists scheduled into a session that is neither over nor
    cancelled: the one rule for what the message holds and where the dashboard points."""
    session: Any = Resident.outreach_session  # a foreign key; its columns are joined
    return Resident.select(*columns).where(
        Resident.resident_list.is_in(list_ids),
        Resident.status == "dijadwalkan",
        session.day >= today_local(),
        session.cancelled.eq(False),
    )


def _cards_ready(list_ids: list[int], *columns: Any) -> Any:
    """Residents of these lists whose KTP-el is printed and not yet collected."""
    resident: Any = CardState.resident
    return CardState.select(*columns).where(
        resident._.resident_list.is_in(list_ids), CardState.state == "dicetak"
    )


async def lists_with_a_message(list_ids: list[int]) -> set[int]:
    """Which of these lists have a schedule message to pass on."""
    if not list_ids:
        return set()
    rows = await _scheduled_for_coming_sessions(list_ids, Resident.resident_list).distinct()
    resident: Any = CardState.resident
    ready = await _cards_ready(list_ids, resident._.resident_list.as_alias("list")).distinct()
    return {row["resident_list"] for row in rows} | {row["list"] for row in ready}


async def cards_ready_lines(list_id: int) -> list[str]:
    """The message's part about printed cards: names by pickup place, in name order."""
    resident: Any = CardState.resident
    rows = await _cards_ready(
        [list_id], resident._.full_name.as_alias("full_name"), CardState.pickup_place
    )
    lines: list[str] = []
    for place in sorted({row["pickup_place"] for row in rows}, key=str.lower):
        names = sorted((r["full_name"] for r in rows if r["pickup_place"] == place), key=str.lower)
        where = f" di {place}" if place else ""
        heading = f"KTP-el sudah dicetak dan siap diambil{where} (diambil sendiri oleh pemiliknya):"
        lines += ["", heading, *(f"- {name}" for name in names)]
    return lines


async def schedule_message(list_id: int, area_label: str) -> str:
    """The message for the residents of a list in ``area_label``, or "" when nobody in
    the list is scheduled into a coming session or has a printed card to collect."""
    rows = await _scheduled_for_coming_sessions(
        [list_id], Resident.full_name, Resident.outreach_session
    )
    coming = await sessions_by_id({row["outreach_session"] for row in rows})
    ready = await cards_ready_lines(list_id)
    if not coming and not ready:
        return ""
    base_url = get_settings().base_url
    heading = "Jadwal perekaman KTP-el" if coming else "Kabar KTP-el"
    lines = [f"{heading} untuk warga {area_label}:"]
    for sid, session in sorted(
        coming.items(), key=lambda item: (item[1]["day"], item[1]["starts"] or time.min)
    ):
        names = sorted(
            (row["full_name"] for row in rows if row["outreach_session"] == sid), key=str.lower
        )
        lines += ["", session_text(session) + ":", *(f"- {name}" for name in names)]
        if session["public"]:
            lines.append("Info: " + absolute_url(base_url, f"/jadwal/{sid}"))
    lines += ready
    needs = absolute_url(base_url, "/persyaratan")
    footer = f"Perekaman KTP-el gratis. Yang perlu dibawa: {needs}" if coming else COLLECT
    return "\n".join([*lines, "", footer])

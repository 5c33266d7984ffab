"""The message a coordinator passes on to residents who have been scheduled: who records
when and where, grouped by session, ready to paste into the RT's WhatsApp group.

Residents hear about their session from their RT, not from the office (that is how jemput
bola works today), so the portal writes the message the RT would otherwise type by hand.
Only names go in, never a NIK or a birth date: the message leaves the portal. Sessions that
are cancelled or already over are left out; a link to the public session page is added only
when the session is public.
"""

from __future__ import annotations

from datetime import time

from portal.clock import today_local
from portal.public.links import absolute_url
from portal.residents.status import session_text, sessions_by_id
from portal.residents.validation import ListArea
from portal.settings import get_settings
from portal.tables.residents import Resident, ResidentList


async def schedule_message(lst: ResidentList, area: ListArea) -> str:
    """The message, or "" when nobody in the list is scheduled into a coming session."""
    rows = await Resident.select(Resident.full_name, Resident.outreach_session).where(
        Resident.resident_list == lst.id,
        Resident.status == "dijadwalkan",
        Resident.outreach_session.is_not_null(),
    )
    sessions = await sessions_by_id({row["outreach_session"] for row in rows})
    today = today_local()
    coming = {
        sid: session
        for sid, session in sessions.items()
        if not session["cancelled"] and session["day"] >= today
    }
    if not coming:
        return ""
    base_url = get_settings().base_url
    lines = [f"Jadwal perekaman KTP-el untuk warga {area.label}:"]
    for sid, session in sorted(
        coming.items(), key=lambda item: (item[1]["day"], item[1]["starts"] or time.min)
    ):
        names = sorted(
            (row["full_name"] for row in rows if row["outreach_session"] == sid), key=str.lower
        )
        lines += ["", session_text(session) + ":", *(f"- {name}" for name in names)]
        if session["public"]:
            lines.append("Info: " + absolute_url(base_url, f"/jadwal/{sid}"))
    lines += [
        "",
        "Perekaman KTP-el gratis. Yang perlu dibawa: " + absolute_url(base_url, "/persyaratan"),
    ]
    return "\n".join(lines)

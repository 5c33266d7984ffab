"""One resident of a coordinator's list: what the coordinator may see of them (status line,
staff notes meant for the coordinator, history), and the correction staff asked for, sent
back in one write transaction with its history event and audit line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from portal.coordinator.columns import columns
from portal.coordinator.resident_check import CheckedResident
from portal.coordinator.resident_list import OwnList, record, resident_rows
from portal.coordinator.rows import changes, check_edit, draft_key, now
from portal.coordinator.status_lines import StatusLine, status_lines
from portal.domain.errors import Conflict
from portal.domain.scope import Scope
from portal.domain.transactions import write_transaction
from portal.tables.residents import DraftEntry, Resident, ResidentEvent


@dataclass
class ResidentView:
    row: dict[str, Any]
    line: StatusLine
    events: list[dict[str, Any]]


async def resident_view(own: OwnList, resident: Resident) -> ResidentView:
    rows = await resident_rows(own, Resident.id == resident.id)
    lines = await status_lines(rows)
    events = (
        await ResidentEvent.select(
            *columns(ResidentEvent, "at action from_status to_status reason")
        )
        .where(ResidentEvent.resident == resident.id)
        .order_by(ResidentEvent.at)
    )
    return ResidentView(rows[0], lines[resident.id], events)


async def resubmit_resident(
    access: Scope, own: OwnList, resident: Resident, raw: dict[str, Any]
) -> CheckedResident:
    """Fix a resident staff sent back (perlu perbaikan) and send it again (→ diterima).
    A row with errors is not sent; its input is kept (autosave)."""
    if resident.status != "perlu_perbaikan":
        raise Conflict("Warga ini tidak sedang menunggu perbaikan.")
    checked = await check_edit(access, own, resident, raw)
    if not checked.ok:
        return checked
    async with write_transaction():
        moment = now()
        changed = (
            await Resident.update(
                {
                    **changes(checked),
                    Resident.status: "diterima",
                    Resident.status_reason: "",
                    Resident.updated_at: moment,
                    Resident.version: Resident.version + 1,
                }
            )
            .where(Resident.id == resident.id, Resident.status == "perlu_perbaikan")
            .returning(Resident.id)
        )
        if not changed:
            raise Conflict("Status warga ini baru saja diubah petugas. Muat ulang halaman.")
        await ResidentEvent(
            resident=resident.id,
            at=moment,
            actor=access.user_id,
            action="resubmit",
            from_status="perlu_perbaikan",
            to_status="diterima",
            reason="Diperbaiki koordinator",
        ).save()
        await DraftEntry.delete().where(DraftEntry.key == draft_key(own, resident.id))
        await record(access, "resident.resubmit", own, resident.id)
    return checked

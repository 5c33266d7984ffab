"""One resident of a coordinator's list: what the coordinator may see of them (status line,
staff notes meant for the coordinator, history), and the correction staff asked for, sent
back in one write transaction with its history event and audit line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from portal.coordinator.resident_check import CheckedResident
from portal.coordinator.resident_fields import with_saved_nik
from portal.coordinator.resident_list import OwnList, resident_rows
from portal.coordinator.rows import autosave, check_row, draft_key, now, resident_values
from portal.coordinator.status_lines import StatusLine, status_lines
from portal.domain import audit
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
            ResidentEvent.at,
            ResidentEvent.action,
            ResidentEvent.from_status,
            ResidentEvent.to_status,
            ResidentEvent.reason,
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
    checked = await check_row(own, with_saved_nik(raw, resident.nik), resident_id=resident.id)
    if not checked.ok:
        await autosave(access, own, resident.id, raw)
        checked.raw = dict(raw)
        return checked
    changes = {getattr(Resident, k): v for k, v in resident_values(checked).items()}
    async with write_transaction():
        moment = now()
        changed = (
            await Resident.update(
                {
                    **changes,
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
        await audit.record(
            access.actor,
            "resident.resubmit",
            office_id=own.area.office_id,
            object_type="resident",
            object_id=resident.id,
            detail={"list": own.key},
        )
    return checked

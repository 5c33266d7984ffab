"""Privacy operations: minimising old personal data, and answering "who saw this NIK?".

`purge_residents` (``portal purge``, safe to run daily from cron) minimises residents whose
case has been closed (recorded, rejected, duplicate) for longer than
``settings.purge_after_days``, counted from their latest activity (the resident row's
``updated_at`` or its newest ResidentEvent, whichever is later). Name, NIK, phone, birth
date, address and free-text notes go; status, category, office, region, RT/RW and dates of
the process stay, so progress figures do not change. Audit entries are never touched.

Each batch of residents is minimised in one write transaction together with its audit
line ("resident.purge", by ``Actor.system("portal purge")``): a crash mid-run leaves whole
batches done and recorded, and the rest for tomorrow's run.

Audit convention for NIK disclosure: an action that shows or exports full NIKs records
``detail=audit.nik_access_detail([resident ids])`` (an export lists every resident it held);
the staff "show NIK" action (``nik_viewed``, object_type "resident") counts by its name.
`nik_access_log` answers the breach question for one resident in one query on either
engine.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from portal.domain import audit
from portal.domain.actor import Actor
from portal.domain.transactions import is_postgres, write_transaction
from portal.domain.vocabulary import FINAL_STATUSES

PURGER = Actor.system("portal purge")

PURGED_NAME = "(dihapus)"
BATCH = 500


async def _in_batches(
    ids: list[int],
    action: str,
    object_type: str,
    detail: dict[str, Any],
    minimise: Callable[[list[int]], Awaitable[None]],
) -> None:
    """``minimise`` each batch of ``ids`` in one write transaction with its audit line: a
    crash mid-run leaves whole batches done and recorded, and the rest for the next run."""
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        async with write_transaction():
            await minimise(chunk)
            await audit.record(
                PURGER,
                action,
                object_type=object_type,
                object_id="",
                detail={"count": len(chunk), **detail},
            )


@dataclass(frozen=True)
class PurgeReport:
    cutoff: datetime
    purged: int
    resident_ids: list[int]


async def purge_candidates(cutoff: datetime) -> list[int]:
    from portal.tables.residents import Resident, ResidentEvent

    rows = await Resident.select(Resident.id).where(
        Resident.purged_at.is_null(),
        Resident.status.is_in(sorted(FINAL_STATUSES)),
        Resident.updated_at < cutoff,
    )
    ids = [row["id"] for row in rows]
    recent: set[int] = set()
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        events = await ResidentEvent.select(ResidentEvent.resident).where(
            ResidentEvent.resident.is_in(chunk), ResidentEvent.at >= cutoff
        )
        recent.update(e["resident"] for e in events)
    return [i for i in ids if i not in recent]


async def purge_residents(
    after_days: int, *, now: datetime | None = None, dry_run: bool = False
) -> PurgeReport:
    from portal.tables.residents import Resident, ResidentEvent, ResidentNote

    now = now or datetime.now(UTC)
    cutoff = now - timedelta(days=after_days)
    ids = await purge_candidates(cutoff)
    if dry_run or not ids:
        return PurgeReport(cutoff, len(ids), ids)

    async def minimise(chunk: list[int]) -> None:
        await Resident.update(
            {
                Resident.full_name: PURGED_NAME,
                Resident.name_key: PURGED_NAME,
                Resident.nik: None,
                Resident.phone: None,
                Resident.birth_date: None,
                Resident.eligible_from: None,
                Resident.married: False,
                Resident.address: "",
                Resident.note: "",
                Resident.status_reason: "",
                Resident.warnings: "[]",
                Resident.purged_at: now,
                Resident.version: Resident.version + 1,
            }
        ).where(Resident.id.is_in(chunk), Resident.purged_at.is_null())
        await ResidentNote.update({ResidentNote.body: PURGED_NAME}).where(
            ResidentNote.resident.is_in(chunk)
        )
        await ResidentEvent.update({ResidentEvent.reason: ""}).where(
            ResidentEvent.resident.is_in(chunk)
        )

    detail = {"after_days": after_days, "cutoff": cutoff.isoformat()}
    await _in_batches(ids, "resident.purge", "resident", detail, minimise)
    return PurgeReport(cutoff, len(ids), ids)


PARSED_DAYS = 7  # an office import nobody confirmed or cancelled in a week is cancelled


@dataclass(frozen=True)
class OfficePurgeReport:
    cutoff: datetime
    people: int  # office people minimised
    imports_cancelled: int  # imports left "parsed" too long


async def purge_office_people(
    after_days: int, *, now: datetime | None = None, dry_run: bool = False
) -> OfficePurgeReport:
    """Minimise office people whose case is closed — gone from the export, a report staff
    have handled, or linked to a resident (whose own purge covers the rest) — since before
    the cutoff, counted from ``updated_at`` (docs/drive.md §8). Village, RT/RW, outcome and
    dates stay, so coverage and figures do not change. Imports left ``parsed`` for a week
    are cancelled, their file and staged rows deleted."""
    from portal.staff.office_import_apply import delete_file
    from portal.tables.office_lists import OfficeImport, OfficePerson

    now = now or datetime.now(UTC)
    cutoff = now - timedelta(days=after_days)
    closed = (
        OfficePerson.gone_import.is_not_null()
        | OfficePerson.handled_at.is_not_null()
        | OfficePerson.resident.is_not_null()
    )
    rows = await OfficePerson.select(OfficePerson.id).where(
        OfficePerson.purged_at.is_null(), OfficePerson.updated_at < cutoff, closed
    )
    ids = [r["id"] for r in rows]
    stale = await OfficeImport.select(OfficeImport.id, OfficeImport.public_id).where(
        OfficeImport.state == "parsed", OfficeImport.parsed_at < now - timedelta(days=PARSED_DAYS)
    )
    if dry_run:
        return OfficePurgeReport(cutoff, len(ids), len(stale))

    async def minimise(chunk: list[int]) -> None:
        await OfficePerson.update(
            {
                OfficePerson.full_name: PURGED_NAME,
                OfficePerson.name_key: PURGED_NAME,
                OfficePerson.nik: None,
                OfficePerson.birth_date: None,
                OfficePerson.address: "",
                OfficePerson.fingerprint: "",
                OfficePerson.outcome_detail: "",
                OfficePerson.outcome_note: "",
                OfficePerson.purged_at: now,
                OfficePerson.version: OfficePerson.version + 1,
            }
        ).where(OfficePerson.id.is_in(chunk), OfficePerson.purged_at.is_null())

    detail = {"after_days": after_days, "cutoff": cutoff.isoformat()}
    await _in_batches(ids, "office_person.purge", "office_person", detail, minimise)
    for row in stale:
        async with write_transaction():
            done = (
                await OfficeImport.update(
                    {
                        OfficeImport.state: "cancelled",
                        OfficeImport.cancelled_at: now,
                        OfficeImport.version: OfficeImport.version + 1,
                    }
                )
                .where(OfficeImport.id == row["id"], OfficeImport.state == "parsed")
                .returning(OfficeImport.id)
            )
            if done:
                await delete_file(row["id"])
                await audit.record(
                    PURGER,
                    "office_import.cancel",
                    object_type="office_import",
                    object_id=str(row["public_id"]),
                    detail={"reason": "parsed_too_long", "days": PARSED_DAYS},
                )
    return OfficePurgeReport(cutoff, len(ids), len(stale))


# `nik_viewed`: the staff "show NIK" action, a disclosure by its nature.

NIK_ACCESS_SQL = {
    "postgres": """
        SELECT at, actor_name, role, action, ip
        FROM audit_entry
        WHERE (object_type = 'resident' AND object_id = {}
               AND (action IN ('nik_viewed')
                    OR (detail::jsonb ->> 'nik_revealed')::boolean IS TRUE))
           OR ((detail::jsonb ->> 'nik_revealed')::boolean IS TRUE
               AND detail::jsonb -> 'resident_ids' @> to_jsonb({}::int))
        ORDER BY at, id
    """,
    "sqlite": """
        SELECT at, actor_name, role, action, ip
        FROM audit_entry
        WHERE (object_type = 'resident' AND object_id = {}
               AND (action IN ('nik_viewed')
                    OR json_extract(detail, '$.nik_revealed') = 1))
           OR (json_extract(detail, '$.nik_revealed') = 1
               AND EXISTS (SELECT 1 FROM json_each(detail, '$.resident_ids')
                           WHERE json_each.value = {}))
        ORDER BY at, id
    """,
}


async def nik_access_log(resident_id: int) -> list[dict[str, Any]]:
    """Every audit entry that showed or exported this resident's full NIK, oldest first."""
    from portal.tables.accounts import AuditEntry

    sql = NIK_ACCESS_SQL["postgres" if is_postgres() else "sqlite"]
    return await AuditEntry.raw(sql, str(resident_id), int(resident_id))


OFFICE_PERSON_NIK_SQL = {
    "postgres": """
        SELECT at, actor_name, role, action, ip
        FROM audit_entry
        WHERE (detail::jsonb ->> 'nik_revealed')::boolean IS TRUE
          AND detail::jsonb -> 'office_person_ids' @> to_jsonb({}::int)
        ORDER BY at, id
    """,
    "sqlite": """
        SELECT at, actor_name, role, action, ip
        FROM audit_entry
        WHERE json_extract(detail, '$.nik_revealed') = 1
          AND EXISTS (SELECT 1 FROM json_each(detail, '$.office_person_ids')
                      WHERE json_each.value = {})
        ORDER BY at, id
    """,
}


async def office_person_nik_log(person_id: int) -> list[dict[str, Any]]:
    """Every audit entry that showed or exported this office-list person's full NIK (the
    entries list them in ``office_person_ids``, docs/drive.md §7), oldest first."""
    from portal.tables.accounts import AuditEntry

    sql = OFFICE_PERSON_NIK_SQL["postgres" if is_postgres() else "sqlite"]
    return await AuditEntry.raw(sql, int(person_id))

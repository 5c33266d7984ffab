"""A coordinator's list and its page: finding one of their own lists, its counts, and the
page of residents shown (filtered by status and paged in SQL).

A list is found only among the signed-in coordinator's own (``Scope.owner_where``), so
another coordinator's list id answers exactly like one that does not exist.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from piccolo.columns.combination import WhereRaw
from piccolo.query.functions.aggregate import Count

from portal.coordinator.area import ListArea, list_area
from portal.coordinator.columns import columns
from portal.coordinator.schedule_message import schedule_message
from portal.coordinator.status_lines import StatusLine, status_lines
from portal.domain import audit
from portal.domain.errors import NotFound
from portal.domain.paging import Pager
from portal.domain.scope import Scope
from portal.domain.vocabulary import COUNT_ORDER
from portal.rules.nik import mask_nik
from portal.tables.residents import Resident, ResidentList


@dataclass
class OwnList:
    """One of the signed-in coordinator's lists, with its area, as it was read."""

    row: ResidentList
    area: ListArea

    def __post_init__(self) -> None:
        self.id: int = self.row.id
        self.key = str(self.row.public_id)  # the list's id in addresses
        self.state: str = self.row.state
        self.is_draft = self.state == "draft"


def public_key(text: str) -> uuid.UUID:
    """The id of a list or batch in an address; anything else is not found."""
    try:
        return uuid.UUID(str(text))
    except ValueError:
        raise NotFound() from None


async def open_list(access: Scope, public_id: str) -> OwnList:
    key = public_key(public_id)
    row = (
        await ResidentList.objects()
        .where(ResidentList.public_id == key, access.owner_where(ResidentList.coordinator))
        .first()
    )
    if row is None:
        raise NotFound()
    return OwnList(row, await list_area(row))


async def own_list(access: Scope, list_id: int) -> ResidentList | None:
    """One of the coordinator's lists by its row id (as a form token records it)."""
    return (
        await ResidentList.objects()
        .where(ResidentList.id == list_id, access.owner_where(ResidentList.coordinator))
        .first()
    )


async def open_list_by_id(access: Scope, list_id: int) -> OwnList:
    row = await own_list(access, list_id)
    if row is None:
        raise NotFound()
    return OwnList(row, await list_area(row))


async def get_resident(own: OwnList, resident_id: int | None) -> Resident:
    resident = (
        await Resident.objects()
        .where(Resident.id == (resident_id or 0), Resident.resident_list == own.id)
        .first()
    )
    if resident is None:
        raise NotFound()
    return resident


async def status_counts(list_ids: list[int]) -> dict[int, Counter]:
    result: dict[int, Counter] = {}
    if not list_ids:
        return result
    rows = (
        await Resident.select(Resident.resident_list, Resident.status, Count(Resident.id))
        .where(Resident.resident_list.is_in(list_ids))
        .group_by(Resident.resident_list, Resident.status)
    )
    for row in rows:
        result.setdefault(row["resident_list"], Counter())[row["status"]] = row["count"]
    return result


async def record(
    access: Scope, action: str, own: OwnList, resident_id: int | None = None, **detail: Any
) -> None:
    """The audit line of a change to a list, or to one resident on it (by id: never a NIK)."""
    if resident_id is not None:
        detail = {"list": own.key, **detail}
    await audit.record(
        access.actor,
        action,
        office_id=own.area.office_id,
        object_type="resident" if resident_id is not None else "resident_list",
        object_id=resident_id if resident_id is not None else own.key,
        detail=detail,
    )


def ordered_counts(counts: Counter) -> list[tuple[str, int]]:
    """(status, count) in the order a coordinator reads them, zeros left out."""
    return [(s, counts[s]) for s in COUNT_ORDER if counts.get(s)]


# ---------------------------------------------------------------- residents shown

ROW_COLUMNS = columns(
    Resident,
    "id full_name nik birth_date sex address rw rt phone category warnings warn_nik "
    "warn_duplicate warn_under_age eligible_from status status_reason reject_code "
    "outreach_session recorded_on recorded_place guardian_consent married",
)


def shown(row: dict[str, Any]) -> dict[str, Any]:
    """A resident as coordinator pages show it: the NIK masked, never the full number once
    saved."""
    row["nik_masked"] = mask_nik(row.pop("nik") or "")
    return row


async def resident_rows(
    own: OwnList, *where: Any, newest_first: bool = False, limit: int = 0, offset: int = 0
) -> list[dict[str, Any]]:
    query = (
        Resident.select(*ROW_COLUMNS)
        .where(Resident.resident_list == own.id, *where)
        .order_by(Resident.id, ascending=not newest_first)
        .output(load_json=True)
    )
    if limit:
        query = query.limit(limit).offset(offset)
    return [shown(row) for row in await query]


# Rows whose warnings list is not empty, the same test on both engines (JSON stored as text).
_WARNED = WhereRaw("CAST(warnings AS TEXT) <> '[]'")


@dataclass
class ListPage:
    residents: list[dict]
    pager: Pager
    status: str  # the status filter, "" for all
    counts: list[tuple[str, int]]
    total: int  # residents on the list
    warnings_count: int = 0
    can_withdraw: bool = False
    lines: dict[int, StatusLine] = field(default_factory=dict)
    schedule_message: str = ""


async def list_page(
    own: OwnList, *, status: str = "", page: object = 1, editing_id: int | None = None
) -> ListPage:
    """The page of residents asked for; with ``editing_id`` the page holding that one.
    A draft shows the newest first, so the row just added is the first one seen."""
    counts = (await status_counts([own.id])).get(own.id, Counter())
    total = sum(counts.values())
    where = [Resident.status == status] if status else []
    listed = counts.get(status, 0) if status else total
    pager = Pager.of(page, listed)
    if editing_id is not None:
        pager = Pager(await _page_of(own, where, editing_id, pager), pager.pages, listed)
    rows = await resident_rows(
        own, *where, newest_first=own.is_draft, limit=pager.size, offset=pager.offset
    )
    result = ListPage(rows, pager, status, ordered_counts(counts), total)
    if own.is_draft:
        result.warnings_count = await Resident.count().where(
            Resident.resident_list == own.id, _WARNED
        )
        return result
    result.lines = await status_lines(rows)
    if own.state == "submitted":
        result.can_withdraw = set(counts) <= {"diterima"}
        result.schedule_message = await schedule_message(own.id, own.area.label)
    return result


async def _page_of(own: OwnList, where: list, resident_id: int, pager: Pager) -> int:
    """The page number on which ``resident_id`` stands in the listing (the first page when
    it is not in it)."""
    listing = [Resident.resident_list == own.id, *where]
    if not await Resident.exists().where(Resident.id == resident_id, *listing):
        return 1
    before = Resident.id > resident_id if own.is_draft else Resident.id < resident_id
    position = await Resident.count().where(before, *listing)
    return position // pager.size + 1


async def print_rows(own: OwnList) -> tuple[list[dict], dict[int, StatusLine]]:
    """Every resident for the printed round sheet, with their status lines."""
    rows = await resident_rows(own)
    return rows, await status_lines(rows)

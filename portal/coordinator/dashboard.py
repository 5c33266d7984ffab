"""A coordinator's home: their lists, drafts first, with what staff have done so far, and
which submitted lists have a schedule message to pass on."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from portal.coordinator.area import area_label
from portal.coordinator.columns import columns
from portal.coordinator.new_list import Choices, choices
from portal.coordinator.resident_list import ordered_counts, status_counts
from portal.coordinator.schedule_message import lists_with_a_message
from portal.domain.scope import Scope
from portal.tables.residents import ResidentList


@dataclass
class Dashboard:
    drafts: list[dict[str, Any]]  # drafts and withdrawn lists
    submitted: list[dict[str, Any]]
    totals: list[tuple[str, int]]  # residents of every submitted list, by status
    with_message: set[int]
    where: Choices


async def my_lists(access: Scope) -> list[dict[str, Any]]:
    rows = (
        await ResidentList.select(
            *columns(ResidentList, "id public_id title state rw rt created_at submitted_at"),
            ResidentList.village.name.as_alias("village_name"),
            ResidentList.village.kind.as_alias("village_kind"),
        )
        .where(access.owner_where(ResidentList.coordinator))
        .order_by(ResidentList.created_at, ascending=False)
    )
    counts = await status_counts([row["id"] for row in rows])
    for row in rows:
        row["key"] = str(row["public_id"])
        row["area"] = area_label(row["village_kind"], row["village_name"], row["rw"], row["rt"])
        row["counts"] = counts.get(row["id"], Counter())
        row["total"] = sum(row["counts"].values())
    return rows


async def dashboard(access: Scope) -> Dashboard:
    lists = await my_lists(access)
    submitted = [row for row in lists if row["state"] == "submitted"]
    totals: Counter = Counter()
    for row in submitted:
        totals.update(row["counts"])
    return Dashboard(
        drafts=[row for row in lists if row["state"] != "submitted"],
        submitted=submitted,
        totals=ordered_counts(totals),
        with_message=await lists_with_a_message([row["id"] for row in submitted]),
        where=await choices(access),
    )

"""How far the office's list has been checked (``staff:coverage``): per kecamatan, then per
kelurahan/desa, then per RT; who covers each RT; and which coordinators have not opened
their list since the latest import, each with a reminder ready to send.

Counting is SQL (one GROUP BY over the register, by place and outcome); Python only adds
the groups up level by level and matches them to the coordinators' areas. A reminder says
how many names are waiting and where, never whose (docs/drive.md §8).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from piccolo.query.functions.aggregate import Count

from portal.coordinator.area import area_label
from portal.domain.actor import fk_id
from portal.domain.links import whatsapp_share_url
from portal.domain.office_list import Progress, current
from portal.domain.regions import KecamatanRef, RegionTree, VillageRef, region_tree
from portal.domain.scope import Area, Scope
from portal.domain.vocabulary import OFFICE_OUTCOMES
from portal.tables.accounts import User
from portal.tables.office_lists import OfficeImport, OfficeListVisit, OfficePerson

NO_COORDINATOR = "Tanpa koordinator"


@dataclass
class Tally(Progress):
    """People listed in a place (``total``), how many were checked, by outcome, and how
    many live in an RT no coordinator covers."""

    uncovered: int = 0

    def add(self, outcome: str | None, count: int, covered: bool) -> None:
        self.total += count
        if outcome is not None:
            self.by_outcome[outcome] = self.by_outcome.get(outcome, 0) + count
        if not covered:
            self.uncovered += count

    def outcome(self, code: str) -> int:
        return self.by_outcome.get(code, 0)


@dataclass(frozen=True)
class Group:
    """One row of the GROUP BY: a place (down to the RT) and an outcome, with its count."""

    kecamatan_id: int
    village_id: int
    rw: str | None
    rt: str | None
    outcome: str | None
    count: int


@dataclass(frozen=True)
class Coordinator:
    id: int
    full_name: str
    office_id: int
    area: Area


def covering(coordinators: Iterable[Coordinator], village_id: int, rw: Any, rt: Any) -> list[str]:
    """Names of the coordinators whose area holds this place."""
    return [c.full_name for c in coordinators if c.area.holds(village_id, rw, rt)]


@dataclass
class Row:
    """A line of the table: a kecamatan, a village or an RT, with its tally."""

    key: Any  # kecamatan / village code, or (rw, rt)
    name: str
    tally: Tally
    coordinators: list[str] = field(default_factory=list)


def roll_up(
    groups: Iterable[Group],
    coordinators: list[Coordinator],
    level: str,
    regions: RegionTree,
) -> list[Row]:
    """The groups added up per kecamatan, per village or per RT (``level``)."""
    rows: dict[Any, Row] = {}
    for g in groups:
        names = covering(coordinators, g.village_id, g.rw, g.rt)
        key: Any
        if level == "kecamatan":
            kec = regions.kecamatan_by_id(g.kecamatan_id)
            key, name = (kec.code, f"Kec. {kec.name}") if kec else (g.kecamatan_id, "?")
        elif level == "village":
            village = regions.village(g.village_id)
            key, name = (village.code, village.label) if village else (g.village_id, "?")
        else:
            key, name = (g.rw or "", g.rt or ""), rt_rw_name(g.rw, g.rt)
        row = rows.setdefault(key, Row(key, name, Tally()))
        row.tally.add(g.outcome, g.count, covered=bool(names))
        if level == "rt":
            row.coordinators = names or [NO_COORDINATOR]
    return sorted(rows.values(), key=lambda r: (str(r.key), r.name))


def rt_rw_name(rw: str | None, rt: str | None) -> str:
    return f"RW {rw or '–'} / RT {rt or '–'}"


def total(rows: Iterable[Row]) -> Tally:
    result = Tally()
    for row in rows:
        result.total += row.tally.total
        result.uncovered += row.tally.uncovered
        for code, count in row.tally.by_outcome.items():
            result.by_outcome[code] = result.by_outcome.get(code, 0) + count
    return result


# ---------------------------------------------------------------- reminders


@dataclass(frozen=True)
class Reminder:
    coordinator_id: int
    full_name: str
    area: str
    listed: int
    unchecked: int
    text: str

    @property
    def share_url(self) -> str:
        return whatsapp_share_url(self.text)


def reminder_text(full_name: str, area: str, unchecked: int, listed: int, link: str) -> str:
    """The message for a coordinator who has not opened their list: counts and the area,
    never a resident's name or NIK."""
    waiting = f"{unchecked} nama belum dicek" if unchecked else f"{listed} nama"
    return (
        f"Yth. {full_name}, daftar warga belum rekam KTP-el dari Dispendukcapil untuk "
        f"{area} sudah ada di Portal Rekam KTP-el: {waiting}. Mohon dicek apakah mereka "
        f"masih tinggal di wilayah Anda, lalu tandai di portal: {link}"
    )


def tally_of(groups: Iterable[Group], area: Area) -> Tally:
    result = Tally()
    for g in groups:
        if area.holds(g.village_id, g.rw, g.rt):
            result.add(g.outcome, g.count, covered=True)
    return result


# ---------------------------------------------------------------- the page


@dataclass
class CoverageView:
    level: str  # kecamatan | village | rt
    kecamatan: KecamatanRef | None
    village: VillageRef | None
    rows: list[Row]
    total: Tally
    imported_at: datetime | None  # the latest applied import (of any office shown)
    reminders: list[Reminder]
    opened: int  # coordinators with people listed who opened their list
    outcomes: ClassVar = tuple(OFFICE_OUTCOMES.items())


async def coverage(
    access: Scope, kecamatan_code: str, village_code: str, list_link: str
) -> CoverageView:
    """The coverage page at the level asked for; ``list_link``: the address of the
    coordinators' list page, for the reminders."""
    access.require_staff()
    regions = await region_tree(access.listing_ids)
    kecamatan = regions.kecamatan_by_code(kecamatan_code)
    village = regions.village_by_code(village_code)
    if village is not None and (kecamatan is None or village.kecamatan_id != kecamatan.id):
        kecamatan = regions.kecamatan_by_id(village.kecamatan_id)
    where: list[Any] = [access.office_where(OfficePerson.office), current()]
    if village is not None:
        where.append(OfficePerson.village == village.id)
    elif kecamatan is not None:
        where.append(OfficePerson.kecamatan == kecamatan.id)
    groups = await _groups(where)
    coordinators = await _coordinators(access)
    level = "rt" if village else "village" if kecamatan else "kecamatan"
    rows = roll_up(groups, coordinators, level, regions)
    imports = await _latest_imports(access)
    reminders, opened = await _reminders(groups, coordinators, imports, regions, list_link)
    return CoverageView(
        level=level,
        kecamatan=kecamatan,
        village=village,
        rows=rows,
        total=total(rows),
        imported_at=max((at for _, at in imports.values() if at), default=None),
        reminders=reminders,
        opened=opened,
    )


async def _groups(where: list[Any]) -> list[Group]:
    # Read and grouped by the same keys: a place down to the RT, and an outcome.
    keys = (
        OfficePerson.kecamatan,
        OfficePerson.village,
        OfficePerson.rw,
        OfficePerson.rt,
        OfficePerson.outcome,
    )
    rows = await OfficePerson.select(*keys, Count(OfficePerson.id)).where(*where).group_by(*keys)
    return [
        Group(r["kecamatan"], r["village"], r["rw"], r["rt"], r["outcome"], r["count"])
        for r in rows
    ]


async def _coordinators(access: Scope) -> list[Coordinator]:
    rows = await User.select(
        User.id,
        User.full_name,
        User.office,
        User.scope_kecamatan,
        User.scope_village,
        User.scope_rw,
        User.scope_rt,
    ).where(
        User.role == "coordinator",
        User.active.eq(True),
        User.scope_village.is_not_null(),
        access.office_where(User.office),
    )
    return [
        Coordinator(
            r["id"],
            r["full_name"],
            r["office"],
            Area(r["scope_kecamatan"], fk_id(r["scope_village"]), r["scope_rw"], r["scope_rt"]),
        )
        for r in rows
    ]


async def _latest_imports(access: Scope) -> dict[int, tuple[int, datetime | None]]:
    """{office id: (import id, applied at)} of the latest applied import of each office."""
    rows = (
        await OfficeImport.select(OfficeImport.id, OfficeImport.office, OfficeImport.applied_at)
        .where(access.office_where(OfficeImport.office), OfficeImport.state == "applied")
        .order_by(OfficeImport.applied_at)
        .order_by(OfficeImport.id)
    )
    return {r["office"]: (r["id"], r["applied_at"]) for r in rows}


async def _reminders(
    groups: list[Group],
    coordinators: list[Coordinator],
    imports: dict[int, tuple[int, datetime | None]],
    regions: RegionTree,
    list_link: str,
) -> tuple[list[Reminder], int]:
    """Coordinators with people listed in their area (at this level) who have not opened
    their list of their office's latest import; and how many did."""
    import_ids = [import_id for import_id, _ in imports.values()]
    visits = await OfficeListVisit.select(
        OfficeListVisit.coordinator, OfficeListVisit.office_import
    ).where(OfficeListVisit.office_import.is_in(import_ids or [-1]))
    seen = {(v["coordinator"], v["office_import"]) for v in visits}
    reminders, opened = [], 0
    for c in coordinators:
        tally = tally_of(groups, c.area)
        latest = imports.get(c.office_id)
        if not tally.total or latest is None:
            continue
        if (c.id, latest[0]) in seen:
            opened += 1
            continue
        village = regions.village(c.area.village_id)
        area = area_label(village.kind, village.name, c.area.rw, c.area.rt) if village else ""
        text = reminder_text(c.full_name, area, tally.unchecked, tally.total, list_link)
        reminders.append(Reminder(c.id, c.full_name, area, tally.total, tally.unchecked, text))
    return sorted(reminders, key=lambda r: (r.area, r.full_name)), opened

"""Load the reference content of ``portal/data/mojokerto.yaml`` into the database.

Idempotent and respectful of staff edits: rows are matched on their natural key (code or
slug) and only missing ones are inserted, so running it again changes nothing and never
overwrites what staff maintained through the portal. What a run added is one audit line,
written in the same transaction.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any, TypeVar

from piccolo.table import Table

from portal.content.seed import Seed, load_seed
from portal.domain import audit
from portal.domain.actor import Actor
from portal.domain.transactions import write_transaction
from portal.tables.content import PublishedFigure, Requirement, SiteRevision
from portal.tables.locations import Location, LocationArea, OpeningHours, SpecialDay
from portal.tables.regions import Kecamatan, Office, Village

T = TypeVar("T", bound=Table)


async def load_content(seed: Seed | None = None, actor: Actor | None = None) -> dict[str, int]:
    """Insert what is missing; return how many rows of each kind were added. ``actor``: who
    loads (default: the ``portal`` command)."""
    seed = seed or load_seed()
    added: dict[str, int] = {}
    async with write_transaction():
        offices = await _offices(seed, added)
        kecamatan = await _regions(seed, offices, added)
        await _locations(seed, offices, kecamatan, added)
        await _requirements(seed, offices, added)
        await _figures(seed, offices, added)
        if any(added.values()):
            await audit.record(
                actor or Actor.system("portal"),
                "content.loaded",
                object_type="content",
                detail={kind: n for kind, n in added.items() if n},
            )
        if any(added.values()) or not await SiteRevision.exists():
            await bump_revision()
    return added


async def bump_revision() -> None:
    """Tell every worker that public content changed (their page caches check this)."""
    now = datetime.now(UTC)
    row = await SiteRevision.objects().first()
    if row is None:
        await SiteRevision(revision=1, changed_at=now).save()
    else:
        await SiteRevision.update(
            {SiteRevision.revision: SiteRevision.revision + 1, SiteRevision.changed_at: now}
        ).where(SiteRevision.id == row.id)


def seed_row(table: type[T], value: Any, **columns: Any) -> T:
    """A row of ``table`` from a seed value: every field named like one of the table's
    columns (the seed's names follow them), tuples as lists; ``columns`` set the rest, such
    as a slug or code turned into the id it refers to."""
    names = {column._meta.name for column in table._meta.columns}
    copied = {
        f.name: list(v) if isinstance(v := getattr(value, f.name), tuple) else v
        for f in dataclasses.fields(value)
        if f.name in names
    }
    return table(**{**copied, **columns})


async def _insert(table: type[Table], rows: list[Any], added: dict[str, int], kind: str) -> None:
    if rows:
        await table.insert(*rows)
    added[kind] = len(rows)


async def _offices(seed: Seed, added: dict[str, int]) -> dict[str, int]:
    existing = {r["slug"] for r in await Office.select(Office.slug)}
    new = [seed_row(Office, o) for o in seed.offices if o.slug not in existing]
    await _insert(Office, new, added, "offices")
    return {r["slug"]: r["id"] for r in await Office.select(Office.slug, Office.id)}


async def _regions(seed: Seed, offices: dict[str, int], added: dict[str, int]) -> dict[str, int]:
    known = {r["code"] for r in await Kecamatan.select(Kecamatan.code)}
    new = [
        seed_row(Kecamatan, k, office=offices[k.office])
        for k in seed.kecamatan
        if k.code not in known
    ]
    await _insert(Kecamatan, new, added, "kecamatan")
    kecamatan = {r["code"]: r["id"] for r in await Kecamatan.select(Kecamatan.code, Kecamatan.id)}
    known_villages = {r["code"] for r in await Village.select(Village.code)}
    villages = [
        seed_row(Village, v, kecamatan=kecamatan[k.code])
        for k in seed.kecamatan
        for v in k.villages
        if v.code not in known_villages
    ]
    await _insert(Village, villages, added, "villages")
    return kecamatan


async def _locations(
    seed: Seed, offices: dict[str, int], kecamatan: dict[str, int], added: dict[str, int]
) -> None:
    known = {r["slug"] for r in await Location.select(Location.slug)}
    count = 0
    now = datetime.now(UTC)
    for loc in seed.locations:
        if loc.slug in known:
            continue
        row = seed_row(
            Location,
            loc,
            office=offices[loc.office],
            kecamatan=kecamatan.get(loc.kecamatan or ""),
            updated_at=now,
        )
        await row.save()
        parts: list[tuple[type[Table], list[Any]]] = [
            (OpeningHours, [seed_row(OpeningHours, h, location=row.id) for h in loc.hours]),
            (SpecialDay, [seed_row(SpecialDay, d, location=row.id) for d in loc.special_days]),
            (LocationArea, [LocationArea(location=row.id, region_code=c) for c in loc.serves]),
        ]
        for table, rows in parts:
            if rows:
                await table.insert(*rows)
        count += 1
    added["locations"] = count


async def _requirements(seed: Seed, offices: dict[str, int], added: dict[str, int]) -> None:
    known = {r["slug"] for r in await Requirement.select(Requirement.slug)}
    now = datetime.now(UTC)
    new = [
        seed_row(Requirement, r, office=offices[r.office] if r.office else None, updated_at=now)
        for r in seed.requirements
        if r.slug not in known
    ]
    await _insert(Requirement, new, added, "requirements")


async def _figures(seed: Seed, offices: dict[str, int], added: dict[str, int]) -> None:
    rows = await PublishedFigure.select(
        PublishedFigure.office, PublishedFigure.label, PublishedFigure.as_of
    )
    known = {(r["office"], r["label"], r["as_of"]) for r in rows}
    new = [
        seed_row(PublishedFigure, f, office=offices[f.office])
        for f in seed.figures
        if (offices[f.office], f.label, f.as_of) not in known
    ]
    await _insert(PublishedFigure, new, added, "figures")

"""Load the reference content of ``portal/data/mojokerto.yaml`` into the database.

Idempotent and respectful of staff edits: rows are matched on their natural key (code or
slug) and only missing ones are inserted, so running it again changes nothing and never
overwrites what staff maintained through the portal.
"""

from __future__ import annotations

from datetime import UTC, datetime

from piccolo.engine.base import Engine

from portal.content.seed import Seed, load_seed
from portal.tables.content import PublishedFigure, Requirement, SiteRevision
from portal.tables.locations import Location, LocationArea, OpeningHours, SpecialDay
from portal.tables.regions import Kecamatan, Office, Village


async def load_content(seed: Seed | None = None) -> dict[str, int]:
    """Insert what is missing; return how many rows of each kind were added."""
    from portal.piccolo_conf import DB

    seed = seed or load_seed()
    added: dict[str, int] = {}
    async with _transaction(DB):
        offices = await _offices(seed, added)
        kecamatan = await _regions(seed, offices, added)
        await _locations(seed, offices, kecamatan, added)
        await _requirements(seed, offices, added)
        await _figures(seed, offices, added)
        if any(added.values()) or not await SiteRevision.exists():
            await bump_revision()
    return added


def _transaction(engine: Engine):
    return engine.transaction()


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


async def _offices(seed: Seed, added: dict[str, int]) -> dict[str, int]:
    existing = {r["slug"]: r["id"] for r in await Office.select(Office.slug, Office.id)}
    new = [
        Office(
            slug=o.slug,
            name=o.name,
            short_name=o.short_name,
            region_code=o.region_code,
            nik_prefix=o.nik_prefix,
            min_age_years=o.min_age_years,
            min_age_months=o.min_age_months,
            min_age_note=o.min_age_note,
            min_age_source=o.min_age_source,
            website=o.website,
            main_location_slug=o.main_location_slug,
        )
        for o in seed.offices
        if o.slug not in existing
    ]
    if new:
        await Office.insert(*new)
    added["offices"] = len(new)
    return {r["slug"]: r["id"] for r in await Office.select(Office.slug, Office.id)}


async def _regions(seed: Seed, offices: dict[str, int], added: dict[str, int]) -> dict[str, int]:
    known = {r["code"] for r in await Kecamatan.select(Kecamatan.code)}
    new = [
        Kecamatan(code=k.code, office=offices[k.office], name=k.name, aliases=list(k.aliases))
        for k in seed.kecamatan
        if k.code not in known
    ]
    if new:
        await Kecamatan.insert(*new)
    added["kecamatan"] = len(new)
    kecamatan = {r["code"]: r["id"] for r in await Kecamatan.select(Kecamatan.code, Kecamatan.id)}
    known_villages = {r["code"] for r in await Village.select(Village.code)}
    villages = [
        Village(
            code=v.code,
            kecamatan=kecamatan[k.code],
            name=v.name,
            kind=v.kind,
            aliases=list(v.aliases),
        )
        for k in seed.kecamatan
        for v in k.villages
        if v.code not in known_villages
    ]
    if villages:
        await Village.insert(*villages)
    added["villages"] = len(villages)
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
        row = Location(
            slug=loc.slug,
            office=offices[loc.office],
            kind=loc.kind,
            name=loc.name,
            address=loc.address,
            kecamatan=kecamatan.get(loc.kecamatan or ""),
            services=list(loc.services),
            accessibility=loc.accessibility,
            notes=loc.notes,
            source=loc.source,
            verified=loc.verified,
            checked_on=loc.checked_on,
            updated_at=now,
        )
        await row.save()
        if loc.hours:
            await OpeningHours.insert(
                *[
                    OpeningHours(
                        location=row.id,
                        weekday=h.weekday,
                        opens=h.opens,
                        closes=h.closes,
                        note=h.note,
                    )
                    for h in loc.hours
                ]
            )
        if loc.special_days:
            await SpecialDay.insert(
                *[
                    SpecialDay(
                        location=row.id,
                        day=d.day,
                        opens=d.opens,
                        closes=d.closes,
                        closed=d.closed,
                        note=d.note,
                    )
                    for d in loc.special_days
                ]
            )
        if loc.serves:
            await LocationArea.insert(
                *[LocationArea(location=row.id, region_code=code) for code in loc.serves]
            )
        count += 1
    added["locations"] = count


async def _requirements(seed: Seed, offices: dict[str, int], added: dict[str, int]) -> None:
    known = {r["slug"] for r in await Requirement.select(Requirement.slug)}
    now = datetime.now(UTC)
    new = [
        Requirement(
            slug=r.slug,
            topic=r.topic,
            office=offices[r.office] if r.office else None,
            title=r.title,
            body=r.body,
            legal_basis=r.legal_basis,
            source=r.source,
            verified=r.verified,
            checked_on=r.checked_on,
            position=r.position,
            updated_at=now,
        )
        for r in seed.requirements
        if r.slug not in known
    ]
    if new:
        await Requirement.insert(*new)
    added["requirements"] = len(new)


async def _figures(seed: Seed, offices: dict[str, int], added: dict[str, int]) -> None:
    rows = await PublishedFigure.select(
        PublishedFigure.office, PublishedFigure.label, PublishedFigure.as_of
    )
    known = {(r["office"], r["label"], r["as_of"]) for r in rows}
    new = [
        PublishedFigure(
            office=offices[f.office],
            label=f.label,
            value=f.value,
            unit=f.unit,
            as_of=f.as_of,
            as_of_text=f.as_of_text,
            source=f.source,
            verified=f.verified,
            position=f.position,
        )
        for f in seed.figures
        if (offices[f.office], f.label, f.as_of) not in known
    ]
    if new:
        await PublishedFigure.insert(*new)
    added["figures"] = len(new)

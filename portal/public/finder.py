"""Cari tempat layanan: office → kecamatan → kelurahan/desa, then the locations that serve
that village (or the office's main location when none does) and its upcoming jemput bola
sessions. Each step is a plain GET; a choice that does not belong to the step above it (the
office was changed) starts that step again."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from portal.domain import regions
from portal.domain.regions import KecamatanRef, OfficeRef, VillageRef
from portal.public import schedule
from portal.public.locations import Listed, one_place, places
from portal.public.schedule import SessionView


@dataclass(frozen=True)
class Finder:
    offices: tuple[OfficeRef, ...]
    office: OfficeRef | None = None
    kec: KecamatanRef | None = None
    village: VillageRef | None = None
    # (value, text) pairs for the three selects
    office_choices: list[tuple[str, str]] = field(default_factory=list)
    kecamatan_choices: list[tuple[str, str]] = field(default_factory=list)
    village_choices: list[tuple[str, str]] = field(default_factory=list)
    results: list[Listed] = field(default_factory=list)
    fallback: Listed | None = None  # the main location, when no location serves the village
    sessions: list[SessionView] = field(default_factory=list)


@dataclass
class FinderQuery:
    """The three steps, as the form sends them."""

    kantor: str = ""
    kecamatan: str = ""
    desa: str = ""


async def find(query: FinderQuery, now: datetime) -> Finder:
    tree = await regions.region_tree()
    office = tree.office_by_slug(query.kantor)
    kec = tree.kecamatan_by_code(query.kecamatan)
    if kec is None or office is None or kec.office_id != office.id:
        kec = None
    village = tree.village_by_code(query.desa)
    if village is None or kec is None or village.kecamatan_id != kec.id:
        village = None
    steps = Finder(
        offices=tree.offices,
        office=office,
        kec=kec,
        village=village,
        office_choices=[(o.slug, o.short_name) for o in tree.offices],
        kecamatan_choices=[(k.code, k.name) for k in tree.kecamatan_of(office.id)]
        if office
        else [],
        village_choices=[(v.code, v.name) for v in kec.villages] if kec else [],
    )
    if office is None or village is None:
        return steps
    serving = await places(tree.offices, serving=village.code)
    main = None if serving else await one_place(tree.offices, office.main_location_slug)
    return replace(
        steps,
        results=[Listed(loc, loc.status(now)) for loc in serving],
        fallback=Listed(main, main.status(now)) if main else None,
        sessions=await schedule.upcoming(
            tree.offices, now.date(), office_id=office.id, code=village.code
        ),
    )

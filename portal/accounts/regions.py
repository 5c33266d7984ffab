"""Regions as account forms need them: villages grouped by kecamatan for a scope picker,
and local place names that a password must not be built from."""

from __future__ import annotations

from dataclasses import dataclass, field

from portal.tables.regions import Kecamatan, Office, Village


@dataclass
class KecamatanGroup:
    id: int
    name: str
    office_id: int
    villages: list[dict] = field(default_factory=list)


async def village_groups(office_id: int | None) -> list[KecamatanGroup]:
    """Villages grouped by kecamatan, of one office (None: every office)."""
    query = Village.select(
        Village.id,
        Village.name,
        Village.kind,
        Village.kecamatan.id.as_alias("kecamatan_id"),
        Village.kecamatan.name.as_alias("kecamatan_name"),
        Village.kecamatan.office.id.as_alias("office_id"),
    ).order_by(Village.kecamatan.name, Village.name)
    if office_id is not None:
        query = query.where(Village.kecamatan.office == office_id)
    groups: dict[int, KecamatanGroup] = {}
    for row in await query:
        group = groups.setdefault(
            row["kecamatan_id"],
            KecamatanGroup(row["kecamatan_id"], row["kecamatan_name"], row["office_id"]),
        )
        group.villages.append(row)
    return list(groups.values())


async def village_in_office(village_id: int, office_id: int | None) -> dict | None:
    """The village with its kecamatan and office ids, when it belongs to ``office_id``
    (None: any office)."""
    query = Village.select(
        Village.id,
        Village.name,
        Village.kecamatan.id.as_alias("kecamatan_id"),
        Village.kecamatan.office.id.as_alias("office_id"),
    ).where(Village.id == village_id)
    if office_id is not None:
        query = query.where(Village.kecamatan.office == office_id)
    return await query.first()


async def offices() -> list[dict]:
    return await Office.select(Office.id, Office.slug, Office.name, Office.short_name).order_by(
        Office.id
    )


_LOCAL_WORDS: list[str] | None = None


async def local_words() -> list[str]:
    """Kelurahan/desa and kecamatan names, for the password rules (reference data: read
    once per process)."""
    global _LOCAL_WORDS
    if _LOCAL_WORDS:
        return _LOCAL_WORDS
    names = [r["name"] for r in await Village.select(Village.name)]
    names += [r["name"] for r in await Kecamatan.select(Kecamatan.name)]
    words = sorted(set(names))
    if words:  # not cached while the regions are not loaded yet
        _LOCAL_WORDS = words
    return words

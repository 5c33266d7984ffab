"""Offices and the Kemendagri region tree: office "35.76" ⊃ kecamatan "35.76.01" ⊃
village (kelurahan/desa) "35.76.01.1007". One tree for every page: filters, pickers,
lookups by code or id, names, and which codes a place serves.

The tree is reference data (loaded from the facts file by ``portal demo-data``/
``load_content``); it is read fresh per request, three small indexed queries.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from portal.tables.regions import Kecamatan, Office, Village

CODE = re.compile(r"\d{2}\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?")
# Both offices' usual rule; an office with another minimum names itself in messages.
NATIONAL_MIN_AGE = (16, 0)


# --- Codes ------------------------------------------------------------------------------------


def is_code(text: str) -> bool:
    return bool(CODE.fullmatch(text or ""))


def ancestors(code: str) -> list[str]:
    """The code and every code above it:
    "35.76.01.1007" → ["35.76", "35.76.01", "35.76.01.1007"]."""
    parts = code.split(".")
    return [".".join(parts[:n]) for n in range(2, len(parts) + 1)]


def covers(served: str, code: str) -> bool:
    """True when `served` equals `code` or is an ancestor of it (whole dot-separated blocks,
    so "35.16.1" never covers "35.16.13")."""
    return code == served or code.startswith(served + ".")


def serves(served_codes: Iterable[str], code: str) -> bool:
    return any(covers(served, code) for served in served_codes)


def overlaps(served: str, code: str) -> bool:
    """True when one code covers the other: a session for village X is "in" kecamatan K, and
    a session for the whole office is relevant to every kecamatan."""
    return covers(served, code) or covers(code, served)


# --- The tree -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OfficeRef:
    id: int
    slug: str
    name: str
    short_name: str
    region_code: str
    nik_prefix: str
    min_age_years: int
    min_age_months: int
    min_age_note: str = ""
    min_age_source: str = ""
    website: str | None = None
    main_location_slug: str = ""

    @property
    def min_age_text(self) -> str:
        years, months = self.min_age_years, self.min_age_months
        return f"{years} tahun {months} bulan" if months else f"{years} tahun"

    @property
    def has_own_min_age(self) -> bool:
        return (self.min_age_years, self.min_age_months) != NATIONAL_MIN_AGE


@dataclass(frozen=True, slots=True)
class VillageRef:
    id: int
    code: str
    name: str
    kind: str  # kelurahan | desa
    kecamatan_id: int
    office_id: int

    @property
    def label(self) -> str:
        """ "Kelurahan Surodinawan", "Desa Punggul"."""
        return f"{self.kind.capitalize()} {self.name}"


@dataclass(frozen=True, slots=True)
class KecamatanRef:
    id: int
    code: str
    name: str
    office_id: int
    villages: tuple[VillageRef, ...] = ()


@dataclass(frozen=True)
class RegionTree:
    offices: tuple[OfficeRef, ...]
    kecamatan: tuple[KecamatanRef, ...]  # by name
    _by_code: dict[str, KecamatanRef | VillageRef] = field(default_factory=dict, repr=False)
    _village_ids: dict[int, VillageRef] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for kec in self.kecamatan:
            self._by_code[kec.code] = kec
            for village in kec.villages:
                self._by_code[village.code] = village
                self._village_ids[village.id] = village

    # Lookups
    def office(self, office_id: int | None) -> OfficeRef | None:
        return next((o for o in self.offices if o.id == office_id), None)

    def office_by_slug(self, slug: str | None) -> OfficeRef | None:
        return next((o for o in self.offices if o.slug == slug), None) if slug else None

    def office_for_code(self, code: str) -> OfficeRef | None:
        return next((o for o in self.offices if covers(o.region_code, code)), None)

    def kecamatan_by_code(self, code: str | None) -> KecamatanRef | None:
        found = self._by_code.get(code or "")
        return found if isinstance(found, KecamatanRef) else None

    def kecamatan_by_id(self, kecamatan_id: int | None) -> KecamatanRef | None:
        return next((k for k in self.kecamatan if k.id == kecamatan_id), None)

    def kecamatan_of(self, office_id: int) -> list[KecamatanRef]:
        return [k for k in self.kecamatan if k.office_id == office_id]

    def village_by_code(self, code: str | None) -> VillageRef | None:
        found = self._by_code.get(code or "")
        return found if isinstance(found, VillageRef) else None

    def village(self, village_id: int | None) -> VillageRef | None:
        return self._village_ids.get(village_id) if village_id is not None else None

    def villages(self) -> list[VillageRef]:
        return [v for k in self.kecamatan for v in k.villages]

    def codes(self) -> set[str]:
        """Every kecamatan and village code in the tree (not the offices')."""
        return set(self._by_code)

    def for_offices(self, office_ids: Iterable[int]) -> RegionTree:
        """The part of the tree under these offices."""
        ids = set(office_ids)
        return RegionTree(
            offices=tuple(o for o in self.offices if o.id in ids),
            kecamatan=tuple(k for k in self.kecamatan if k.office_id in ids),
        )

    # Words
    def name(self, code: str) -> str:
        """ "Kota Mojokerto", "Kecamatan Sooko", "Kelurahan Surodinawan", "Desa Punggul"."""
        office = next((o for o in self.offices if o.region_code == code), None)
        if office:
            return office.short_name
        if kec := self.kecamatan_by_code(code):
            return f"Kecamatan {kec.name}"
        if village := self.village_by_code(code):
            return village.label
        return code

    def short_name(self, code: str) -> str:
        """ "Kec. Sooko" or "Kelurahan Surodinawan", for filters and tags."""
        if kec := self.kecamatan_by_code(code):
            return f"Kec. {kec.name}"
        return self.name(code)

    def describe_served(self, code: str) -> dict:
        """One served region for a location page: its name and, for a kecamatan or a whole
        office, the places inside it."""
        office = next((o for o in self.offices if o.region_code == code), None)
        if office:
            kecs = self.kecamatan_of(office.id)
            count = sum(len(k.villages) for k in kecs)
            return {
                "code": code,
                "name": f"Seluruh {office.short_name}",
                "detail": f"{len(kecs)} kecamatan, {count} kelurahan/desa",
                "children": [f"Kecamatan {k.name}" for k in kecs],
            }
        if kec := self.kecamatan_by_code(code):
            return {
                "code": code,
                "name": f"Kecamatan {kec.name}",
                "detail": f"{len(kec.villages)} kelurahan/desa",
                "children": [v.name for v in kec.villages],
            }
        return {"code": code, "name": self.name(code), "detail": "", "children": []}


_OFFICE_COLUMNS = (
    Office.id,
    Office.slug,
    Office.name,
    Office.short_name,
    Office.region_code,
    Office.nik_prefix,
    Office.min_age_years,
    Office.min_age_months,
    Office.min_age_note,
    Office.min_age_source,
    Office.website,
    Office.main_location_slug,
)


async def load_offices(office_ids: Iterable[int] | None = None) -> tuple[OfficeRef, ...]:
    """Every office (or those in ``office_ids``), by id."""
    query = Office.select(*_OFFICE_COLUMNS).order_by(Office.id)
    if office_ids is not None:
        query = query.where(Office.id.is_in(list(office_ids) or [-1]))
    return tuple(OfficeRef(**row) for row in await query)


async def region_tree(office_ids: Iterable[int] | None = None) -> RegionTree:
    """The whole tree, or the part under ``office_ids``."""
    ids = None if office_ids is None else list(office_ids) or [-1]
    kec_query = Kecamatan.select(
        Kecamatan.id, Kecamatan.code, Kecamatan.name, Kecamatan.office
    ).order_by(Kecamatan.name)
    village_query = Village.select(
        Village.id,
        Village.code,
        Village.name,
        Village.kind,
        Village.kecamatan,
        Village.kecamatan.office.as_alias("office_id"),
    ).order_by(Village.name)
    if ids is not None:
        kec_query = kec_query.where(Kecamatan.office.is_in(ids))
        village_query = village_query.where(Village.kecamatan.office.is_in(ids))
    villages_of: dict[int, list[VillageRef]] = {}
    for v in await village_query:
        villages_of.setdefault(v["kecamatan"], []).append(
            VillageRef(v["id"], v["code"], v["name"], v["kind"], v["kecamatan"], v["office_id"])
        )
    kecamatan = tuple(
        KecamatanRef(
            k["id"], k["code"], k["name"], k["office"], tuple(villages_of.get(k["id"], ()))
        )
        for k in await kec_query
    )
    return RegionTree(offices=await load_offices(ids), kecamatan=kecamatan)


async def local_words() -> list[str]:
    """Kelurahan/desa and kecamatan names, for the password rules (a password must not be
    built from the name of the place)."""
    names = [r["name"] for r in await Village.select(Village.name)]
    names += [r["name"] for r in await Kecamatan.select(Kecamatan.name)]
    return sorted(set(names))

"""The seed file's contents as typed values: both offices, every kecamatan and
kelurahan/desa, service locations, requirement items, published figures and demo sessions.

Field names follow the columns in ``portal.tables`` where one exists (``opens``/``closes``,
``min_age_years``, ``main_location_slug``), so importing is a field-by-field copy. The YAML keys
are the ones in the file (``open``/``close``, ``min_recording_age``); each dataclass says which.
The codes a field may hold come from ``portal.domain.vocabulary``, which needs no database:
the CLI and tests read the seed file before any database exists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from portal.domain import vocabulary

SERVICES = tuple(vocabulary.SERVICES)
LOCATION_KINDS = tuple(vocabulary.LOCATION_KINDS)
VILLAGE_KINDS = tuple(vocabulary.VILLAGE_KINDS)
REQUIREMENT_TOPICS = tuple(vocabulary.REQUIREMENT_TOPICS)
SESSION_KINDS = tuple(vocabulary.SESSION_KINDS)


class SeedError(ValueError):
    """The seed file is missing, unreadable or inconsistent; the message says where."""


@dataclass(frozen=True, slots=True)
class OfficeSeed:
    """A Dispendukcapil office. YAML ``min_recording_age: {years, months}`` becomes
    ``min_age_years``/``min_age_months``; ``min_recording_age_*`` becomes ``min_age_*``;
    ``main_location`` becomes ``main_location_slug``."""

    slug: str
    name: str
    short_name: str
    region_code: str
    nik_prefix: str
    min_age_years: int
    min_age_months: int
    min_age_note: str
    min_age_source: str
    min_age_verified: bool
    website: str | None
    main_location_slug: str
    region_source: str | None


@dataclass(frozen=True, slots=True)
class VillageSeed:
    """A kelurahan or desa. ``kecamatan_code`` is the code of the kecamatan it is listed under."""

    code: str
    name: str
    kind: str
    aliases: tuple[str, ...]
    kecamatan_code: str


@dataclass(frozen=True, slots=True)
class KecamatanSeed:
    code: str
    office: str
    name: str
    aliases: tuple[str, ...]
    villages: tuple[VillageSeed, ...]

    @property
    def nik_prefix(self) -> str:
        """The first six NIK digits for people first registered in this kecamatan."""
        return self.code.replace(".", "")


@dataclass(frozen=True, slots=True)
class HoursSeed:
    """Regular opening hours for one weekday (0 = Senin … 6 = Minggu). YAML ``open``/``close``."""

    weekday: int
    opens: dt.time
    closes: dt.time
    note: str


@dataclass(frozen=True, slots=True)
class SpecialDaySeed:
    """A date with different hours. YAML ``date``/``open``/``close``; times are None when
    ``closed`` is true."""

    day: dt.date
    opens: dt.time | None
    closes: dt.time | None
    closed: bool
    note: str


@dataclass(frozen=True, slots=True)
class LocationSeed:
    """A service location. ``kecamatan`` is the code of the kecamatan it stands in (None when
    unknown); ``serves`` holds office, kecamatan or village codes."""

    slug: str
    office: str
    kind: str
    name: str
    address: str | None
    kecamatan: str | None
    hours: tuple[HoursSeed, ...]
    special_days: tuple[SpecialDaySeed, ...]
    services: tuple[str, ...]
    serves: tuple[str, ...]
    accessibility: str | None
    notes: str
    source: str
    verified: bool
    checked_on: dt.date

    def covers(self, code: str) -> bool:
        """True when this location serves the region `code` as a whole: a served code equals it
        or is an ancestor of it (``35.16.13`` covers ``35.16.13.2001``, not the reverse)."""
        return any(code == served or code.startswith(served + ".") for served in self.serves)


@dataclass(frozen=True, slots=True)
class RequirementSeed:
    """A requirement item; ``office`` None means it applies to both offices."""

    slug: str
    topic: str
    office: str | None
    title: str
    body: str
    legal_basis: str | None
    source: str
    verified: bool
    checked_on: dt.date
    position: int


@dataclass(frozen=True, slots=True)
class FigureSeed:
    """A published figure. ``position`` defaults to the order in the file (10, 20, …)."""

    office: str
    label: str
    value: int
    unit: str
    as_of: dt.date
    as_of_text: str
    source: str
    verified: bool
    position: int


@dataclass(frozen=True, slots=True)
class SessionSeed:
    """A DEMO jemput bola session. The day is ``in_days`` after the demo is loaded; YAML
    ``start``/``end`` become ``starts``/``ends``; ``capacity`` 0 means no limit."""

    office: str
    kind: str
    title: str
    place: str
    address: str | None
    location: str | None
    in_days: int
    starts: dt.time
    ends: dt.time
    audience: str
    registration_via_rt: bool
    capacity: int
    serves: tuple[str, ...]
    public: bool
    notes: str

    def day(self, today: dt.date) -> dt.date:
        return today + dt.timedelta(days=self.in_days)


@dataclass(frozen=True, slots=True)
class Seed:
    checked_on: dt.date
    offices: tuple[OfficeSeed, ...]
    kecamatan: tuple[KecamatanSeed, ...]
    locations: tuple[LocationSeed, ...]
    requirements: tuple[RequirementSeed, ...]
    figures: tuple[FigureSeed, ...]
    demo_sessions: tuple[SessionSeed, ...]

    def office(self, slug: str) -> OfficeSeed:
        for office in self.offices:
            if office.slug == slug:
                return office
        raise KeyError(slug)

    def location(self, slug: str) -> LocationSeed:
        for location in self.locations:
            if location.slug == slug:
                return location
        raise KeyError(slug)

    def villages(self) -> Iterator[VillageSeed]:
        for kecamatan in self.kecamatan:
            yield from kecamatan.villages

    def locations_serving(self, code: str) -> tuple[LocationSeed, ...]:
        """Locations that serve the whole region `code`. A location serving only some villages
        of a kecamatan does not serve the kecamatan; empty means "send them to the office's
        main location"."""
        return tuple(location for location in self.locations if location.covers(code))

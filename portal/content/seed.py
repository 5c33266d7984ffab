"""Typed loader for the project's seed data file, ``portal/data/mojokerto.yaml``.

The file is the project's own copy of the facts behind the portal: both offices, every
kecamatan and kelurahan/desa with its Kemendagri code, service locations, requirement items,
published figures and demo jemput bola sessions. ``load_seed()`` reads it with
``yaml.safe_load`` and checks the whole file before returning anything, so a bad edit stops a
``portal`` command with a `SeedError` naming the entry and field instead of loading half the
data.

Field names follow the columns in ``portal.tables`` where one exists (``opens``/``closes``,
``min_age_years``, ``main_location_slug``), so importing is a field-by-field copy. The YAML keys
are the ones in the file (``open``/``close``, ``min_recording_age``); each dataclass says which.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

DEFAULT_PATH = Path(__file__).parent.parent / "data" / "mojokerto.yaml"

SERVICES = ("perekaman", "pencetakan", "aktivasi_ikd", "adminduk_lain")
LOCATION_KINDS = ("mpp", "dinas", "kantor_kecamatan", "kantor_kelurahan", "sekolah")
VILLAGE_KINDS = ("kelurahan", "desa")
REQUIREMENT_TOPICS = (
    "wajib",
    "usia",
    "dokumen",
    "biaya",
    "proses",
    "perbedaan",
    "ikd",
    "risiko",
    "lokasi",
)
# Same values as portal.tables.outreach.SESSION_KINDS. Not imported from there: reading the
# seed file must not need the ORM (tests and the CLI load it before any database exists).
SESSION_KINDS = ("sekolah", "kelurahan", "kecamatan", "kunjungan_rumah", "kantor")

_OFFICE_CODE = re.compile(r"\d{2}\.\d{2}")
_KECAMATAN_CODE = re.compile(r"\d{2}\.\d{2}\.\d{2}")
_VILLAGE_CODE = re.compile(r"\d{2}\.\d{2}\.\d{2}\.\d{4}")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_HHMM = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")
# Kemendagri village codes: the 4th block starts with 1 for a kelurahan and 2 for a desa.
_VILLAGE_KIND_BY_DIGIT = {"1": "kelurahan", "2": "desa"}


class SeedError(ValueError):
    """The seed file is missing, unreadable or inconsistent; the message says where."""


# --- Dataclasses ----------------------------------------------------------------------------


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

    @property
    def min_age_text(self) -> str:
        """The minimum recording age as shown to the public, e.g. "16 tahun 8 bulan"."""
        if self.min_age_months:
            return f"{self.min_age_years} tahun {self.min_age_months} bulan"
        return f"{self.min_age_years} tahun"


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


# --- Loading --------------------------------------------------------------------------------


def load_seed(path: Path | None = None) -> Seed:
    """Read and check the seed file (default: the copy inside the package)."""
    path = DEFAULT_PATH if path is None else path
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SeedError(f"{path}: cannot read the seed file ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise SeedError(f"{path}: not valid YAML: {exc}") from None
    try:
        return _parse(raw)
    except SeedError as exc:
        raise SeedError(f"{path}: {exc}") from None


_MISSING: Any = object()


def _describe(value: object) -> str:
    if value is None:
        return "null"
    return f"{type(value).__name__} {value!r}"


class _Entry:
    """One mapping from the file, read field by field. Every error names the entry and the
    field; fields that are never read are reported as unknown (usually a typo)."""

    def __init__(self, data: object, where: str) -> None:
        if not isinstance(data, Mapping):
            raise SeedError(f"{where}: expected a mapping, got {_describe(data)}")
        self.data: Mapping[str, Any] = data
        self.where = where
        self.seen: set[str] = set()

    def error(self, key: str, message: str) -> SeedError:
        return SeedError(f"{self.where}.{key}: {message}")

    def raw(self, key: str, default: Any = _MISSING) -> Any:
        self.seen.add(key)
        if key in self.data:
            return self.data[key]
        if default is _MISSING:
            raise SeedError(f"{self.where}: missing field {key!r}")
        return default

    def text(self, key: str, *, max_len: int | None = None) -> str:
        value = self.raw(key)
        if not isinstance(value, str) or not value.strip():
            raise self.error(key, f"must be non-empty text, got {_describe(value)}")
        if max_len is not None and len(value) > max_len:
            raise self.error(key, f"is {len(value)} characters long; the limit is {max_len}")
        return value

    def opt_text(self, key: str, *, max_len: int | None = None) -> str | None:
        if self.raw(key, None) is None:
            return None
        return self.text(key, max_len=max_len)

    def flag(self, key: str, default: Any = _MISSING) -> bool:
        value = self.raw(key, default)
        if not isinstance(value, bool):
            raise self.error(key, f"must be true or false, got {_describe(value)}")
        return value

    def number(self, key: str, *, minimum: int | None = None, default: Any = _MISSING) -> int:
        value = self.raw(key, default)
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.error(key, f"must be a whole number, got {_describe(value)}")
        if minimum is not None and value < minimum:
            raise self.error(key, f"must be at least {minimum}, got {value}")
        return value

    def day(self, key: str, default: Any = _MISSING) -> dt.date:
        value = self.raw(key, default)
        if isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                raise self.error(key, f"must be a date YYYY-MM-DD, got {value!r}") from None
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            raise self.error(key, f"must be a date YYYY-MM-DD, got {_describe(value)}")
        return value

    def clock(self, key: str) -> dt.time:
        value = self.raw(key)
        if isinstance(value, int) and not isinstance(value, bool):
            # YAML 1.1 reads an unquoted 14:00 as the base-60 number 840.
            raise self.error(key, f'must be a quoted "HH:MM" string, got the number {value}')
        if not isinstance(value, str) or not (match := _HHMM.fullmatch(value)):
            raise self.error(key, f'must be a time "HH:MM" (00:00-23:59), got {_describe(value)}')
        return dt.time(int(match[1]), int(match[2]))

    def opt_clock(self, key: str) -> dt.time | None:
        if self.raw(key, None) is None:
            return None
        return self.clock(key)

    def texts(self, key: str, default: Any = _MISSING) -> tuple[str, ...]:
        value = self.raw(key, default)
        if not isinstance(value, list):
            raise self.error(key, f"must be a list, got {_describe(value)}")
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                raise self.error(
                    f"{key}[{index}]", f"must be non-empty text, got {_describe(item)}"
                )
        if len(set(value)) != len(value):
            duplicates = sorted({item for item in value if value.count(item) > 1})
            raise self.error(key, f"lists {', '.join(duplicates)} more than once")
        return tuple(value)

    def entries(self, key: str, default: Any = _MISSING) -> list[_Entry]:
        value = self.raw(key, default)
        if not isinstance(value, list):
            raise self.error(key, f"must be a list, got {_describe(value)}")
        return [
            _Entry(item, _item_where(f"{self.where}.{key}", index, item))
            for index, item in enumerate(value)
        ]

    def finish(self) -> None:
        unknown = sorted(set(self.data) - self.seen, key=str)
        if unknown:
            names = ", ".join(repr(name) for name in unknown)
            raise SeedError(f"{self.where}: unknown field(s) {names}")


def _item_where(prefix: str, index: int, item: object) -> str:
    """`locations[3] (kota-mpp-gajah-mada)`: the index, plus the slug or code when present."""
    where = f"{prefix}[{index}]"
    if isinstance(item, Mapping):
        for key in ("slug", "code", "title", "label"):
            name = item.get(key)
            if isinstance(name, str):
                return f"{where} ({name})"
    return where


def _one_of(entry: _Entry, key: str, allowed: tuple[str, ...]) -> str:
    value = entry.text(key)
    if value not in allowed:
        raise entry.error(key, f"{value!r} is not one of: {', '.join(allowed)}")
    return value


def _check_order(entry: _Entry, first: str, opens: dt.time, last: str, closes: dt.time) -> None:
    if not opens < closes:
        raise entry.error(last, f"{closes:%H:%M} must be later than {first} {opens:%H:%M}")


def _unique(seen: set[str], value: str, entry: _Entry, key: str, what: str) -> None:
    if value in seen:
        raise entry.error(key, f"duplicate {what} {value!r}")
    seen.add(value)


class _Parser:
    """Parses the top-level sections in dependency order (offices, regions, locations, …),
    keeping the indexes later sections are checked against."""

    def __init__(self, raw: object) -> None:
        if raw is None:
            raise SeedError("the file is empty")
        self.top = _Entry(raw, "seed")
        self.checked_on = self.top.day("checked_on")
        self.offices: dict[str, OfficeSeed] = {}
        self.region_office: dict[str, str] = {}  # every known region code -> office slug
        self.location_office: dict[str, str] = {}

    def parse(self) -> Seed:
        offices = [self.office(entry) for entry in self.top.entries("offices")]
        if not offices:
            raise SeedError("seed.offices: at least one office is required")
        kecamatan = self.all_kecamatan()
        locations = self.all_locations()
        for index, office in enumerate(offices):
            if self.location_office.get(office.main_location_slug) != office.slug:
                where = f"seed.offices[{index}] ({office.slug}).main_location"
                if office.main_location_slug not in self.location_office:
                    problem = "is not a location in this file"
                else:
                    problem = "belongs to another office"
                raise SeedError(f"{where}: {office.main_location_slug!r} {problem}")
        requirements = self.all_requirements()
        figures = [
            self.figure(entry, (index + 1) * 10)
            for index, entry in enumerate(self.top.entries("figures", []))
        ]
        sessions = [self.session(entry) for entry in self.top.entries("demo_sessions", [])]
        self.top.finish()
        return Seed(
            checked_on=self.checked_on,
            offices=tuple(offices),
            kecamatan=tuple(kecamatan),
            locations=tuple(locations),
            requirements=tuple(requirements),
            figures=tuple(figures),
            demo_sessions=tuple(sessions),
        )

    # -- references ----------------------------------------------------------------------

    def office_ref(self, entry: _Entry, key: str = "office") -> str:
        slug = entry.text(key)
        if slug not in self.offices:
            known = ", ".join(self.offices)
            raise entry.error(key, f"unknown office {slug!r} (known: {known})")
        return slug

    def region_refs(self, entry: _Entry, key: str, office: str) -> tuple[str, ...]:
        codes = entry.texts(key)
        for index, code in enumerate(codes):
            owner = self.region_office.get(code)
            if owner is None:
                raise entry.error(f"{key}[{index}]", f"unknown region code {code!r}")
            if owner != office:
                raise entry.error(
                    f"{key}[{index}]",
                    f"region {code!r} belongs to office {owner!r}, not {office!r}",
                )
        return codes

    # -- offices and regions -------------------------------------------------------------

    def office(self, entry: _Entry) -> OfficeSeed:
        slug = entry.text("slug", max_len=20)
        if not _SLUG.fullmatch(slug):
            raise entry.error("slug", f"{slug!r} must be lower-case letters, digits and hyphens")
        if slug in self.offices:
            raise entry.error("slug", f"duplicate office {slug!r}")
        region_code = entry.text("region_code", max_len=10)
        if not _OFFICE_CODE.fullmatch(region_code):
            raise entry.error("region_code", f'{region_code!r} is not a code like "35.76"')
        if region_code in self.region_office:
            raise entry.error("region_code", f"duplicate region code {region_code!r}")
        nik_prefix = entry.text("nik_prefix")
        if nik_prefix != region_code.replace(".", ""):
            raise entry.error(
                "nik_prefix", f"{nik_prefix!r} does not match region_code {region_code!r}"
            )
        age = _Entry(entry.raw("min_recording_age"), f"{entry.where}.min_recording_age")
        years = age.number("years", minimum=0)
        months = age.number("months", minimum=0)
        if months > 11:
            raise age.error("months", f"must be 0-11, got {months}")
        age.finish()
        website = entry.opt_text("website", max_len=200)
        if website is not None and not website.startswith(("https://", "http://")):
            raise entry.error("website", f"{website!r} must start with https:// or http://")
        office = OfficeSeed(
            slug=slug,
            name=entry.text("name", max_len=200),
            short_name=entry.text("short_name", max_len=100),
            region_code=region_code,
            nik_prefix=nik_prefix,
            min_age_years=years,
            min_age_months=months,
            min_age_note=entry.text("min_recording_age_note"),
            min_age_source=entry.text("min_recording_age_source"),
            min_age_verified=entry.flag("min_recording_age_verified", False),
            website=website,
            main_location_slug=entry.text("main_location", max_len=80),
            region_source=entry.opt_text("region_source"),
        )
        entry.finish()
        self.offices[slug] = office
        self.region_office[region_code] = slug
        return office

    def all_kecamatan(self) -> list[KecamatanSeed]:
        result = []
        for entry in self.top.entries("kecamatan"):
            office = self.office_ref(entry)
            code = entry.text("code")
            if not _KECAMATAN_CODE.fullmatch(code):
                raise entry.error("code", f'{code!r} is not a kecamatan code like "35.76.01"')
            region_code = self.offices[office].region_code
            if not code.startswith(region_code + "."):
                raise entry.error(
                    "code", f"{code!r} is not under office {office!r} ({region_code})"
                )
            if code in self.region_office:
                raise entry.error("code", f"duplicate region code {code!r}")
            self.region_office[code] = office
            villages = tuple(self.village(item, code, office) for item in entry.entries("villages"))
            if not villages:
                raise entry.error("villages", "must list at least one kelurahan or desa")
            result.append(
                KecamatanSeed(
                    code=code,
                    office=office,
                    name=entry.text("name", max_len=100),
                    aliases=entry.texts("aliases", []),
                    villages=villages,
                )
            )
            entry.finish()
        return result

    def village(self, entry: _Entry, kecamatan_code: str, office: str) -> VillageSeed:
        code = entry.text("code")
        if not _VILLAGE_CODE.fullmatch(code):
            raise entry.error("code", f'{code!r} is not a village code like "35.76.01.1003"')
        if code.rsplit(".", 1)[0] != kecamatan_code:
            raise entry.error("code", f"{code!r} is not under its kecamatan {kecamatan_code!r}")
        if code in self.region_office:
            raise entry.error("code", f"duplicate region code {code!r}")
        kind = _one_of(entry, "kind", VILLAGE_KINDS)
        expected = _VILLAGE_KIND_BY_DIGIT.get(code[-4])
        if kind != expected:
            raise entry.error(
                "kind", f"{kind!r} does not match code {code!r} (1xxx = kelurahan, 2xxx = desa)"
            )
        self.region_office[code] = office
        village = VillageSeed(
            code=code,
            name=entry.text("name", max_len=100),
            kind=kind,
            aliases=entry.texts("aliases", []),
            kecamatan_code=kecamatan_code,
        )
        entry.finish()
        return village

    # -- locations -----------------------------------------------------------------------

    def all_locations(self) -> list[LocationSeed]:
        result = []
        for entry in self.top.entries("locations"):
            slug = entry.text("slug", max_len=80)
            if not _SLUG.fullmatch(slug):
                raise entry.error(
                    "slug", f"{slug!r} must be lower-case letters, digits and hyphens"
                )
            if slug in self.location_office:
                raise entry.error("slug", f"duplicate location {slug!r}")
            office = self.office_ref(entry)
            kecamatan = entry.opt_text("kecamatan")
            if kecamatan is not None and (
                not _KECAMATAN_CODE.fullmatch(kecamatan)
                or self.region_office.get(kecamatan) != office
            ):
                raise entry.error(
                    "kecamatan", f"{kecamatan!r} is not a kecamatan of office {office!r}"
                )
            services = entry.texts("services")
            if not services:
                raise entry.error("services", "must list at least one service")
            for index, service in enumerate(services):
                if service not in SERVICES:
                    raise entry.error(
                        f"services[{index}]",
                        f"{service!r} is not one of: {', '.join(SERVICES)}",
                    )
            result.append(
                LocationSeed(
                    slug=slug,
                    office=office,
                    kind=_one_of(entry, "kind", LOCATION_KINDS),
                    name=entry.text("name", max_len=200),
                    address=entry.opt_text("address"),
                    kecamatan=kecamatan,
                    hours=self.hours(entry),
                    special_days=self.special_days(entry),
                    services=services,
                    serves=self.region_refs(entry, "serves", office),
                    accessibility=entry.opt_text("accessibility"),
                    notes=entry.opt_text("notes") or "",
                    source=entry.text("source"),
                    verified=entry.flag("verified"),
                    checked_on=entry.day("checked_on", self.checked_on),
                )
            )
            entry.finish()
            self.location_office[slug] = office
        return result

    def hours(self, location: _Entry) -> tuple[HoursSeed, ...]:
        result: list[HoursSeed] = []
        for entry in location.entries("hours", []):
            weekday = entry.number("weekday", minimum=0)
            if weekday > 6:
                raise entry.error("weekday", f"must be 0 (Senin) to 6 (Minggu), got {weekday}")
            opens = entry.clock("open")
            closes = entry.clock("close")
            _check_order(entry, "open", opens, "close", closes)
            for other in result:
                if other.weekday == weekday and opens < other.closes and other.opens < closes:
                    raise entry.error(
                        "open", f"overlaps other hours for weekday {weekday} in this location"
                    )
            result.append(
                HoursSeed(
                    weekday=weekday,
                    opens=opens,
                    closes=closes,
                    note=entry.opt_text("note", max_len=200) or "",
                )
            )
            entry.finish()
        return tuple(result)

    def special_days(self, location: _Entry) -> tuple[SpecialDaySeed, ...]:
        result: list[SpecialDaySeed] = []
        seen: set[str] = set()
        for entry in location.entries("special_days", []):
            day = entry.day("date")
            _unique(seen, day.isoformat(), entry, "date", "special day")
            closed = entry.flag("closed", False)
            opens: dt.time | None
            closes: dt.time | None
            if closed:
                opens, closes = entry.opt_clock("open"), entry.opt_clock("close")
                if opens is not None or closes is not None:
                    raise entry.error("open", "a closed day has no open/close times")
            else:
                opens, closes = entry.clock("open"), entry.clock("close")
                _check_order(entry, "open", opens, "close", closes)
            result.append(
                SpecialDaySeed(
                    day=day,
                    opens=opens,
                    closes=closes,
                    closed=closed,
                    note=entry.opt_text("note", max_len=300) or "",
                )
            )
            entry.finish()
        return tuple(result)

    # -- content -------------------------------------------------------------------------

    def all_requirements(self) -> list[RequirementSeed]:
        result = []
        slugs: set[str] = set()
        for entry in self.top.entries("requirements", []):
            slug = entry.text("slug", max_len=80)
            if not _SLUG.fullmatch(slug):
                raise entry.error(
                    "slug", f"{slug!r} must be lower-case letters, digits and hyphens"
                )
            _unique(slugs, slug, entry, "slug", "requirement")
            office = None if entry.raw("office", None) is None else self.office_ref(entry)
            result.append(
                RequirementSeed(
                    slug=slug,
                    topic=_one_of(entry, "topic", REQUIREMENT_TOPICS),
                    office=office,
                    title=entry.text("title", max_len=200),
                    body=entry.text("body"),
                    legal_basis=entry.opt_text("legal_basis"),
                    source=entry.text("source"),
                    verified=entry.flag("verified"),
                    checked_on=entry.day("checked_on", self.checked_on),
                    position=entry.number("position"),
                )
            )
            entry.finish()
        return result

    def figure(self, entry: _Entry, default_position: int) -> FigureSeed:
        figure = FigureSeed(
            office=self.office_ref(entry),
            label=entry.text("label", max_len=200),
            value=entry.number("value"),
            unit=entry.text("unit", max_len=30),
            as_of=entry.day("as_of"),
            as_of_text=entry.opt_text("as_of_text", max_len=100) or "",
            source=entry.text("source"),
            verified=entry.flag("verified"),
            position=entry.number("position", default=default_position),
        )
        entry.finish()
        return figure

    def session(self, entry: _Entry) -> SessionSeed:
        office = self.office_ref(entry)
        location = entry.opt_text("location")
        if location is not None and self.location_office.get(location) != office:
            raise entry.error("location", f"{location!r} is not a location of office {office!r}")
        starts = entry.clock("start")
        ends = entry.clock("end")
        _check_order(entry, "start", starts, "end", ends)
        serves = self.region_refs(entry, "serves", office)
        if not serves:
            raise entry.error("serves", "must list at least one region code")
        session = SessionSeed(
            office=office,
            kind=_one_of(entry, "kind", SESSION_KINDS),
            title=entry.text("title", max_len=200),
            place=entry.text("place", max_len=200),
            address=entry.opt_text("address"),
            location=location,
            in_days=entry.number("in_days", minimum=0),
            starts=starts,
            ends=ends,
            audience=entry.opt_text("audience") or "",
            registration_via_rt=entry.flag("registration_via_rt", False),
            capacity=entry.number("capacity", minimum=0, default=0),
            serves=serves,
            public=entry.flag("public", True),
            notes=entry.opt_text("notes") or "",
        )
        entry.finish()
        return session


def _parse(raw: object) -> Seed:
    return _Parser(raw).parse()

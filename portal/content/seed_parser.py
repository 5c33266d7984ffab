"""Checks the whole seed file before anything is returned: sections are parsed in
dependency order (offices, regions, locations, content, demo sessions), each checked against
the indexes of those before it."""

from __future__ import annotations

import datetime as dt
import re

from portal.content.seed_entry import Entry, check_order, one_of, unique
from portal.content.seed_model import (
    LOCATION_KINDS,
    REQUIREMENT_TOPICS,
    SERVICES,
    SESSION_KINDS,
    VILLAGE_KINDS,
    FigureSeed,
    HoursSeed,
    KecamatanSeed,
    LocationSeed,
    OfficeSeed,
    RequirementSeed,
    Seed,
    SeedError,
    SessionSeed,
    SpecialDaySeed,
    VillageSeed,
)

_OFFICE_CODE = re.compile(r"\d{2}\.\d{2}")
_KECAMATAN_CODE = re.compile(r"\d{2}\.\d{2}\.\d{2}")
_VILLAGE_CODE = re.compile(r"\d{2}\.\d{2}\.\d{2}\.\d{4}")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Kemendagri village codes: the 4th block starts with 1 for a kelurahan and 2 for a desa.
_VILLAGE_KIND_BY_DIGIT = {"1": "kelurahan", "2": "desa"}


class Parser:
    """Parses the top-level sections in dependency order (offices, regions, locations, …),
    keeping the indexes later sections are checked against."""

    def __init__(self, raw: object) -> None:
        if raw is None:
            raise SeedError("the file is empty")
        self.top = Entry(raw, "seed")
        self.checked_on = self.top.day("checked_on")
        self.offices: dict[str, OfficeSeed] = {}
        self.region_office: dict[str, str] = {}  # every known region code -> office slug
        self.location_office: dict[str, str] = {}

    def parse(self) -> Seed:
        offices = self.top.each("offices", self.office)
        if not offices:
            raise SeedError("seed.offices: at least one office is required")
        kecamatan = self.top.each("kecamatan", self.kecamatan)
        locations = self.top.each("locations", self.location)
        for index, office in enumerate(offices):
            if self.location_office.get(office.main_location_slug) != office.slug:
                where = f"seed.offices[{index}] ({office.slug}).main_location"
                if office.main_location_slug not in self.location_office:
                    problem = "is not a location in this file"
                else:
                    problem = "belongs to another office"
                raise SeedError(f"{where}: {office.main_location_slug!r} {problem}")
        requirements = self.top.each("requirements", self.requirement, [])
        figures = self.top.each("figures", self.figure, [])
        sessions = self.top.each("demo_sessions", self.session, [])
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

    def office_ref(self, entry: Entry, key: str = "office") -> str:
        slug = entry.text(key)
        if slug not in self.offices:
            known = ", ".join(self.offices)
            raise entry.error(key, f"unknown office {slug!r} (known: {known})")
        return slug

    def region_refs(self, entry: Entry, key: str, office: str) -> tuple[str, ...]:
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

    def office(self, entry: Entry, _: list[OfficeSeed]) -> OfficeSeed:
        slug = _slug(entry, 20)
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
        age = Entry(entry.raw("min_recording_age"), f"{entry.where}.min_recording_age")
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
        self.offices[slug] = office
        self.region_office[region_code] = slug
        return office

    def kecamatan(self, entry: Entry, _: list[KecamatanSeed]) -> KecamatanSeed:
        office = self.office_ref(entry)
        code = entry.text("code")
        if not _KECAMATAN_CODE.fullmatch(code):
            raise entry.error("code", f'{code!r} is not a kecamatan code like "35.76.01"')
        region_code = self.offices[office].region_code
        if not code.startswith(region_code + "."):
            raise entry.error("code", f"{code!r} is not under office {office!r} ({region_code})")
        if code in self.region_office:
            raise entry.error("code", f"duplicate region code {code!r}")
        self.region_office[code] = office
        villages = entry.each("villages", lambda item, _: self.village(item, code, office))
        if not villages:
            raise entry.error("villages", "must list at least one kelurahan or desa")
        return KecamatanSeed(
            code=code,
            office=office,
            name=entry.text("name", max_len=100),
            aliases=entry.texts("aliases", []),
            villages=tuple(villages),
        )

    def village(self, entry: Entry, kecamatan_code: str, office: str) -> VillageSeed:
        code = entry.text("code")
        if not _VILLAGE_CODE.fullmatch(code):
            raise entry.error("code", f'{code!r} is not a village code like "35.76.01.1003"')
        if code.rsplit(".", 1)[0] != kecamatan_code:
            raise entry.error("code", f"{code!r} is not under its kecamatan {kecamatan_code!r}")
        if code in self.region_office:
            raise entry.error("code", f"duplicate region code {code!r}")
        kind = one_of(entry, "kind", VILLAGE_KINDS)
        expected = _VILLAGE_KIND_BY_DIGIT.get(code[-4])
        if kind != expected:
            raise entry.error(
                "kind", f"{kind!r} does not match code {code!r} (1xxx = kelurahan, 2xxx = desa)"
            )
        self.region_office[code] = office
        return VillageSeed(
            code=code,
            name=entry.text("name", max_len=100),
            kind=kind,
            aliases=entry.texts("aliases", []),
            kecamatan_code=kecamatan_code,
        )

    # -- locations -----------------------------------------------------------------------

    def location(self, entry: Entry, _: list[LocationSeed]) -> LocationSeed:
        slug = _slug(entry, 80)
        if slug in self.location_office:
            raise entry.error("slug", f"duplicate location {slug!r}")
        office = self.office_ref(entry)
        kecamatan = entry.opt_text("kecamatan")
        if kecamatan is not None and (
            not _KECAMATAN_CODE.fullmatch(kecamatan) or self.region_office.get(kecamatan) != office
        ):
            raise entry.error("kecamatan", f"{kecamatan!r} is not a kecamatan of office {office!r}")
        services = entry.texts("services")
        if not services:
            raise entry.error("services", "must list at least one service")
        for index, service in enumerate(services):
            if service not in SERVICES:
                raise entry.error(
                    f"services[{index}]", f"{service!r} is not one of: {', '.join(SERVICES)}"
                )
        location = LocationSeed(
            slug=slug,
            office=office,
            kind=one_of(entry, "kind", LOCATION_KINDS),
            name=entry.text("name", max_len=200),
            address=entry.opt_text("address"),
            kecamatan=kecamatan,
            hours=tuple(entry.each("hours", self.hours, [])),
            special_days=tuple(entry.each("special_days", self.special_day, [])),
            services=services,
            serves=self.region_refs(entry, "serves", office),
            accessibility=entry.opt_text("accessibility"),
            notes=entry.opt_text("notes") or "",
            source=entry.text("source"),
            verified=entry.flag("verified"),
            checked_on=entry.day("checked_on", self.checked_on),
        )
        self.location_office[slug] = office
        return location

    def hours(self, entry: Entry, before: list[HoursSeed]) -> HoursSeed:
        weekday = entry.number("weekday", minimum=0)
        if weekday > 6:
            raise entry.error("weekday", f"must be 0 (Senin) to 6 (Minggu), got {weekday}")
        opens = entry.clock("open")
        closes = entry.clock("close")
        check_order(entry, "open", opens, "close", closes)
        for other in before:
            if other.weekday == weekday and opens < other.closes and other.opens < closes:
                raise entry.error(
                    "open", f"overlaps other hours for weekday {weekday} in this location"
                )
        return HoursSeed(
            weekday=weekday,
            opens=opens,
            closes=closes,
            note=entry.opt_text("note", max_len=200) or "",
        )

    def special_day(self, entry: Entry, before: list[SpecialDaySeed]) -> SpecialDaySeed:
        day = entry.day("date")
        unique((d.day.isoformat() for d in before), day.isoformat(), entry, "date", "special day")
        closed = entry.flag("closed", False)
        opens: dt.time | None
        closes: dt.time | None
        if closed:
            opens, closes = entry.opt_clock("open"), entry.opt_clock("close")
            if opens is not None or closes is not None:
                raise entry.error("open", "a closed day has no open/close times")
        else:
            opens, closes = entry.clock("open"), entry.clock("close")
            check_order(entry, "open", opens, "close", closes)
        return SpecialDaySeed(
            day=day,
            opens=opens,
            closes=closes,
            closed=closed,
            note=entry.opt_text("note", max_len=300) or "",
        )

    # -- content -------------------------------------------------------------------------

    def requirement(self, entry: Entry, before: list[RequirementSeed]) -> RequirementSeed:
        slug = _slug(entry, 80)
        unique((r.slug for r in before), slug, entry, "slug", "requirement")
        office = None if entry.raw("office", None) is None else self.office_ref(entry)
        return RequirementSeed(
            slug=slug,
            topic=one_of(entry, "topic", REQUIREMENT_TOPICS),
            office=office,
            title=entry.text("title", max_len=200),
            body=entry.text("body"),
            legal_basis=entry.opt_text("legal_basis"),
            source=entry.text("source"),
            verified=entry.flag("verified"),
            checked_on=entry.day("checked_on", self.checked_on),
            position=entry.number("position"),
        )

    def figure(self, entry: Entry, before: list[FigureSeed]) -> FigureSeed:
        """``position`` defaults to the order in the file: 10, 20, …"""
        return FigureSeed(
            office=self.office_ref(entry),
            label=entry.text("label", max_len=200),
            value=entry.number("value"),
            unit=entry.text("unit", max_len=30),
            as_of=entry.day("as_of"),
            as_of_text=entry.opt_text("as_of_text", max_len=100) or "",
            source=entry.text("source"),
            verified=entry.flag("verified"),
            position=entry.number("position", default=(len(before) + 1) * 10),
        )

    def session(self, entry: Entry, _: list[SessionSeed]) -> SessionSeed:
        office = self.office_ref(entry)
        location = entry.opt_text("location")
        if location is not None and self.location_office.get(location) != office:
            raise entry.error("location", f"{location!r} is not a location of office {office!r}")
        starts = entry.clock("start")
        ends = entry.clock("end")
        check_order(entry, "start", starts, "end", ends)
        serves = self.region_refs(entry, "serves", office)
        if not serves:
            raise entry.error("serves", "must list at least one region code")
        return SessionSeed(
            office=office,
            kind=one_of(entry, "kind", SESSION_KINDS),
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


def _slug(entry: Entry, max_len: int) -> str:
    slug = entry.text("slug", max_len=max_len)
    if not _SLUG.fullmatch(slug):
        raise entry.error("slug", f"{slug!r} must be lower-case letters, digits and hyphens")
    return slug


def parse(raw: object) -> Seed:
    return Parser(raw).parse()

"""Service locations, their opening hours, special days and the areas they serve."""

from piccolo.columns import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    Text,
    Time,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table

from portal.tables.keyed import Keyed
from portal.tables.regions import Kecamatan, Office


class Location(Keyed, Table):
    slug = Varchar(length=80, unique=True)
    office = ForeignKey(Office, null=False)
    kind = Varchar(length=30)  # mpp | dinas | kantor_kecamatan | kantor_kelurahan | sekolah
    name = Varchar(length=200)
    address = Text(null=True, default=None)
    kecamatan = ForeignKey(Kecamatan, null=True, default=None)
    services = JSON(default="[]")  # perekaman | pencetakan | aktivasi_ikd | adminduk_lain
    accessibility = Text(null=True, default=None)
    notes = Text(default="")
    source = Text(default="")
    verified = Boolean(default=False)
    checked_on = Date(null=True, default=None)
    active = Boolean(default=True)
    updated_at = Timestamptz()


class OpeningHours(Keyed, Table):
    location = ForeignKey(Location, null=False)
    weekday = Integer()  # 0 = Senin … 6 = Minggu
    opens = Time()
    closes = Time()
    note = Varchar(length=200, default="")


class SpecialDay(Keyed, Table):
    """A date with hours that differ from the weekly pattern (election day, holidays)."""

    location = ForeignKey(Location, null=False)
    day = Date()
    opens = Time(null=True, default=None)
    closes = Time(null=True, default=None)
    closed = Boolean(default=False)
    note = Varchar(length=300, default="")


class LocationArea(Keyed, Table):
    """A region a location serves. `region_code` is an office, kecamatan or village code:
    a village is served when any served code is a prefix of (or equal to) its code."""

    location = ForeignKey(Location, null=False)
    region_code = Varchar(length=15, index=True)

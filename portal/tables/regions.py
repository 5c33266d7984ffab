"""Offices and administrative regions (Kemendagri codes)."""

from piccolo.columns import JSON, ForeignKey, Integer, Text, Varchar
from piccolo.table import Table

from portal.tables.keyed import Keyed


class Office(Keyed, Table):
    """A Dispendukcapil office: `kota` or `kabupaten`. Office-specific rules live here as data."""

    slug = Varchar(length=20, unique=True)
    name = Varchar(length=200)
    short_name = Varchar(length=100)
    region_code = Varchar(length=10, unique=True)
    nik_prefix = Varchar(length=4)
    min_age_years = Integer(default=16)
    min_age_months = Integer(default=0)
    min_age_note = Text(default="")
    min_age_source = Text(default="")
    website = Varchar(length=200, null=True, default=None)
    main_location_slug = Varchar(length=80, default="")


class Kecamatan(Keyed, Table):
    code = Varchar(length=10, unique=True)
    office = ForeignKey(Office, null=False)
    name = Varchar(length=100)
    aliases = JSON(default="[]")


class Village(Keyed, Table):
    """A kelurahan or desa."""

    code = Varchar(length=15, unique=True)
    kecamatan = ForeignKey(Kecamatan, null=False)
    name = Varchar(length=100, index=True)
    kind = Varchar(length=10, default="kelurahan")  # kelurahan | desa
    aliases = JSON(default="[]")

"""Jemput bola recording sessions and the areas each one serves."""

from piccolo.columns import (
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

from portal.tables.accounts import User
from portal.tables.keyed import Keyed
from portal.tables.locations import Location
from portal.tables.regions import Office

SESSION_KINDS = ("sekolah", "kelurahan", "kecamatan", "kunjungan_rumah", "kantor")


class OutreachSession(Keyed, Table):
    office = ForeignKey(Office, null=False, index=True)
    kind = Varchar(length=20)
    title = Varchar(length=200)
    place = Varchar(length=200)
    address = Text(null=True, default=None)
    location = ForeignKey(Location, null=True, default=None)
    day = Date(index=True)
    starts = Time()
    ends = Time()
    audience = Text(default="")
    registration_via_rt = Boolean(default=False)
    capacity = Integer(default=0)  # 0 = no limit
    booked = Integer(default=0)  # residents scheduled; kept in step under a row lock
    public = Boolean(default=True)
    cancelled = Boolean(default=False)
    notes = Text(default="")
    created_by = ForeignKey(User, null=True, default=None)
    updated_at = Timestamptz()


class OutreachArea(Keyed, Table):
    session = ForeignKey(OutreachSession, null=False)
    region_code = Varchar(length=15, index=True)

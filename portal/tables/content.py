"""Public content maintained by staff: requirement items and published figures."""

from piccolo.columns import BigInt, Boolean, Date, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.table import Table

from portal.tables.keyed import Keyed
from portal.tables.regions import Office


class Requirement(Keyed, Table):
    slug = Varchar(length=80, unique=True)
    topic = Varchar(
        length=30
    )  # wajib | usia | dokumen | biaya | proses | perbedaan | ikd | risiko | lokasi
    office = ForeignKey(Office, null=True, default=None)  # None = applies to both offices
    title = Varchar(length=200)
    body = Text()
    legal_basis = Text(null=True, default=None)
    source = Text(default="")
    verified = Boolean(default=False)
    checked_on = Date(null=True, default=None)
    position = Integer(default=0)
    updated_at = Timestamptz()


class PublishedFigure(Keyed, Table):
    """A figure published by an office or the press, shown with its source and date."""

    office = ForeignKey(Office, null=False)
    label = Varchar(length=200)
    value = BigInt()
    unit = Varchar(length=30, default="orang")
    as_of = Date()
    as_of_text = Varchar(length=100, default="")
    source = Text(default="")
    verified = Boolean(default=False)
    position = Integer(default=0)


class SiteRevision(Keyed, Table):
    """One row whose counter is bumped whenever public content changes, so every worker
    process can drop its cached public pages without talking to the others."""

    revision = BigInt(default=0)
    changed_at = Timestamptz()

"""Targets per office and year (IKD activations as a share of wajib KTP, recordings per
month) and the office's own monthly totals from SIAK, which the portal cannot count itself
(most recordings and activations happen at counters, not through coordinator lists)."""

from piccolo.columns import Date, ForeignKey, Integer, Text, Timestamptz
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from portal.tables.accounts import User
from portal.tables.keyed import Keyed
from portal.tables.regions import Office

DEFAULT_IKD_PERCENT = 25


class OfficeTarget(Keyed, Table):
    office = ForeignKey(Office, null=False)
    year = Integer()
    wajib_ktp = Integer()  # residents who must hold a KTP-el (103,272 in the Kota, Jan 2023)
    ikd_percent = Integer(default=DEFAULT_IKD_PERCENT)
    recordings_per_month = Integer(null=True, default=None)  # None: no recording target
    source = Text(default="")
    updated_at = Timestamptz()
    updated_by = ForeignKey(User, null=True, default=None, on_delete=OnDelete.set_null)


class OfficeMonthTally(Keyed, Table):
    """An office's totals for one month as its own reports give them; None = not entered."""

    office = ForeignKey(Office, null=False)
    month = Date()  # the first day of the month
    ikd_activations = Integer(null=True, default=None)
    recordings = Integer(null=True, default=None)
    source = Text(default="")
    updated_at = Timestamptz()
    updated_by = ForeignKey(User, null=True, default=None, on_delete=OnDelete.set_null)

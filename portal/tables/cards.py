"""After recording: each recorded resident's card (printed, collected, or a Suket instead;
IKD activated or not) and each office's blank-card stock with the movements behind it.

``CardStock.balance`` is kept in step with the movements under a row lock, in the same
transaction as the movement (as ``OutreachSession.booked`` is with places), so a print can
be refused at zero blanks without summing the ledger; the sum of ``quantity`` over an
office's movements always equals its balance.
"""

from piccolo.columns import Boolean, Date, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from portal.tables.accounts import User
from portal.tables.keyed import Keyed
from portal.tables.regions import Office
from portal.tables.residents import Resident
from portal.tables.stamped import Stamped

CARD_STATES = ("menunggu_cetak", "dicetak", "diambil", "suket")
STOCK_KINDS = ("masuk", "cetak", "rusak", "koreksi")
DEFAULT_REORDER_AT = 500


class CardState(Stamped, Keyed, Table):
    """One per resident recorded since this feature exists (created in the transaction that
    marks them recorded); residents recorded before it have none and show no state."""

    resident = ForeignKey(Resident, null=False, unique=True, on_delete=OnDelete.cascade)
    office = ForeignKey(Office, null=False)
    state = Varchar(length=20, default="menunggu_cetak")
    printed_at = Timestamptz(null=True, default=None)
    printed_by = ForeignKey(User, null=True, default=None, on_delete=OnDelete.set_null)
    pickup_place = Varchar(length=200, default="")  # "KTP-el siap diambil di …"
    note = Text(default="")
    collected_at = Timestamptz(null=True, default=None)
    collected_by = ForeignKey(User, null=True, default=None, on_delete=OnDelete.set_null)
    # Collecting requires the person in person: the officer confirms they saw them.
    collected_in_person = Boolean(default=False)
    suket_at = Timestamptz(null=True, default=None)
    suket_by = ForeignKey(User, null=True, default=None, on_delete=OnDelete.set_null)
    # IKD (digital ID) is independent of the card.
    ikd_activated_at = Timestamptz(null=True, default=None)
    ikd_by = ForeignKey(User, null=True, default=None, on_delete=OnDelete.set_null)


class CardStock(Stamped, Keyed, Table):
    """An office's blank cards now, and the level at which to reorder."""

    office = ForeignKey(Office, null=False, unique=True)
    balance = Integer(default=0)
    reorder_at = Integer(default=DEFAULT_REORDER_AT)


class CardStockMovement(Keyed, Table):
    """One change of an office's blank-card stock: a delivery in, a card printed (one
    blank), spoiled blanks, or a count correction. ``quantity`` is signed."""

    office = ForeignKey(Office, null=False)
    kind = Varchar(length=10)  # masuk | cetak | rusak | koreksi
    quantity = Integer()
    balance_after = Integer()
    at = Timestamptz()
    day = Date()  # the local date, for the print rate of recent weeks
    actor = ForeignKey(User, null=True, default=None, on_delete=OnDelete.set_null)
    resident = ForeignKey(Resident, null=True, default=None, on_delete=OnDelete.set_null)
    reference = Varchar(length=100, default="")  # a delivery's letter or batch number
    note = Varchar(length=300, default="")

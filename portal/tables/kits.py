"""Recording kits (camera, fingerprint and iris scanners, PC, printer: about Rp 160 juta a
set, so an office has few), the operators who run them, and each session's plan: its kit,
operators, and for schools the students expected and those recorded without a list.

A session's plan is a table of its own rather than columns of ``outreach_session``, so the
existing table is not altered. Double-booking is refused by locking the kit's row inside the
write transaction before the overlap check (docs/drive.md, "Kits"); no constraint can say it
on SQLite, and a PostgreSQL exclusion constraint would need the btree_gist extension.
"""

from piccolo.columns import Boolean, ForeignKey, Integer, Text, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from portal.tables.accounts import User
from portal.tables.keyed import Keyed
from portal.tables.outreach import OutreachSession
from portal.tables.regions import Office
from portal.tables.stamped import Stamped


class RecordingKit(Stamped, Keyed, Table):
    office = ForeignKey(Office, null=False)
    name = Varchar(length=100)  # unique per office (migration)
    serial = Varchar(length=100, default="")
    notes = Text(default="")
    active = Boolean(default=True)


class KitOperator(Stamped, Keyed, Table):
    office = ForeignKey(Office, null=False, index=True)
    full_name = Varchar(length=120)
    phone = Varchar(length=20, null=True, default=None, secret=True)
    # An operator may also have a staff account; most field operators do not.
    user = ForeignKey(User, null=True, default=None, on_delete=OnDelete.set_null)
    active = Boolean(default=True)


class SessionPlan(Stamped, Keyed, Table):
    session = ForeignKey(OutreachSession, null=False, unique=True, on_delete=OnDelete.cascade)
    # Kits are deactivated, never deleted, so a past session keeps its kit.
    kit = ForeignKey(RecordingKit, null=True, default=None, index=True, on_delete=OnDelete.restrict)
    target_students = Integer(null=True, default=None)  # schools: students expected
    # Recorded on the spot without being on any coordinator list (school walk-ins).
    walk_in_recorded = Integer(default=0)
    updated_by = ForeignKey(User, null=True, default=None, on_delete=OnDelete.set_null)


class SessionOperator(Keyed, Table):
    session = ForeignKey(OutreachSession, null=False, on_delete=OnDelete.cascade)
    operator = ForeignKey(KitOperator, null=False, index=True, on_delete=OnDelete.restrict)

"""Coordinator lists of residents who still need recording, and what staff do with them."""

from piccolo.columns import (
    JSON,
    UUID,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table

from portal.tables.accounts import User
from portal.tables.keyed import Keyed
from portal.tables.outreach import OutreachSession
from portal.tables.regions import Kecamatan, Office, Village

LIST_STATES = ("draft", "submitted", "withdrawn")
CATEGORIES = ("pemula", "dewasa", "lansia", "disabilitas", "luar_kota", "lainnya")
STATUSES = (
    "draft",
    "diterima",
    "diverifikasi",
    "perlu_perbaikan",
    "dijadwalkan",
    "sudah_rekam",
    "ditolak",
    "duplikat",
    "tidak_hadir",
)


class ResidentList(Keyed, Table):
    public_id = UUID(unique=True)
    coordinator = ForeignKey(User, null=False, index=True)
    office = ForeignKey(Office, null=False, index=True)
    village = ForeignKey(Village, null=False)
    rw = Varchar(length=3, null=True, default=None)
    rt = Varchar(length=3, null=True, default=None)
    title = Varchar(length=150, default="")
    note = Text(default="")
    state = Varchar(length=12, default="draft", index=True)
    # One-time token of the submit form: a resend of the same submit finds the list
    # already submitted under this token instead of submitting twice.
    submit_token = Varchar(length=64, null=True, default=None, unique=True)
    created_at = Timestamptz()
    updated_at = Timestamptz()
    submitted_at = Timestamptz(null=True, default=None)
    withdrawn_at = Timestamptz(null=True, default=None)
    version = Integer(default=1)


class Resident(Keyed, Table):
    resident_list = ForeignKey(ResidentList, null=False, index=True)
    # Denormalised from the list so the staff queue filters without joins.
    office = ForeignKey(Office, null=False, index=True)
    kecamatan = ForeignKey(Kecamatan, null=False, index=True)
    village = ForeignKey(Village, null=False, index=True)
    full_name = Varchar(length=120)
    name_key = Varchar(
        length=120, index=True
    )  # lower-cased, spaces collapsed: search and duplicates
    nik = Varchar(length=16, null=True, default=None, index=True, secret=True)
    birth_date = Date(null=True, default=None)
    sex = Varchar(length=1, null=True, default=None)  # L | P
    address = Text(default="")
    rw = Varchar(length=3, null=True, default=None)
    rt = Varchar(length=3, null=True, default=None)
    phone = Varchar(length=20, null=True, default=None, secret=True)
    category = Varchar(length=20, default="lainnya")
    note = Text(default="")
    guardian_consent = Boolean(default=False)
    # Married or ever married (divorced, widowed): the card is mandatory at any age.
    married = Boolean(default=False)
    warnings = JSON(default="[]")  # [{"code": ..., "message": ...}], shown to staff
    # Flags mirrored from `warnings` so the staff queue can filter on an index.
    warn_nik = Boolean(default=False, index=True)  # NIK date/sex/region differs
    warn_duplicate = Boolean(default=False, index=True)  # possible duplicate
    warn_under_age = Boolean(default=False, index=True)  # below the office's minimum age
    eligible_from = Date(null=True, default=None)  # set when under the office's minimum age
    status = Varchar(length=20, default="draft", index=True)
    status_reason = Text(default="")
    reject_code = Varchar(length=30, null=True, default=None)
    duplicate_of: ForeignKey = ForeignKey("self", null=True, default=None)
    outreach_session = ForeignKey(OutreachSession, null=True, default=None, index=True)
    recorded_on = Date(null=True, default=None)
    recorded_place = Varchar(length=200, null=True, default=None)
    assigned_to = ForeignKey(User, null=True, default=None)
    created_at = Timestamptz()
    updated_at = Timestamptz()
    submitted_at = Timestamptz(null=True, default=None, index=True)
    version = Integer(default=1)
    purged_at = Timestamptz(null=True, default=None)


class ResidentEvent(Keyed, Table):
    """One line of a resident's history: a status change or another action."""

    resident = ForeignKey(Resident, null=False, index=True)
    at = Timestamptz()
    actor = ForeignKey(User, null=True, default=None)
    action = Varchar(length=40)
    from_status = Varchar(length=20, default="")
    to_status = Varchar(length=20, default="")
    reason = Text(default="")


class ResidentNote(Keyed, Table):
    resident = ForeignKey(Resident, null=False, index=True)
    author = ForeignKey(User, null=True, default=None)
    at = Timestamptz()
    body = Text()
    visible_to_coordinator = Boolean(default=False)


class FormToken(Keyed, Table):
    """One-time tokens of forms that must act once ("new list", "add a resident"): the
    first request inserts the token with the object it created; a resend of the same form
    (double tap, slow connection) hits the unique token and finds that object instead.
    ``fingerprint`` (a hash of what was sent) tells a resend from the same token carrying
    something else, which is refused rather than answered with the first object."""

    token = Varchar(length=64, unique=True)
    purpose = Varchar(length=20)  # list.create | resident.add
    owner = ForeignKey(User, null=False)
    object_id = Integer(default=0)
    fingerprint = Varchar(length=64, default="")
    created_at = Timestamptz(index=True)


class DraftEntry(Keyed, Table):
    """What a coordinator has typed into a resident form but not saved yet, autosaved on
    every change so a closed tab or a lost signal loses at most the field being typed.

    ``key`` is ``"<list id>:new"`` for the add form and ``"<list id>:<resident id>"`` for an
    edit, so one upsert per autosave and no two rows for the same form.
    """

    key = Varchar(length=80, unique=True)
    resident_list = ForeignKey(ResidentList, null=False, index=True)
    owner = ForeignKey(User, null=False)
    fields = JSON(default="{}")
    updated_at = Timestamptz()


class ImportBatch(Keyed, Table):
    """Rows pasted or uploaded by a coordinator, parsed and waiting for confirmation.

    The confirm step stores what is here (re-validated), never what the browser sends back.
    """

    public_id = UUID(unique=True)
    owner = ForeignKey(User, null=False, index=True)
    resident_list = ForeignKey(ResidentList, null=False, index=True)
    source = Varchar(length=10)  # paste | csv | xlsx
    filename = Varchar(length=200, default="")
    header_detected = Boolean(default=False)
    # [{"n": source line/row number, "fields": {field: raw text}, "skip": bool, ...}]
    rows = JSON(default="[]")
    created_at = Timestamptz()
    expires_at = Timestamptz(index=True)
    confirmed_at = Timestamptz(null=True, default=None)
    stored_count = Integer(default=0)

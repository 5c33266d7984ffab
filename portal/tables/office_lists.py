"""Verification lists from office data ("sisir data"): the office's "belum rekam" export as
uploaded, read and applied, and the register of people it lists, which coordinators check.

An import moves uploaded → parsing → parsed (staff review the preview) → applying → applied,
or ends failed / cancelled. Any app worker may run its steps: ``worker`` and
``heartbeat_at`` are the lease, ``read_rows`` / ``applied_rows`` the durable cursor and the
progress the page shows (docs/drive.md, "The import job").

Composite and partial indexes (one open import per office, one person per NIK per office,
one staged row per line) are raw SQL in the migration: Piccolo columns cannot declare them.
"""

from piccolo.columns import JSON, UUID, Bytea, Date, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from portal.tables.accounts import User
from portal.tables.keyed import Keyed
from portal.tables.regions import Kecamatan, Office, Village
from portal.tables.residents import Resident
from portal.tables.stamped import Stamped

IMPORT_STATES = ("uploaded", "parsing", "parsed", "applying", "applied", "failed", "cancelled")
# States a worker picks up; "parsed" waits for staff.
RUNNABLE_STATES = ("uploaded", "parsing", "applying")
# At most one import per office in these states (a partial unique index): two imports
# applied side by side would each call the other's people "gone".
OPEN_STATES = ("uploaded", "parsing", "parsed", "applying")
OUTCOMES = ("tinggal", "pindah", "meninggal", "tidak_dikenal", "rumah_kosong", "sudah_rekam")
ROW_CHANGES = ("baru", "berubah", "tetap", "galat")


class OfficeImport(Keyed, Table):
    public_id = UUID(unique=True)
    office = ForeignKey(Office, null=False, index=True)
    uploaded_by = ForeignKey(User, null=True, default=None, on_delete=OnDelete.set_null)
    filename = Varchar(length=200, default="")
    source = Varchar(length=10, default="csv")  # csv | xlsx
    size_bytes = Integer(default=0)
    # SHA-256 of the file: uploading the same export twice is pointed out, not refused.
    sha256 = Varchar(length=64, default="", index=True)
    data_as_of = Date(null=True, default=None)  # the date the office's export is "per"
    state = Varchar(length=12, default="uploaded", index=True)
    # Progress and cursor: rows known (an estimate until read), read, applied.
    total_rows = Integer(default=0)
    read_rows = Integer(default=0)
    applied_rows = Integer(default=0)
    error_rows = Integer(default=0)
    new_count = Integer(default=0)
    changed_count = Integer(default=0)
    unchanged_count = Integer(default=0)
    gone_count = Integer(default=0)
    columns = JSON(default="[]")  # the field each column of the file was read as
    problem = Text(default="")  # why the file as a whole could not be read (Indonesian)
    # The lease: whoever holds it runs the next chunk; a lapsed heartbeat frees it.
    worker = Varchar(length=80, default="")
    heartbeat_at = Timestamptz(null=True, default=None)
    attempts = Integer(default=0)
    created_at = Timestamptz()
    parsed_at = Timestamptz(null=True, default=None)
    confirmed_by = ForeignKey(User, null=True, default=None, on_delete=OnDelete.set_null)
    confirmed_at = Timestamptz(null=True, default=None)
    applied_at = Timestamptz(null=True, default=None)
    cancelled_at = Timestamptz(null=True, default=None)
    version = Integer(default=1)


# Where an import has got to and what it found: the cursor and counts that the job steps on
# and the pages show, selected alike by both.
PROGRESS_COLUMNS = (
    OfficeImport.total_rows,
    OfficeImport.read_rows,
    OfficeImport.applied_rows,
    OfficeImport.error_rows,
    OfficeImport.new_count,
    OfficeImport.changed_count,
    OfficeImport.unchanged_count,
    OfficeImport.gone_count,
)


class OfficeUploadPart(Keyed, Table):
    """The uploaded file, in parts of at most 1 MiB, so no statement carries the whole file.
    Deleted once the import is applied, cancelled or failed."""

    office_import = ForeignKey(OfficeImport, null=False, on_delete=OnDelete.cascade)
    n = Integer()
    data = Bytea(default=b"")


class OfficeImportRow(Keyed, Table):
    """One data row of an uploaded file as read and checked, waiting for the staff's
    confirmation. Deleted once the import is applied or cancelled."""

    office_import = ForeignKey(OfficeImport, null=False, on_delete=OnDelete.cascade)
    n = Integer()  # the row number staff see in their spreadsheet
    nik = Varchar(length=16, null=True, default=None, secret=True)
    full_name = Varchar(length=120, default="")
    name_key = Varchar(length=120, default="")
    birth_date = Date(null=True, default=None)
    sex = Varchar(length=1, null=True, default=None)
    address = Text(default="")
    rw = Varchar(length=3, null=True, default=None)
    rt = Varchar(length=3, null=True, default=None)
    village = ForeignKey(Village, null=True, default=None, on_delete=OnDelete.set_null)
    kecamatan = ForeignKey(Kecamatan, null=True, default=None, on_delete=OnDelete.set_null)
    fingerprint = Varchar(length=64, default="")
    change = Varchar(length=10, default="")  # baru | berubah | tetap | galat
    errors = JSON(default="{}")  # field → message
    warnings = JSON(default="[]")  # [{"code", "field", "message"}]
    cells = JSON(default="{}")  # field → the text as it stood in the file


class OfficePerson(Stamped, Keyed, Table):
    """Someone the office's data lists as not yet recorded, one row per NIK per office,
    kept up to date by each import and checked by the coordinator of their RT."""

    office = ForeignKey(Office, null=False)
    kecamatan = ForeignKey(Kecamatan, null=False)
    village = ForeignKey(Village, null=False)
    rw = Varchar(length=3, null=True, default=None)
    rt = Varchar(length=3, null=True, default=None)
    nik = Varchar(length=16, null=True, default=None, secret=True)  # None once purged
    full_name = Varchar(length=120)
    name_key = Varchar(length=120, default="")
    birth_date = Date(null=True, default=None)
    sex = Varchar(length=1, null=True, default=None)
    address = Text(default="")
    fingerprint = Varchar(length=64, default="")  # of the office's fields: the re-import diff
    first_import = ForeignKey(OfficeImport, null=True, default=None, on_delete=OnDelete.set_null)
    last_import = ForeignKey(OfficeImport, null=True, default=None, on_delete=OnDelete.set_null)
    # Set when a later export no longer lists them (recorded elsewhere, moved out, died).
    gone_import = ForeignKey(OfficeImport, null=True, default=None, on_delete=OnDelete.set_null)
    gone_at = Timestamptz(null=True, default=None)
    # The coordinator's finding: None = not checked yet.
    outcome = Varchar(length=20, null=True, default=None)
    outcome_detail = Varchar(length=200, default="")  # where to / where and when recorded
    outcome_note = Text(default="")
    outcome_by = ForeignKey(User, null=True, default=None, on_delete=OnDelete.set_null)
    outcome_at = Timestamptz(null=True, default=None)
    # Staff took the report into their own records (a move or a death is theirs to process).
    handled_at = Timestamptz(null=True, default=None)
    handled_by = ForeignKey(User, null=True, default=None, on_delete=OnDelete.set_null)
    # "Masih tinggal di sini": the resident of a coordinator list they became.
    resident = ForeignKey(
        Resident, null=True, default=None, index=True, on_delete=OnDelete.set_null
    )
    purged_at = Timestamptz(null=True, default=None)


class OfficeListVisit(Keyed, Table):
    """When a coordinator first and last opened their "Daftar dari kantor" of an import:
    staff see who has not opened it yet and can remind them."""

    coordinator = ForeignKey(User, null=False, on_delete=OnDelete.cascade)
    office_import = ForeignKey(OfficeImport, null=False, index=True, on_delete=OnDelete.cascade)
    first_at = Timestamptz()
    last_at = Timestamptz()
    views = Integer(default=1)

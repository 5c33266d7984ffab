"""Piccolo tables, one module per area. `ALL_TABLES` is what the Piccolo app registers."""

from portal.tables.accounts import (
    ActivationToken,
    AuditEntry,
    LoginAttempt,
    LoginChallenge,
    RecoveryCode,
    ThrottleNotice,
    User,
    UserSession,
)
from portal.tables.cards import CardState, CardStock, CardStockMovement
from portal.tables.content import PublishedFigure, Requirement, SiteRevision
from portal.tables.kits import KitOperator, RecordingKit, SessionOperator, SessionPlan
from portal.tables.locations import Location, LocationArea, OpeningHours, SpecialDay
from portal.tables.office_lists import (
    OfficeImport,
    OfficeImportRow,
    OfficeListVisit,
    OfficePerson,
    OfficeUploadPart,
)
from portal.tables.outreach import OutreachArea, OutreachSession
from portal.tables.regions import Kecamatan, Office, Village
from portal.tables.residents import (
    DraftEntry,
    FormToken,
    ImportBatch,
    Resident,
    ResidentEvent,
    ResidentList,
    ResidentNote,
)
from portal.tables.targets import OfficeMonthTally, OfficeTarget

ALL_TABLES = [
    Office,
    Kecamatan,
    Village,
    Location,
    LocationArea,
    OpeningHours,
    SpecialDay,
    Requirement,
    PublishedFigure,
    SiteRevision,
    User,
    UserSession,
    LoginChallenge,
    LoginAttempt,
    ThrottleNotice,
    RecoveryCode,
    ActivationToken,
    AuditEntry,
    OutreachSession,
    OutreachArea,
    ResidentList,
    Resident,
    ResidentEvent,
    ResidentNote,
    FormToken,
    DraftEntry,
    ImportBatch,
    # The drive (issue 12): office lists, after recording, targets, kits.
    OfficeImport,
    OfficeUploadPart,
    OfficeImportRow,
    OfficePerson,
    OfficeListVisit,
    CardState,
    CardStock,
    CardStockMovement,
    OfficeTarget,
    OfficeMonthTally,
    RecordingKit,
    KitOperator,
    SessionPlan,
    SessionOperator,
]

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
from portal.tables.content import PublishedFigure, Requirement, SiteRevision
from portal.tables.locations import Location, LocationArea, OpeningHours, SpecialDay
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
]

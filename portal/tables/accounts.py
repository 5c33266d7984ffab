"""Accounts, sessions, sign-in throttling, one-time tokens and the audit log."""

from piccolo.columns import (
    JSON,
    BigInt,
    Boolean,
    ForeignKey,
    Integer,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from portal.tables.keyed import Keyed
from portal.tables.regions import Kecamatan, Office, Village

ROLES = ("admin", "staff", "coordinator")
COORDINATOR_TITLES = ("ketua_rt", "ketua_rw", "kader_pkk", "operator_sekolah")


class User(Keyed, Table, tablename="portal_user"):
    username = Varchar(length=50, unique=True)
    phone = Varchar(length=20, null=True, default=None, unique=True)  # E.164, also a login name
    full_name = Varchar(length=120)
    role = Varchar(length=20)  # admin | staff | coordinator
    office = ForeignKey(Office, null=True, default=None)  # None only for admin
    title = Varchar(
        length=30, default=""
    )  # coordinators: ketua_rt | ketua_rw | kader_pkk | operator_sekolah
    scope_kecamatan = ForeignKey(Kecamatan, null=True, default=None)
    scope_village = ForeignKey(Village, null=True, default=None)
    scope_rw = Varchar(length=3, null=True, default=None)
    scope_rt = Varchar(length=3, null=True, default=None)
    password_hash = Text(null=True, default=None, secret=True)  # None until activated
    active = Boolean(default=True)
    totp_secret = Varchar(length=64, null=True, default=None, secret=True)
    totp_enabled = Boolean(default=False)
    # The 30-second step of the last accepted TOTP code: a code is accepted once only, so
    # one read over a shoulder or from a phishing page cannot be replayed.
    totp_last_step = BigInt(null=True, default=None)
    created_at = Timestamptz()
    created_by: ForeignKey = ForeignKey("self", null=True, default=None)
    last_login_at = Timestamptz(null=True, default=None)
    # Bumped on any change of role or scope: sessions remember the value they were
    # created with, so a change forces re-login (session rotation).
    auth_version = Integer(default=1)


class UserSession(Keyed, Table):
    """Server-side session. Only the SHA-256 of the cookie token is stored."""

    token_hash = Varchar(length=64, unique=True, secret=True)
    user = ForeignKey(User, null=False, index=True)
    auth_version = Integer(default=1)
    created_at = Timestamptz()
    last_seen_at = Timestamptz()
    idle_seconds = Integer(default=1800)
    expires_at = Timestamptz()  # absolute lifetime
    ip = Varchar(length=45, default="")
    user_agent = Varchar(length=200, default="")


class LoginChallenge(Keyed, Table):
    """Password accepted, second factor pending: no session exists yet."""

    token_hash = Varchar(length=64, unique=True, secret=True)
    user = ForeignKey(User, null=False)
    purpose = Varchar(length=20, default="totp")  # totp | enrol
    created_at = Timestamptz()
    expires_at = Timestamptz()
    attempts = Integer(default=0)


class LoginAttempt(Keyed, Table):
    """Sign-in attempts, shared by every worker process for throttling."""

    at = Timestamptz(index=True)
    ip = Varchar(length=45, index=True)
    account = Varchar(length=120, index=True)  # normalised login name as typed
    success = Boolean(default=False)


class ThrottleNotice(Keyed, Table):
    """One row per throttle episode that was written to the audit log, so refused attempts
    add one audit entry per episode however many there are (see portal/auth/throttle.py).
    Only a SHA-256 of the episode (limit, address or account key, start) is kept."""

    episode_hash = Varchar(length=64, unique=True)
    at = Timestamptz(index=True)


class RecoveryCode(Keyed, Table):
    user = ForeignKey(User, null=False, index=True)
    code_hash = Varchar(length=128, secret=True)
    used_at = Timestamptz(null=True, default=None)


class ActivationToken(Keyed, Table):
    """A one-time link to set a password: account activation or a staff-issued reset."""

    token_hash = Varchar(length=64, unique=True, secret=True)
    user = ForeignKey(User, null=False, index=True)
    purpose = Varchar(length=20, default="activate")  # activate | reset
    created_at = Timestamptz()
    created_by = ForeignKey(User, null=True, default=None)
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)


class AuditEntry(Keyed, Table):
    """Append-only record of who did what. Never holds a password, token or full NIK."""

    at = Timestamptz(default=TimestamptzNow(), index=True)
    actor = ForeignKey(User, null=True, default=None, index=True)
    actor_name = Varchar(length=120, default="")
    role = Varchar(length=20, default="")
    office = ForeignKey(Office, null=True, default=None, index=True)
    action = Varchar(length=60, index=True)
    object_type = Varchar(length=40, default="")
    object_id = Varchar(length=40, default="", index=True)
    detail = JSON(default="{}")
    ip = Varchar(length=45, default="")

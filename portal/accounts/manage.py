"""Managing other people's accounts: staff manage the coordinators of their office
(``COORDINATORS``), admin manages staff and admins (``STAFF``).

Both follow one life cycle, written once here: create (no password: a one-time
activation link is shown once, to hand over e.g. by WhatsApp) → the person sets a password
→ a new link may be issued (reset: the old password, links and sessions stop working),
the account deactivated (sessions end at once) or reactivated. Coordinators also have an
area (village, RW, RT) that staff may change (``portal.accounts.area``); a change ends the
coordinator's sessions. Admin accounts are listed with staff: admins are not office-scoped,
and an admin account can only be managed by another admin who confirms with their own
password; roles change on one admin-only page (``portal.accounts.roles``).

An account outside the manager's scope is ``NotFound``, as if it did not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from piccolo.custom_types import Combinable
from piccolo.query.functions.aggregate import Count

from portal.accounts import account_fields, passwords
from portal.accounts.account_fields import AccountInput
from portal.auth.activation import expire_links, issue_link, share_text
from portal.auth.sessions import bump_auth_version, end_all_sessions
from portal.domain import audit
from portal.domain.actor import Actor
from portal.domain.errors import Conflict, Forbidden, Invalid, NotFound, Throttled
from portal.domain.links import whatsapp_share_url
from portal.domain.paging import Pager
from portal.domain.regions import region_tree
from portal.domain.scope import Scope
from portal.domain.transactions import UNIQUE_VIOLATIONS, is_postgres, write_transaction
from portal.tables.accounts import ROLES, ActivationToken, User
from portal.tables.residents import ResidentList

CONFLICT = (
    "Akun ini baru saja diubah di tempat lain (atau pemiliknya mengganti kata sandi). "
    "Di bawah ini data terbarunya; periksa lalu simpan lagi jika masih perlu."
)
LAST_ADMIN = (
    "Ini admin aktif terakhir. Jadikan petugas lain admin dulu, supaya portal tetap punya admin."
)
# Actions on an admin account need the acting admin's password, one field per form.
CONFIRM_FIELDS = {
    "link": "current_password_tautan",
    "deactivate": "current_password_nonaktifkan",
    "reactivate": "current_password_aktifkan",
}


@dataclass(frozen=True, slots=True)
class Kind:
    """Which accounts a set of pages manages."""

    key: str  # route names are accounts:<key>-<page>
    role: str  # the role of accounts created here
    roles: tuple[str, ...]  # the roles of accounts shown and managed here
    noun: str  # for headings and messages

    def route(self, page: str) -> str:
        return f"accounts:{self.key}-{page}"


COORDINATORS = Kind("coordinators", "coordinator", ("coordinator",), "koordinator")
# Admins are managed with staff: they are staff with more rights, and otherwise no page
# would let one be demoted, reset or deactivated.
STAFF = Kind("staff", "staff", ("staff", "admin"), "petugas")


def kind_of(role: str) -> Kind:
    """Where an account of this role is managed."""
    return COORDINATORS if role == "coordinator" else STAFF


@dataclass
class AccountFilters:
    status: str = ""  # aktif | menunggu | nonaktif
    q: str = ""
    kecamatan: int | None = None
    village: int | None = None
    halaman: str = ""


@dataclass(frozen=True)
class AccountList:
    rows: list[dict]
    pager: Pager
    params: dict[str, Any]  # the listing's filters, kept on its page links


@dataclass(frozen=True)
class Issued:
    """A one-time link just made, to show once."""

    account: dict
    url: str
    share_url: str
    created: bool


# password_hash only to tell "waiting for activation" (``_shaped``); never rendered.
_COLUMNS = User.all_columns(exclude=[User.totp_secret])
_DISPLAY = (
    User.scope_village.name.as_alias("village_name"),
    User.scope_kecamatan.name.as_alias("kecamatan_name"),
)


def _shaped(row: dict) -> dict:
    row["activated"] = bool(row.pop("password_hash"))
    row["state"] = "nonaktif" if not row["active"] else "aktif" if row["activated"] else "menunggu"
    return row


def _office_where(access: Scope, kind: Kind, *, listing: bool) -> list[Combinable]:
    """Coordinators: the offices of the scope. Staff and admins: admin only, every office
    (an admin has none), narrowed to the office chosen for a listing."""
    if kind.role == "coordinator":
        access.require_staff()
        return [access.office_where(User.office, listing=listing)]
    if not access.is_admin:
        raise Forbidden()
    if listing and access.current is not None:
        return [User.office == access.current.id]
    return []


async def _load(user_id: int, roles: tuple[str, ...], where: list[Combinable]) -> dict:
    row = (
        await User.select(
            *_COLUMNS,
            *_DISPLAY,
            User.office.name.as_alias("office_name"),
            User.created_by.username.as_alias("created_by_name"),
        )
        .where(User.id == user_id, User.role.is_in(list(roles)), *where)
        .first()
    )
    if row is None:
        raise NotFound()
    return _shaped(row)


async def load_account(access: Scope, kind: Kind, user_id: int) -> dict:
    """A managed account with its display columns; ``NotFound`` outside the scope."""
    return await _load(user_id, kind.roles, _office_where(access, kind, listing=False))


async def load_any(access: Scope, user_id: int) -> dict:
    """Any account, for an admin."""
    if not access.is_admin:
        raise Forbidden()
    return await _load(user_id, ROLES, [])


async def form_choices(access: Scope, kind: Kind) -> dict[str, Any]:
    """What the account forms offer: villages by kecamatan (coordinators), offices (staff)."""
    if kind.role == "coordinator":
        return {"groups": (await region_tree(access.allowed_ids)).kecamatan}
    return {"offices": access.offices}


def _filter_where(kind: Kind, filters: AccountFilters) -> list[Combinable]:
    where: list[Combinable] = [User.role.is_in(list(kind.roles))]
    if filters.status == "aktif":
        where.append(User.active.eq(True) & User.password_hash.is_not_null())
    elif filters.status == "menunggu":
        where.append(User.active.eq(True) & User.password_hash.is_null())
    elif filters.status == "nonaktif":
        where.append(User.active.eq(False))
    if search := filters.q[:60]:
        like = f"%{search.lower()}%"
        # SQLite's LIKE already ignores ASCII case (and warns about ILIKE); PostgreSQL's
        # does not.
        name = User.full_name.ilike(like) if is_postgres() else User.full_name.like(like)
        where.append(User.username.like(like) | name)
    if kind.role == "coordinator" and filters.kecamatan:
        where.append(User.scope_kecamatan == filters.kecamatan)
    if kind.role == "coordinator" and filters.village:
        where.append(User.scope_village == filters.village)
    return where


async def list_accounts(access: Scope, kind: Kind, filters: AccountFilters) -> AccountList:
    where = [*_office_where(access, kind, listing=True), *_filter_where(kind, filters)]
    pager = Pager.of(filters.halaman, await User.count().where(*where))
    rows = (
        await User.select(*_COLUMNS, *_DISPLAY, User.office.short_name.as_alias("office_name"))
        .where(*where)
        .order_by(User.office, User.scope_kecamatan.name, User.scope_village.name)
        .order_by(User.scope_rw, User.scope_rt, User.full_name)
        .limit(pager.size)
        .offset(pager.offset)
    )
    rows = [_shaped(row) for row in rows]
    if kind.role == "coordinator":
        await _add_list_counts(rows)
    params = {
        "kantor": access.kantor,
        "status": filters.status,
        "q": filters.q[:60],
        "kecamatan": filters.kecamatan,
        "village": filters.village,
    }
    return AccountList(rows, pager, {k: v for k, v in params.items() if v})


async def _add_list_counts(rows: list[dict]) -> None:
    """How many resident lists each coordinator made."""
    ids = [row["id"] for row in rows]
    counts = {}
    if ids:
        counts = {
            r["coordinator"]: r["count"]
            for r in await ResidentList.select(ResidentList.coordinator, Count())
            .where(ResidentList.coordinator.is_in(ids))
            .group_by(ResidentList.coordinator)
        }
    for row in rows:
        row["list_count"] = counts.get(row["id"], 0)


async def account_detail(access: Scope, kind: Kind, user_id: int) -> dict:
    """The account with its unused link, if any, and (coordinators) its list count."""
    account = await load_account(access, kind, user_id)
    account["pending_link"] = (
        await ActivationToken.select(ActivationToken.expires_at, ActivationToken.purpose)
        .where(
            (ActivationToken.user == user_id)
            & ActivationToken.used_at.is_null()
            & (ActivationToken.expires_at > datetime.now(UTC))
        )
        .first()
    )
    if kind.role == "coordinator":
        await _add_list_counts([account])
    return account


def _issued(account: dict, url: str, *, created: bool) -> Issued:
    share = whatsapp_share_url(share_text(account["full_name"], url))
    return Issued(account, url, share, created)


async def create_account(access: Scope, kind: Kind, form: AccountInput) -> Issued:
    """A new account without a password, and its activation link."""
    actor = access.actor
    errors: dict[str, str] = {}
    fields = await account_fields.common_fields(form, new=True, errors=errors)
    if kind.role == "coordinator":
        fields.update(await account_fields.coordinator_fields(access, form, errors))
    else:
        fields.update(account_fields.office_field(access, form, errors))
    if errors:
        raise Invalid(errors)
    try:
        async with write_transaction():
            user = User(
                **fields,
                role=kind.role,
                password_hash=None,
                active=True,
                created_at=datetime.now(UTC),
                created_by=actor.user_id,
            )
            await user.save()
            url = await issue_link(user.id, created_by=actor.user_id, purpose="activate")
            await audit.record(
                actor,
                "account.created",
                office_id=fields["office"],
                object_type="user",
                object_id=user.id,
                detail={"username": user.username, "role": user.role},
            )
    except UNIQUE_VIOLATIONS:
        # Two submits raced past the checks above: the unique index decided.
        raise Invalid({"username": "Nama pengguna atau nomor HP ini sudah dipakai"}) from None
    return _issued(await load_account(access, kind, user.id), url, created=True)


async def _confirm(actor: Actor, account: dict, password: str, action: str) -> None:
    """Resetting, deactivating or reactivating an admin: another admin, who types their own
    password (so a session left open or stolen cannot take over or lock out the other
    admins). One's own account is managed at /akun: ``NotFound`` here."""
    if account["id"] == actor.user_id:
        raise NotFound()
    if account["role"] != "admin":
        return
    field = CONFIRM_FIELDS[action]
    try:
        errors = await passwords.check_current_password(actor, password, field)
    except Throttled as exc:
        errors = {field: exc.message}
    if errors:
        raise Invalid(errors)


async def reissue_link(access: Scope, kind: Kind, user_id: int, password: str) -> Issued:
    """A new one-time link. For an activated account this is a reset: the password stops
    working at once, with every earlier link and every session."""
    actor = access.actor
    account = await load_account(access, kind, user_id)
    if not account["active"]:
        raise NotFound()
    await _confirm(actor, account, password, "link")
    async with write_transaction():
        # Still a reset when an earlier reset link was issued but not used yet.
        reset = account["activated"] or await ActivationToken.exists().where(
            (ActivationToken.user == user_id)
            & ((ActivationToken.purpose == "reset") | ActivationToken.used_at.is_not_null())
        )
        if reset:
            await User.update({User.password_hash: None}).where(User.id == user_id)
        await bump_auth_version(user_id)
        purpose = "reset" if reset else "activate"
        url = await issue_link(user_id, created_by=actor.user_id, purpose=purpose)
        action = "account.reset" if reset else "account.link_reissued"
        await audit.record(
            actor, action, office_id=account["office"], object_type="user", object_id=user_id
        )
    return _issued(account, url, created=False)


async def set_active(
    access: Scope, kind: Kind, user_id: int, password: str, *, active: bool
) -> None:
    """Deactivate (every session and unused link ends at once; ``Conflict`` for the last
    admin) or reactivate an account."""
    actor = access.actor
    account = await load_account(access, kind, user_id)
    await _confirm(actor, account, password, "reactivate" if active else "deactivate")
    async with write_transaction():
        if not active and account["role"] == "admin" and not await another_admin_remains(user_id):
            raise Conflict(LAST_ADMIN)
        await User.update({User.active: active}).where(User.id == user_id)
        if not active:
            await expire_links(user_id)
            await end_all_sessions(user_id)
        await audit.record(
            actor,
            "account.reactivated" if active else "account.deactivated",
            office_id=account["office"],
            object_type="user",
            object_id=user_id,
        )


async def another_admin_remains(user_id: int) -> bool:
    """Is there an admin who can still sign in, other than ``user_id``? Call it inside
    ``write_transaction()`` before taking admin access away: on PostgreSQL the admins'
    rows are locked in id order, so two admins demoting or deactivating each other at
    the same moment cannot both pass (the second waits, then no longer sees the first as
    an admin); SQLite's IMMEDIATE transaction already runs them one after the other."""
    query = (
        User.select(User.id)
        .where((User.role == "admin") & User.active.eq(True) & User.password_hash.is_not_null())
        .order_by(User.id)
    )
    if is_postgres():
        query = query.lock_rows()
    return any(row["id"] != user_id for row in await query)


async def change_account(
    actor: Actor, account: dict, fields: dict[str, Any], *, version: int, action: str
) -> bool:
    """Write a change of role, office or area, if the account is still as the form showed
    it. ``auth_version`` is the version: it moves with every change of role, area or
    credentials, each of which should make the person editing look again; it moves here
    too, so the new role or a narrower area applies now, not at the next sign-in.

    The audit entry holds only the columns that change (ids and codes). False when nothing
    changes; ``Conflict`` (nothing written) when the account changed meanwhile or the
    portal would be left without an admin."""
    before = {k: account[k] for k, v in fields.items() if (account[k] or None) != (v or None)}
    if not before:
        return False
    takes_admin_away = account["role"] == "admin" and fields.get("role", "admin") != "admin"
    async with write_transaction():
        if takes_admin_away and not await another_admin_remains(account["id"]):
            raise Conflict(LAST_ADMIN)
        written = (
            await User.update({getattr(User, k): v for k, v in fields.items()})
            .where((User.id == account["id"]) & (User.auth_version == version))
            .returning(User.id)
        )
        if not written:
            raise Conflict(CONFLICT)
        await bump_auth_version(account["id"])
        await audit.record(
            actor,
            action,
            # The office the account is in now; an admin has none, so a staff member made
            # admin stays visible in the log of the office they came from.
            office_id=fields.get("office", account["office"]) or account["office"],
            object_type="user",
            object_id=account["id"],
            detail={"before": before, "after": {k: fields[k] for k in before}},
        )
    return True

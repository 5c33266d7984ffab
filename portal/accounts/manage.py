"""Managing other people's accounts: staff manage the coordinators of their office
(/petugas/koordinator), admin manages staff (/admin/petugas).

Both follow one life cycle, written once in ``ManagedAccounts``: create (no password: a
one-time activation link is shown once, to hand over e.g. by WhatsApp) → the person sets a
password → staff may issue a new link (reset: the old password, links and sessions stop
working), deactivate (sessions end at once) or reactivate. Coordinators also have a scope
(village, RW, RT) that staff may change; a change ends the coordinator's sessions. Admin
accounts are listed with staff: admins are not office-scoped, and an admin account can only
be managed by another admin who confirms with their own password (see ``StaffAccounts``);
roles change on one admin-only page (``portal.accounts.roles``).

An account outside the manager's office answers 404, as if it did not exist.
"""

from __future__ import annotations

import math
import re
import sqlite3
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar
from urllib.parse import urlencode

import asyncpg
from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from piccolo.columns.combination import WhereRaw
from piccolo.engine.postgres import PostgresEngine
from piccolo.query.functions.aggregate import Count

from portal.accounts.display import TITLE_LABELS
from portal.accounts.pages import form_secret, form_text, form_values, page, see_other
from portal.accounts.passwords import check_current_password
from portal.accounts.regions import offices, village_groups, village_in_office
from portal.audit import record
from portal.auth.activation import expire_links, issue_link, whatsapp_share_url
from portal.auth.guards import require_admin, require_staff
from portal.auth.scope import fk_id, normalise_rw_rt, staff_office_id
from portal.auth.sessions import bump_auth_version, end_all_sessions
from portal.piccolo_conf import DB
from portal.rules.phone import PhoneError, normalise_phone
from portal.staff.transactions import is_postgres, write_transaction
from portal.tables.accounts import COORDINATOR_TITLES, ActivationToken, User
from portal.tables.regions import Office
from portal.tables.residents import ResidentList

PAGE_SIZE = 50
UNIQUE_VIOLATIONS = (sqlite3.IntegrityError, asyncpg.exceptions.UniqueViolationError)
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,49}$")
STATES = {"aktif": "Aktif", "menunggu": "Menunggu aktivasi", "nonaktif": "Nonaktif"}
CONFLICT = (
    "Akun ini baru saja diubah di tempat lain (atau pemiliknya mengganti kata sandi). "
    "Di bawah ini data terbarunya; periksa lalu simpan lagi jika masih perlu."
)
LAST_ADMIN = (
    "Ini admin aktif terakhir. Jadikan petugas lain admin dulu, supaya portal tetap punya admin."
)


@dataclass
class FormResult:
    fields: dict[str, Any]
    errors: dict[str, str]


def _int(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


async def _common_fields(form: Any, *, new: bool, errors: dict[str, str]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    full_name = form_text(form, "full_name", 200)
    if not full_name:
        errors["full_name"] = "Masukkan nama lengkap"
    elif len(full_name) > 120:
        errors["full_name"] = "Nama paling banyak 120 karakter"
    fields["full_name"] = full_name
    if new:
        username = form_text(form, "username", 100).lower()
        if not username:
            errors["username"] = "Masukkan nama pengguna"
        elif not USERNAME.match(username) or not any(c.isalpha() for c in username):
            errors["username"] = (
                "Nama pengguna 3 sampai 50 karakter: huruf kecil, angka, titik, garis bawah "
                "atau tanda minus, dengan sedikitnya satu huruf. Contoh: rt03.surodinawan"
            )
        elif await User.exists().where(User.username == username):
            errors["username"] = "Nama pengguna ini sudah dipakai. Pilih yang lain"
        fields["username"] = username
    raw_phone = form_text(form, "phone", 40)
    fields["phone"] = None
    if raw_phone:
        try:
            fields["phone"] = normalise_phone(raw_phone)
        except PhoneError as exc:
            errors["phone"] = exc.message
        else:
            if await User.exists().where(User.phone == fields["phone"]):
                errors["phone"] = "Nomor HP ini sudah dipakai akun lain"
    return fields


def form_version(form: Any) -> int:
    """The ``auth_version`` the form was shown with; -1 (never current) when missing."""
    value = _int(form.get("versi"))
    return -1 if value is None else value


async def load_account(user_id: int, roles: tuple[str, ...], office_id: int | None) -> dict:
    """An account with its display columns, if its role is one of ``roles`` and (unless
    ``office_id`` is None) it belongs to that office; 404 otherwise."""
    query = User.select(
        User.all_columns(exclude=[User.password_hash, User.totp_secret]),
        User.password_hash,  # only to tell "waiting for activation"; never rendered
        User.office.name.as_alias("office_name"),
        User.scope_village.name.as_alias("village_name"),
        User.scope_kecamatan.name.as_alias("kecamatan_name"),
        User.created_by.username.as_alias("created_by_name"),
    ).where((User.id == user_id) & User.role.is_in(list(roles)))
    if office_id is not None:
        query = query.where(User.office == office_id)
    row = await query.first()
    if row is None:
        raise NotFoundException()
    row["password_hash"] = bool(row["password_hash"])
    return row


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
    request: Request, account: dict, fields: dict[str, Any], *, version: int, action: str
) -> str:
    """Write a change of role, office or scope, if the account is still as the form
    showed it. ``auth_version`` is the version: it moves with every change of role,
    scope or credentials, each of which should make the person editing look again.

    The audit entry holds only the columns that change (ids and codes, as before).
    Returns "unchanged", "changed", "conflict" (changed meanwhile: nothing written) or
    "last_admin" (it would leave the portal without an admin: nothing written)."""
    before = {k: account[k] for k, v in fields.items() if (account[k] or None) != (v or None)}
    if not before:
        return "unchanged"
    after = {k: fields[k] for k in before}
    takes_admin_away = account["role"] == "admin" and fields.get("role", "admin") != "admin"
    async with write_transaction():
        if takes_admin_away and not await another_admin_remains(account["id"]):
            return "last_admin"
        written = (
            await User.update({getattr(User, k): v for k, v in fields.items()})
            .where((User.id == account["id"]) & (User.auth_version == version))
            .returning(User.id)
        )
        if not written:
            return "conflict"
        # The new role or a narrower scope must apply now, not at the next sign-in.
        await bump_auth_version(account["id"])
    await record(
        action,
        connection=request,
        # The office the account is in now; an admin has none, so a staff member made
        # admin stays visible in the log of the office they came from.
        office_id=fields.get("office", account["office"]) or account["office"],
        object_type="user",
        object_id=account["id"],
        detail={"before": before, "after": after},
    )
    return "changed"


async def coordinator_form_context(actor: User) -> dict[str, Any]:
    """What the coordinator fields partial needs: villages the actor may choose (their
    office's; every office for admin), titles, and where htmx narrows the village list."""
    return {
        "groups": await village_groups(staff_office_id(actor)),
        "titles": TITLES,
        "villages_url": f"{CoordinatorAccounts.path}/desa",
    }


async def coordinator_fields(actor: User, form: Any, errors: dict[str, str]) -> dict:
    """Title and scope of a coordinator from a form, validated; the office follows the
    village, which must be one the actor may choose."""
    title = form_text(form, "title", 30)
    if title not in COORDINATOR_TITLES:
        errors["title"] = "Pilih jabatan koordinator"
    village = None
    village_id = _int(form.get("village"))
    if village_id is not None:
        village = await village_in_office(village_id, staff_office_id(actor))
    if village is None:
        errors["village"] = "Pilih kelurahan/desa wilayah koordinator"
    rw = rt = None
    try:
        rw = normalise_rw_rt(form.get("rw"))
    except ValueError as exc:
        errors["rw"] = str(exc)
    try:
        rt = normalise_rw_rt(form.get("rt"))
    except ValueError as exc:
        errors["rt"] = str(exc)
    if rt and not rw and "rw" not in errors:
        errors["rw"] = "Isi juga nomor RW dari RT ini"
    if village is None:
        return {"title": title}
    return {
        "title": title,
        "office": village["office_id"],
        "scope_kecamatan": village["kecamatan_id"],
        "scope_village": village["id"],
        "scope_rw": rw,
        "scope_rt": rt,
    }


async def office_field(form: Any, errors: dict[str, str]) -> dict:
    office_id = _int(form.get("office"))
    if office_id is None or not await Office.exists().where(Office.id == office_id):
        errors["office"] = "Pilih kantor petugas"
    return {"office": office_id}


def scope_values(account: dict) -> dict[str, Any]:
    """An account's title, office and scope as form values, with the version they were
    read at (a hidden field: the change is refused if the account changed meanwhile)."""
    return {
        "versi": account["auth_version"],
        "title": account["title"],
        "office": account["office"] or "",
        "kecamatan": str(account["scope_kecamatan"] or ""),
        "village": account["scope_village"],
        "rw": account["scope_rw"] or "",
        "rt": account["scope_rt"] or "",
    }


class ManagedAccounts(Controller, ABC):
    """The shared life cycle. Subclasses say which role they manage and which fields."""

    managed_role: ClassVar[str]  # the role of accounts created here
    managed_roles: ClassVar[tuple[str, ...]]  # the roles of accounts shown and managed here
    noun: ClassVar[str]  # "koordinator" | "petugas", for headings and messages
    fields_template: ClassVar[str]

    # ---- hooks --------------------------------------------------------------------------
    @abstractmethod
    def office_limit(self, actor: User) -> int | None:
        """The only office whose accounts ``actor`` may manage; None: every office."""

    async def form_context(self, actor: User) -> dict[str, Any]:
        return {}

    @abstractmethod
    async def role_fields(self, actor: User, form: Any, errors: dict[str, str]) -> dict:
        """The role-specific columns of a new account, validated; problems go in ``errors``."""

    async def list_extra(self, rows: list[dict]) -> None:
        """Add per-row figures to a listing (coordinators: number of lists)."""

    def list_filters(self, request: Request, actor: User) -> tuple[list, dict[str, str]]:
        return [], {}

    # ---- shared -------------------------------------------------------------------------
    @property
    def base(self) -> str:
        return str(self.path).rstrip("/")

    def _context(self, **extra) -> dict[str, Any]:
        return {
            "base": self.base,
            "noun": self.noun,
            "managed_role": self.managed_role,
            "fields_template": self.fields_template,
            **extra,
        }

    async def load(self, actor: User, user_id: int) -> dict:
        """The managed account with display columns; 404 outside the actor's office."""
        return await load_account(user_id, self.managed_roles, self.office_limit(actor))

    async def confirm(self, request: Request, account: dict, action: str) -> dict[str, str]:
        """Resetting, deactivating or reactivating an admin: another admin, who types
        their own password (so a session left open or stolen cannot take over or lock out
        the other admins). Errors by field name; empty when the action may go ahead."""
        if account["id"] == request.scope["user"].id:
            raise NotFoundException()  # one's own account is managed at /akun
        if account["role"] != "admin":
            return {}
        form = await request.form()
        field = f"current_password_{action}"
        return await check_current_password(
            request, request.scope["user"], form_secret(form, field), field
        )

    @get("/")
    async def listing(self, request: Request) -> Response:
        actor: User = request.scope["user"]
        where, filters = self.list_filters(request, actor)
        state = request.query_params.get("status", "")
        if state == "aktif":
            where.append(User.active.eq(True) & User.password_hash.is_not_null())
        elif state == "menunggu":
            where.append(User.active.eq(True) & User.password_hash.is_null())
        elif state == "nonaktif":
            where.append(User.active.eq(False))
        search = request.query_params.get("q", "").strip()[:60]
        if search:
            like = f"%{search.lower()}%"
            # SQLite's LIKE already ignores ASCII case (and warns about ILIKE); PostgreSQL's
            # does not.
            name_match = (
                User.full_name.ilike(like)
                if isinstance(DB, PostgresEngine)
                else User.full_name.like(like)
            )
            where.append(User.username.like(like) | name_match)
        where.append(User.role.is_in(list(self.managed_roles)))
        limit = self.office_limit(actor)
        if limit is not None:
            where.append(User.office == limit)
        combined = where[0]
        for clause in where[1:]:
            combined &= clause
        total = await User.count().where(combined)
        pages = max(1, math.ceil(total / PAGE_SIZE))
        number = min(max(1, _int(request.query_params.get("halaman")) or 1), pages)
        rows = (
            await User.select(
                User.id,
                User.username,
                User.full_name,
                User.role,
                User.title,
                User.active,
                User.password_hash,
                User.phone,
                User.scope_rw,
                User.scope_rt,
                User.last_login_at,
                User.office.short_name.as_alias("office_name"),
                User.scope_village.name.as_alias("village_name"),
                User.scope_kecamatan.name.as_alias("kecamatan_name"),
            )
            .where(combined)
            .order_by(User.office, User.scope_kecamatan.name, User.scope_village.name)
            .order_by(User.scope_rw, User.scope_rt, User.full_name)
            .limit(PAGE_SIZE)
            .offset((number - 1) * PAGE_SIZE)
        )
        for row in rows:
            row["password_hash"] = bool(row["password_hash"])
        await self.list_extra(rows)
        context = self._context(
            rows=rows,
            total=total,
            page_number=number,
            pages=pages,
            filters={**filters, "status": state, "q": search},
            query=urlencode(
                {k: v for k, v in {**filters, "status": state, "q": search}.items() if v}
            ),
            states=STATES,
            **await self.form_context(actor),
        )
        return page(request, "accounts/manage_list.html", context, block="results")

    @get("/baru")
    async def new_form(self, request: Request) -> Response:
        actor: User = request.scope["user"]
        context = self._context(values={}, errors={}, **await self.form_context(actor))
        return page(request, "accounts/manage_new.html", context)

    @post("/baru")
    async def create(self, request: Request) -> Response:
        actor: User = request.scope["user"]
        form = await request.form()
        errors: dict[str, str] = {}
        fields = await _common_fields(form, new=True, errors=errors)
        fields.update(await self.role_fields(actor, form, errors))
        if errors:
            context = self._context(
                values=form_values(form), errors=errors, **await self.form_context(actor)
            )
            return page(request, "accounts/manage_new.html", context, status=400)
        try:
            async with DB.transaction():
                user = User(
                    **fields,
                    role=self.managed_role,
                    password_hash=None,
                    active=True,
                    created_at=datetime.now(UTC),
                    created_by=actor.id,
                )
                await user.save()
                url = await issue_link(user.id, created_by=actor.id, purpose="activate")
        except UNIQUE_VIOLATIONS:
            # Two submits raced past the check above: the unique index decided.
            errors["username"] = "Nama pengguna atau nomor HP ini sudah dipakai"
            context = self._context(
                values=form_values(form), errors=errors, **await self.form_context(actor)
            )
            return page(request, "accounts/manage_new.html", context, status=400)
        await record(
            "account.created",
            connection=request,
            office_id=fk_id(user.office),
            object_type="user",
            object_id=user.id,
            detail={"username": user.username, "role": user.role},
        )
        return await self._link_page(request, user.id, url, created=True)

    async def _link_page(self, request: Request, user_id: int, url: str, *, created: bool):
        account = await self.load(request.scope["user"], user_id)
        return page(
            request,
            "accounts/link_issued.html",
            self._context(
                account=account,
                url=url,
                whatsapp=whatsapp_share_url(account["full_name"], url),
                created=created,
            ),
        )

    @get("/{user_id:int}")
    async def detail(self, request: Request, user_id: FromPath[int]) -> Response:
        account = await self.load(request.scope["user"], user_id)
        return await self._detail_page(request, account)

    async def _detail_page(
        self,
        request: Request,
        account: dict,
        *,
        errors: dict[str, str] | None = None,
        problem: str = "",
        status: int = 200,
    ) -> Response:
        user_id = account["id"]
        pending_link = (
            await ActivationToken.select(ActivationToken.expires_at, ActivationToken.purpose)
            .where(
                (ActivationToken.user == user_id)
                & ActivationToken.used_at.is_null()
                & (ActivationToken.expires_at > datetime.now(UTC))
            )
            .first()
        )
        await self.list_extra([account])
        context = self._context(
            account=account, pending_link=pending_link, errors=errors or {}, problem=problem
        )
        context["notice"] = NOTICES.get(request.query_params.get("pesan", ""), "")
        return page(request, "accounts/manage_detail.html", context, status=status)

    @post("/{user_id:int}/tautan")
    async def reissue(self, request: Request, user_id: FromPath[int]) -> Response:
        """A new one-time link. For an activated account this is a reset: the password
        stops working at once, with every earlier link and every session."""
        actor: User = request.scope["user"]
        account = await self.load(actor, user_id)
        if not account["active"]:
            raise NotFoundException()
        errors = await self.confirm(request, account, "tautan")
        if errors:
            return await self._detail_page(request, account, errors=errors, status=400)
        # Still a reset when an earlier reset link was issued but not used yet.
        reset = account["password_hash"] or await ActivationToken.exists().where(
            (ActivationToken.user == user_id)
            & ((ActivationToken.purpose == "reset") | ActivationToken.used_at.is_not_null())
        )
        async with DB.transaction():
            if reset:
                await User.update({User.password_hash: None}).where(User.id == user_id)
            await bump_auth_version(user_id)
            url = await issue_link(
                user_id, created_by=actor.id, purpose="reset" if reset else "activate"
            )
        await record(
            "account.reset" if reset else "account.link_reissued",
            connection=request,
            office_id=fk_id(account["office"]),
            object_type="user",
            object_id=user_id,
        )
        return await self._link_page(request, user_id, url, created=False)

    @post("/{user_id:int}/nonaktifkan")
    async def deactivate(self, request: Request, user_id: FromPath[int]) -> Response:
        account = await self.load(request.scope["user"], user_id)
        errors = await self.confirm(request, account, "nonaktifkan")
        if errors:
            return await self._detail_page(request, account, errors=errors, status=400)
        async with write_transaction():
            last_admin = account["role"] == "admin" and not await another_admin_remains(user_id)
            if not last_admin:
                await User.update({User.active: False}).where(User.id == user_id)
                await expire_links(user_id)
                await end_all_sessions(user_id)
        if last_admin:
            return await self._detail_page(request, account, problem=LAST_ADMIN, status=409)
        await record(
            "account.deactivated",
            connection=request,
            office_id=fk_id(account["office"]),
            object_type="user",
            object_id=user_id,
        )
        return see_other(f"{self.base}/{user_id}?pesan=nonaktif")

    @post("/{user_id:int}/aktifkan")
    async def reactivate(self, request: Request, user_id: FromPath[int]) -> Response:
        account = await self.load(request.scope["user"], user_id)
        errors = await self.confirm(request, account, "aktifkan")
        if errors:
            return await self._detail_page(request, account, errors=errors, status=400)
        await User.update({User.active: True}).where(User.id == user_id)
        await record(
            "account.reactivated",
            connection=request,
            office_id=fk_id(account["office"]),
            object_type="user",
            object_id=user_id,
        )
        return see_other(f"{self.base}/{user_id}?pesan=aktif")


class CoordinatorAccounts(ManagedAccounts):
    """Staff (and admin) manage coordinator accounts of their office."""

    path = "/petugas/koordinator"
    guards = [require_staff]  # noqa: RUF012 (Litestar reads it as a class attribute)
    managed_role = "coordinator"
    managed_roles = ("coordinator",)
    noun = "koordinator"
    fields_template = "accounts/_coordinator_fields.html"

    def office_limit(self, actor: User) -> int | None:
        return staff_office_id(actor)

    async def form_context(self, actor: User) -> dict[str, Any]:
        return await coordinator_form_context(actor)

    async def role_fields(self, actor: User, form: Any, errors: dict[str, str]) -> dict:
        return await coordinator_fields(actor, form, errors)

    @get("/desa")
    async def village_field(self, request: Request) -> Response:
        """The village picker narrowed to one kecamatan (htmx swaps it into the form)."""
        actor: User = request.scope["user"]
        kecamatan = _int(request.query_params.get("kecamatan"))
        values = {"kecamatan": str(kecamatan) if kecamatan else ""}
        context = self._context(
            values=values, errors={}, narrow=True, **await self.form_context(actor)
        )
        return page(request, "accounts/_village_field.html", context, block=None)

    def list_filters(self, request: Request, actor: User) -> tuple[list, dict[str, str]]:
        where: list = [WhereRaw("1 = 1")]
        filters = {}
        kecamatan = _int(request.query_params.get("kecamatan"))
        if kecamatan:
            where.append(User.scope_kecamatan == kecamatan)
            filters["kecamatan"] = str(kecamatan)
        village = _int(request.query_params.get("village"))
        if village:
            where.append(User.scope_village == village)
            filters["village"] = str(village)
        return where, filters

    async def list_extra(self, rows: list[dict]) -> None:
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

    async def _scope_page(
        self,
        request: Request,
        account: dict,
        values: dict,
        *,
        errors: dict[str, str] | None = None,
        problem: str = "",
        status: int = 200,
    ) -> Response:
        context = self._context(
            account=account,
            values=values,
            errors=errors or {},
            problem=problem,
            action=f"{self.base}/{account['id']}/wilayah",
            **await self.form_context(request.scope["user"]),
        )
        return page(request, "accounts/manage_scope.html", context, status=status)

    @get("/{user_id:int}/wilayah")
    async def scope_form(self, request: Request, user_id: FromPath[int]) -> Response:
        account = await self.load(request.scope["user"], user_id)
        return await self._scope_page(request, account, scope_values(account))

    @post("/{user_id:int}/wilayah")
    async def scope_submit(self, request: Request, user_id: FromPath[int]) -> Response:
        actor: User = request.scope["user"]
        account = await self.load(actor, user_id)
        form = await request.form()
        errors: dict[str, str] = {}
        fields = await self.role_fields(actor, form, errors)
        if errors:
            return await self._scope_page(
                request, account, form_values(form), errors=errors, status=400
            )
        outcome = await change_account(
            request, account, fields, version=form_version(form), action="account.scope_changed"
        )
        if outcome == "conflict":
            fresh = await self.load(actor, user_id)
            return await self._scope_page(
                request, fresh, scope_values(fresh), problem=CONFLICT, status=409
            )
        return see_other(f"{self.base}/{user_id}?pesan=wilayah")


class StaffAccounts(ManagedAccounts):
    """Admin manages staff accounts of both offices."""

    path = "/admin/petugas"
    guards = [require_admin]  # noqa: RUF012
    managed_role = "staff"
    # Admins are listed and managed here too: they are staff with more rights, and
    # otherwise no page would let one be demoted, reset or deactivated.
    managed_roles = ("staff", "admin")
    noun = "petugas"
    fields_template = "accounts/_staff_fields.html"

    def office_limit(self, actor: User) -> int | None:
        return None

    async def form_context(self, actor: User) -> dict[str, Any]:
        return {"offices": await offices()}

    async def role_fields(self, actor: User, form: Any, errors: dict[str, str]) -> dict:
        return await office_field(form, errors)

    def list_filters(self, request: Request, actor: User) -> tuple[list, dict[str, str]]:
        where: list = [WhereRaw("1 = 1")]
        office = _int(request.query_params.get("office"))
        if office:
            where.append(User.office == office)
            return where, {"office": str(office)}
        return where, {}


TITLES = [(t, TITLE_LABELS[t]) for t in COORDINATOR_TITLES]
NOTICES = {
    "nonaktif": "Akun sudah dinonaktifkan. Semua sesi akun ini sudah diakhiri.",
    "aktif": "Akun sudah diaktifkan kembali.",
    "wilayah": "Wilayah sudah diubah. Koordinator perlu masuk lagi.",
    "peran": "Peran dan wilayah sudah diubah. Semua sesi akun ini sudah diakhiri; pemiliknya "
    "perlu masuk lagi.",
    "peran-2fa": "Peran sudah diubah. Semua sesi akun ini sudah diakhiri. Saat masuk lagi, "
    "pemiliknya wajib memasang aplikasi autentikator (verifikasi dua langkah) sebelum bisa "
    "memakai area petugas.",
    "tetap": "Tidak ada yang diubah: peran, kantor dan wilayah sama seperti sebelumnya.",
}
# Where each role's accounts are managed: the page to go back to after a change of role.
ACCOUNT_PAGES = {
    role: controller.path
    for controller in (CoordinatorAccounts, StaffAccounts)
    for role in controller.managed_roles
}

MANAGE_ROUTES = [CoordinatorAccounts, StaffAccounts]

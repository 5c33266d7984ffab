"""The fields of the account forms, read and checked once: name, username and phone of a
new account; a coordinator's title and area; a staff member's office; a role. Each check
puts its message under the field's name in ``errors``; the caller raises ``Invalid``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from portal.domain.regions import region_tree
from portal.domain.rtrw import RtRwError, read_rt_rw
from portal.domain.scope import Scope
from portal.domain.vocabulary import COORDINATOR_TITLES, ROLES
from portal.rules.phone import PhoneError, normalise_phone
from portal.tables.accounts import User

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,49}$")
NOT_A_COORDINATOR = {
    "title": "",
    "scope_kecamatan": None,
    "scope_village": None,
    "scope_rw": None,
    "scope_rt": None,
}


@dataclass
class AccountInput:
    """What the account forms post (each form sends the fields it shows)."""

    versi: int | None = None  # the auth_version a change form was shown with
    full_name: str = ""
    username: str = ""
    phone: str = ""
    role: str = ""
    office: int | None = None  # staff
    title: str = ""  # coordinators, from here
    kecamatan: str = ""  # only narrows the village list
    village: int | None = None
    rw: str = ""
    rt: str = ""

    @property
    def version(self) -> int:
        """-1 (never current) when the form did not say."""
        return -1 if self.versi is None else self.versi


async def common_fields(form: AccountInput, *, new: bool, errors: dict[str, str]) -> dict:
    fields: dict[str, Any] = {"full_name": form.full_name, "phone": None}
    if not form.full_name:
        errors["full_name"] = "Masukkan nama lengkap"
    elif len(form.full_name) > 120:
        errors["full_name"] = "Nama paling banyak 120 karakter"
    if new:
        fields["username"] = username = form.username.lower()
        if not username:
            errors["username"] = "Masukkan nama pengguna"
        elif not USERNAME.match(username) or not any(c.isalpha() for c in username):
            errors["username"] = (
                "Nama pengguna 3 sampai 50 karakter: huruf kecil, angka, titik, garis bawah "
                "atau tanda minus, dengan sedikitnya satu huruf. Contoh: rt03.surodinawan"
            )
        elif await User.exists().where(User.username == username):
            errors["username"] = "Nama pengguna ini sudah dipakai. Pilih yang lain"
    if form.phone:
        try:
            fields["phone"] = normalise_phone(form.phone)
        except PhoneError as exc:
            errors["phone"] = exc.message
        else:
            if await User.exists().where(User.phone == fields["phone"]):
                errors["phone"] = "Nomor HP ini sudah dipakai akun lain"
    return fields


def _rt_rw(raw: str, part: str, errors: dict[str, str]) -> str | None:
    try:
        return read_rt_rw(raw, part)
    except RtRwError as exc:
        errors[part.lower()] = exc.message
        return None


async def coordinator_fields(access: Scope, form: AccountInput, errors: dict[str, str]) -> dict:
    """Title and area of a coordinator; the office follows the village, which must be one
    the acting staff member may choose (their office's; every office for admin)."""
    if form.title not in COORDINATOR_TITLES:
        errors["title"] = "Pilih jabatan koordinator"
    village = (await region_tree(access.allowed_ids)).village(form.village)
    if village is None:
        errors["village"] = "Pilih kelurahan/desa wilayah koordinator"
    rw = _rt_rw(form.rw, "RW", errors)
    rt = _rt_rw(form.rt, "RT", errors)
    if rt and not rw and "rw" not in errors:
        errors["rw"] = "Isi juga nomor RW dari RT ini"
    if village is None:
        return {"title": form.title}
    return {
        "title": form.title,
        "office": village.office_id,
        "scope_kecamatan": village.kecamatan_id,
        "scope_village": village.id,
        "scope_rw": rw,
        "scope_rt": rt,
    }


def office_field(access: Scope, form: AccountInput, errors: dict[str, str]) -> dict:
    if not any(o.id == form.office for o in access.offices):
        errors["office"] = "Pilih kantor petugas"
    return {"office": form.office}


async def role_fields(access: Scope, form: AccountInput, errors: dict[str, str]) -> dict:
    """Role, office and area. Only the fields of the chosen role are read; the others are
    emptied (a staff member has no village, an admin no office)."""
    if form.role not in ROLES:
        errors["role"] = "Pilih peran"
        return {}
    if form.role == "coordinator":
        return {"role": form.role, **await coordinator_fields(access, form, errors)}
    office = {"office": None} if form.role == "admin" else office_field(access, form, errors)
    return {"role": form.role, **office, **NOT_A_COORDINATOR}


def form_values(account: dict) -> dict[str, Any]:
    """An account's role, title, office and area as form values, with the version they
    were read at (a hidden field: the change is refused if the account changed meanwhile)."""
    return {
        "versi": account["auth_version"],
        "role": account["role"],
        "title": account["title"],
        "office": account["office"] or "",
        "kecamatan": str(account["scope_kecamatan"] or ""),
        "village": account["scope_village"],
        "rw": account["scope_rw"] or "",
        "rt": account["scope_rt"] or "",
    }

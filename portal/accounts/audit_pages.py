"""Reading the audit log: staff see their office's entries (/petugas/audit), admin every
entry (/admin/audit). Read-only: there is no route that edits or deletes an entry, and the
database refuses UPDATE and DELETE on the table anyway (see the migration)."""

from __future__ import annotations

import json
import math
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

from litestar import Request, Response, get
from piccolo.columns.combination import WhereRaw

from portal.accounts.pages import page
from portal.auth.guards import require_admin, require_staff
from portal.auth.scope import staff_office_id
from portal.settings import get_settings
from portal.tables.accounts import AuditEntry

PAGE_SIZE = 50

# Actions of this area; other areas' actions are shown as recorded.
ACTION_LABELS = {
    "login.success": "Masuk",
    "login.failed": "Gagal masuk",
    "login.throttled": "Masuk ditahan: terlalu banyak percobaan",
    "logout": "Keluar",
    "account.created": "Akun dibuat",
    "account.activated": "Akun diaktifkan (kata sandi dibuat)",
    "account.password_reset": "Kata sandi dibuat ulang lewat tautan",
    "account.password_changed": "Kata sandi diganti",
    "account.reset": "Tautan atur ulang dibuat",
    "account.link_reissued": "Tautan aktivasi dibuat ulang",
    "account.deactivated": "Akun dinonaktifkan",
    "account.reactivated": "Akun diaktifkan kembali",
    "account.scope_changed": "Wilayah/jabatan diubah",
    "account.role_changed": "Peran/kantor/wilayah diubah",
    "totp.enabled": "Verifikasi dua langkah dipasang",
    "totp.disabled": "Verifikasi dua langkah dimatikan",
    "totp.recovery_code_used": "Kode pemulihan dipakai",
    "totp.recovery_codes_renewed": "Kode pemulihan dibuat baru",
    "sessions.ended_elsewhere": "Perangkat lain dikeluarkan",
}


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def _filters(request: Request) -> tuple[list, dict[str, str], dict[str, str]]:
    params = request.query_params
    where: list = []
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    action = params.get("action", "").strip()[:60]
    if action:
        where.append(AuditEntry.action == action)
        values["action"] = action
    who = params.get("user", "").strip().lower()[:120]
    if who:
        where.append(AuditEntry.actor_name == who)
        values["user"] = who
    object_type = params.get("object_type", "").strip()[:40]
    if object_type:
        where.append(AuditEntry.object_type == object_type)
        values["object_type"] = object_type
    object_id = params.get("object_id", "").strip()[:40]
    if object_id:
        where.append(AuditEntry.object_id == object_id)
        values["object_id"] = object_id
    zone = get_settings().zone
    for name in ("from", "to"):
        raw = params.get(name, "")
        if not raw:
            continue
        day = _date(raw)
        if day is None:
            errors[name] = "Tanggal tidak valid. Tulis seperti 2026-11-25"
            continue
        values[name] = day.isoformat()
        moment = datetime.combine(day, time.min, tzinfo=zone)
        if name == "from":
            where.append(AuditEntry.at >= moment)
        else:
            where.append(AuditEntry.at < moment + timedelta(days=1))
    return where, values, errors


async def _audit(request: Request, office_id: int | None, base: str) -> Response:
    where, values, errors = _filters(request)
    scope = WhereRaw("1 = 1") if office_id is None else AuditEntry.office == office_id
    combined = scope
    for clause in where:
        combined &= clause
    total = await AuditEntry.count().where(combined)
    pages = max(1, math.ceil(total / PAGE_SIZE))
    try:
        number = min(max(1, int(request.query_params.get("halaman", "1"))), pages)
    except ValueError:
        number = 1
    rows = (
        await AuditEntry.select(
            AuditEntry.id,
            AuditEntry.at,
            AuditEntry.actor_name,
            AuditEntry.role,
            AuditEntry.action,
            AuditEntry.object_type,
            AuditEntry.object_id,
            AuditEntry.detail,
            AuditEntry.ip,
            AuditEntry.office.short_name.as_alias("office_name"),
        )
        .where(combined)
        .order_by(AuditEntry.at, ascending=False)
        .order_by(AuditEntry.id, ascending=False)
        .limit(PAGE_SIZE)
        .offset((number - 1) * PAGE_SIZE)
    )
    for row in rows:
        row["detail_text"] = _detail_text(row["detail"])
    actions = [
        r["action"]
        for r in await AuditEntry.select(AuditEntry.action)
        .where(scope)
        .distinct()
        .order_by(AuditEntry.action)
    ]
    query = urlencode(values)
    return page(
        request,
        "accounts/audit.html",
        {
            "rows": rows,
            "total": total,
            "page_number": number,
            "pages": pages,
            "values": values,
            "errors": errors,
            "actions": [(a, ACTION_LABELS.get(a, a)) for a in actions],
            "labels": ACTION_LABELS,
            "base": base,
            "query": query,
            "all_offices": office_id is None,
        },
        block="results",
        status=400 if errors else 200,
    )


def _detail_text(detail: Any) -> str:
    if isinstance(detail, str):
        try:
            detail = json.loads(detail or "{}")
        except ValueError:
            return detail
    if not detail:
        return ""
    return ", ".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in detail.items())


@get("/petugas/audit", guards=[require_staff])
async def office_audit(request: Request) -> Response:
    """Staff: their office's log. (Admin, having every office, sees everything here too.)"""
    return await _audit(request, staff_office_id(request.scope["user"]), "/petugas/audit")


@get("/admin/audit", guards=[require_admin])
async def full_audit(request: Request) -> Response:
    return await _audit(request, None, "/admin/audit")


AUDIT_ROUTES = [office_audit, full_audit]

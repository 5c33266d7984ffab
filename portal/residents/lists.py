"""A coordinator's resident lists: scope, creation, rows, submission, withdrawal, resubmission.

Every function that reads a list takes the signed-in coordinator and finds the list only
among that coordinator's own, so another coordinator's list id behaves as if it did not
exist. Multi-row changes run in one transaction; one-time form tokens make double taps and
resends act once.
"""

from __future__ import annotations

import secrets
import sqlite3
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
from litestar.connection import ASGIConnection
from litestar.exceptions import NotFoundException

from portal.audit import record
from portal.clock import today_local
from portal.piccolo_conf import DB
from portal.residents.duplicates import (
    DUPLICATE_CODES,
    apply_duplicates,
    candidate_for,
    find_duplicates,
    name_warning,
)
from portal.residents.form_tokens import fingerprint, token_object
from portal.residents.validation import (
    CheckedResident,
    ListArea,
    area_label,
    check_resident,
    with_saved_nik,
)
from portal.rules.ages import RecordingRule
from portal.rules.dates import format_date_id
from portal.tables.accounts import User
from portal.tables.regions import Kecamatan, Office, Village
from portal.tables.residents import (
    DraftEntry,
    FormToken,
    ImportBatch,
    Resident,
    ResidentEvent,
    ResidentList,
)

# A form token only has to outlive a resend; old ones are swept when new lists are made.
FORM_TOKEN_LIFETIME = timedelta(days=30)
UNIQUE_VIOLATIONS = (sqlite3.IntegrityError, asyncpg.exceptions.UniqueViolationError)
RESIDENT_COLUMNS = (
    "full_name",
    "name_key",
    "nik",
    "birth_date",
    "sex",
    "address",
    "rw",
    "rt",
    "phone",
    "category",
    "note",
    "guardian_consent",
    "married",
    "warnings",
    "warn_nik",
    "warn_duplicate",
    "warn_under_age",
    "eligible_from",
)


class ListStateError(Exception):
    """The list (or resident) is not in a state that allows this; ``message`` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def now() -> datetime:
    return datetime.now(UTC)


def new_token() -> str:
    return secrets.token_urlsafe(24)


# ---------------------------------------------------------------- scope and area


@dataclass(frozen=True)
class Scope:
    """Where a coordinator may make lists: villages to choose from, and a fixed RW/RT."""

    villages: list[dict]  # id, name, kind
    rw: str | None
    rt: str | None

    def village(self, village_id: int | None) -> dict | None:
        return next((v for v in self.villages if v["id"] == village_id), None)


async def coordinator_scope(user: User) -> Scope:
    columns = (Village.id, Village.name, Village.kind)
    if user.scope_village:
        villages = await Village.select(*columns).where(Village.id == user.scope_village)
    elif user.scope_kecamatan:
        villages = (
            await Village.select(*columns)
            .where(Village.kecamatan == user.scope_kecamatan)
            .order_by(Village.name)
        )
    else:
        villages = []
    return Scope(villages=villages, rw=user.scope_rw or None, rt=user.scope_rt or None)


async def list_area(lst: ResidentList) -> ListArea:
    village = await Village.objects().where(Village.id == lst.village).first()
    kecamatan = await Kecamatan.objects().where(Kecamatan.id == village.kecamatan).first()
    office = await Office.objects().where(Office.id == kecamatan.office).first()
    rule = RecordingRule(
        min_years=office.min_age_years,
        min_months=office.min_age_months,
        area=office.short_name if (office.min_age_years, office.min_age_months) != (16, 0) else "",
    )
    return ListArea(
        office_id=office.id,
        kecamatan_id=kecamatan.id,
        village_id=village.id,
        village_name=village.name,
        village_kind=village.kind,
        rw=lst.rw,
        rt=lst.rt,
        nik_prefix=office.nik_prefix,
        rule=rule,
    )


async def get_list(user: User, public_id: str) -> ResidentList:
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise NotFoundException() from None
    lst = (
        await ResidentList.objects()
        .where(ResidentList.public_id == key, ResidentList.coordinator == user.id)
        .first()
    )
    if lst is None:
        raise NotFoundException()
    return lst


async def _list_events(
    resident_ids: list[int],
    user: User,
    moment: datetime,
    action: str,
    from_status: str,
    to_status: str,
) -> None:
    """One history event per resident when a whole list moves (submit, withdraw)."""
    await ResidentEvent.insert(
        *[
            ResidentEvent(
                resident=rid,
                at=moment,
                actor=user.id,
                action=action,
                from_status=from_status,
                to_status=to_status,
            )
            for rid in resident_ids
        ]
    )


async def list_by_id(user: User, list_id: int) -> ResidentList | None:
    """One of ``user``'s lists by its row id (as a form token records it), else None."""
    return (
        await ResidentList.objects()
        .where(ResidentList.id == list_id, ResidentList.coordinator == user.id)
        .first()
    )


async def get_resident(lst: ResidentList, resident_id: int) -> Resident:
    resident = (
        await Resident.objects()
        .where(Resident.id == resident_id, Resident.resident_list == lst.id)
        .first()
    )
    if resident is None:
        raise NotFoundException()
    return resident


async def my_lists(user: User) -> list[dict]:
    rows = (
        await ResidentList.select(
            ResidentList.id,
            ResidentList.public_id,
            ResidentList.title,
            ResidentList.state,
            ResidentList.rw,
            ResidentList.rt,
            ResidentList.created_at,
            ResidentList.submitted_at,
            ResidentList.village.name.as_alias("village_name"),
            ResidentList.village.kind.as_alias("village_kind"),
        )
        .where(ResidentList.coordinator == user.id)
        .order_by(ResidentList.created_at, ascending=False)
    )
    counts = await status_counts([row["id"] for row in rows])
    for row in rows:
        row["area"] = area_label(row["village_kind"], row["village_name"], row["rw"], row["rt"])
        row["counts"] = counts.get(row["id"], Counter())
        row["total"] = sum(row["counts"].values())
    return rows


async def status_counts(list_ids: list[int]) -> dict[int, Counter]:
    from piccolo.query.functions.aggregate import Count

    result: dict[int, Counter] = {}
    if not list_ids:
        return result
    rows = (
        await Resident.select(Resident.resident_list, Resident.status, Count(Resident.id))
        .where(Resident.resident_list.is_in(list_ids))
        .group_by(Resident.resident_list, Resident.status)
    )
    for row in rows:
        result.setdefault(row["resident_list"], Counter())[row["status"]] = row["count"]
    return result


# ---------------------------------------------------------------- lists


async def create_list(
    user: User,
    *,
    token: str,
    village_id: int,
    rw: str | None,
    rt: str | None,
    title: str,
    note: str,
    connection: ASGIConnection | None = None,
) -> ResidentList:
    """Create a draft list; the same form token twice returns the first list, and raises
    FormTokenReused if the second time carried other values."""
    body = fingerprint({"village": village_id, "rw": rw, "rt": rt, "title": title, "note": note})
    existing = await token_object(token, "list.create", user, body)
    if existing:
        return await ResidentList.objects().where(ResidentList.id == existing).first()
    if not title and not note and (empty := await _empty_draft(user, village_id, rw, rt)):
        # Tapping "new list" again before adding anyone opens the same empty draft
        # instead of leaving a trail of empty ones.
        return empty
    village = await Village.objects().where(Village.id == village_id).first()
    kecamatan = await Kecamatan.objects().where(Kecamatan.id == village.kecamatan).first()
    moment = now()
    await FormToken.delete().where(FormToken.created_at < moment - FORM_TOKEN_LIFETIME)
    lst = ResidentList(
        public_id=uuid.uuid4(),
        coordinator=user.id,
        office=kecamatan.office,
        village=village_id,
        rw=rw,
        rt=rt,
        title=title or f"Daftar {format_date_id(today_local())}",
        note=note,
        state="draft",
        created_at=moment,
        updated_at=moment,
    )
    try:
        async with DB.transaction():
            await FormToken(
                token=token,
                purpose="list.create",
                owner=user.id,
                fingerprint=body,
                created_at=moment,
            ).save()
            await lst.save()
            await FormToken.update({FormToken.object_id: lst.id}).where(FormToken.token == token)
            await record(
                "list.create",
                actor=user,
                connection=connection,
                office_id=kecamatan.office,
                object_type="resident_list",
                object_id=lst.public_id,
                detail={"area": area_label(village.kind, village.name, rw, rt)},
            )
    except UNIQUE_VIOLATIONS:
        # The twin request won the race: show the list it created.
        existing = await token_object(token, "list.create", user, body)
        if not existing:
            raise
        return await ResidentList.objects().where(ResidentList.id == existing).first()
    return lst


async def _empty_draft(
    user: User, village_id: int, rw: str | None, rt: str | None
) -> ResidentList | None:
    drafts = await ResidentList.objects().where(
        ResidentList.coordinator == user.id,
        ResidentList.state == "draft",
        ResidentList.village == village_id,
    )
    for lst in drafts:
        if (lst.rw, lst.rt) != (rw, rt):
            continue
        if await Resident.count().where(Resident.resident_list == lst.id) == 0:
            return lst
    return None


async def update_list_info(lst: ResidentList, *, title: str, note: str) -> None:
    await ResidentList.update(
        {
            ResidentList.title: title,
            ResidentList.note: note,
            ResidentList.updated_at: now(),
            ResidentList.version: ResidentList.version + 1,
        }
    ).where(ResidentList.id == lst.id)


async def delete_draft_list(user: User, lst: ResidentList, connection=None) -> None:
    if lst.state == "submitted":
        raise ListStateError("Daftar yang sudah dikirim tidak bisa dihapus; tarik dulu.")
    async with DB.transaction():
        ids = [
            r["id"]
            for r in await Resident.select(Resident.id).where(Resident.resident_list == lst.id)
        ]
        if ids:
            await ResidentEvent.delete().where(ResidentEvent.resident.is_in(ids))
        await Resident.delete().where(Resident.resident_list == lst.id)
        await DraftEntry.delete().where(DraftEntry.resident_list == lst.id)
        await ImportBatch.delete().where(ImportBatch.resident_list == lst.id)
        await ResidentList.delete().where(ResidentList.id == lst.id)
        await record(
            "list.delete",
            actor=user,
            connection=connection,
            object_type="resident_list",
            object_id=lst.public_id,
            detail={"residents": len(ids)},
        )


# ---------------------------------------------------------------- residents in a draft


async def check_with_duplicates(
    lst: ResidentList,
    area: ListArea,
    raw: dict[str, Any],
    *,
    resident_id: int | None = None,
    partial: bool = False,
) -> CheckedResident:
    checked = check_resident(raw, area, today=today_local(), partial=partial)
    if checked.values.get("nik") or checked.values.get("birth_date"):
        candidate = candidate_for("row", checked, resident_id=resident_id)
        found = await find_duplicates(lst.id, area, [candidate])
        apply_duplicates(checked, found["row"])
    else:
        checked.values["warn_duplicate"] = False
    return checked


def _resident_values(checked: CheckedResident) -> dict[str, Any]:
    return {name: checked.values.get(name) for name in RESIDENT_COLUMNS}


def _require_draft(lst: ResidentList) -> None:
    if lst.state != "draft":
        raise ListStateError(
            "Daftar ini sudah dikirim, jadi tidak bisa diubah lagi di sini. "
            "Perbaikan per warga bisa dilakukan jika petugas memintanya."
        )


async def add_resident(
    user: User, lst: ResidentList, area: ListArea, raw: dict[str, Any], *, token: str
) -> tuple[CheckedResident, int | None]:
    """Validate and store one row in a draft list; (checked, new id or None on errors).
    The form token makes a resend return the row the first request stored; the same token
    with other values raises FormTokenReused."""
    _require_draft(lst)
    body = fingerprint(raw)
    if token and (existing := await token_object(token, "resident.add", user, body)):
        checked = check_resident(raw, area, today=today_local())
        return checked, existing
    checked = await check_with_duplicates(lst, area, raw)
    if not checked.ok:
        return checked, None
    moment = now()
    resident = Resident(
        resident_list=lst.id,
        office=area.office_id,
        kecamatan=area.kecamatan_id,
        village=area.village_id,
        status="draft",
        created_at=moment,
        updated_at=moment,
        **_resident_values(checked),
    )
    try:
        async with DB.transaction():
            if token:
                await FormToken(
                    token=token,
                    purpose="resident.add",
                    owner=user.id,
                    fingerprint=body,
                    created_at=moment,
                ).save()
            await resident.save()
            if token:
                await FormToken.update({FormToken.object_id: resident.id}).where(
                    FormToken.token == token
                )
            await DraftEntry.delete().where(DraftEntry.key == draft_key(lst, None))
            await _touch(lst)
    except UNIQUE_VIOLATIONS:
        existing = await token_object(token, "resident.add", user, body)
        if not existing:
            raise
        return checked, existing
    return checked, resident.id


async def update_resident(
    lst: ResidentList, area: ListArea, resident: Resident, raw: dict[str, Any]
) -> CheckedResident:
    _require_draft(lst)
    merged = with_saved_nik(raw, resident.nik)
    checked = await check_with_duplicates(lst, area, merged, resident_id=resident.id)
    if checked.ok:
        async with DB.transaction():
            await Resident.update(
                {
                    **{getattr(Resident, k): v for k, v in _resident_values(checked).items()},
                    Resident.updated_at: now(),
                    Resident.version: Resident.version + 1,
                }
            ).where(Resident.id == resident.id, Resident.status == "draft")
            await DraftEntry.delete().where(DraftEntry.key == draft_key(lst, resident.id))
            await _touch(lst)
    return checked


async def remove_resident(lst: ResidentList, resident: Resident) -> None:
    _require_draft(lst)
    async with DB.transaction():
        await ResidentEvent.delete().where(ResidentEvent.resident == resident.id)
        await DraftEntry.delete().where(DraftEntry.key == draft_key(lst, resident.id))
        await Resident.delete().where(Resident.id == resident.id, Resident.status == "draft")
        await _touch(lst)


async def _touch(lst: ResidentList) -> None:
    await ResidentList.update({ResidentList.updated_at: now()}).where(ResidentList.id == lst.id)


# ---------------------------------------------------------------- autosaved form input


def draft_key(lst: ResidentList, resident_id: int | None) -> str:
    return f"{lst.id}:{resident_id or 'new'}"


async def save_draft_entry(
    user: User, lst: ResidentList, resident_id: int | None, fields: dict[str, Any]
) -> None:
    key = draft_key(lst, resident_id)
    moment = now()
    await DraftEntry.insert(
        DraftEntry(key=key, resident_list=lst.id, owner=user.id, fields=fields, updated_at=moment)
    ).on_conflict(
        target=DraftEntry.key,
        action="DO UPDATE",
        values=[DraftEntry.fields, DraftEntry.updated_at],
    )


async def load_draft_entry(lst: ResidentList, resident_id: int | None) -> dict[str, Any] | None:
    row = (
        await DraftEntry.select(DraftEntry.fields)
        .where(DraftEntry.key == draft_key(lst, resident_id))
        .output(load_json=True)
        .first()
    )
    return row["fields"] if row else None


async def discard_draft_entry(lst: ResidentList, resident_id: int | None) -> None:
    await DraftEntry.delete().where(DraftEntry.key == draft_key(lst, resident_id))


# ---------------------------------------------------------------- submit and withdraw


@dataclass
class SubmitOutcome:
    submitted: bool  # False: this request found the list already submitted (a resend)
    count: int


async def submit_problems(lst: ResidentList, area: ListArea) -> list[str]:
    """Why a draft cannot be submitted yet (empty, or the same NIK twice)."""
    rows = await Resident.select(Resident.id, Resident.full_name, Resident.nik).where(
        Resident.resident_list == lst.id
    )
    if not rows:
        return ["Daftar masih kosong. Tambahkan minimal satu warga."]
    problems = []
    seen: dict[str, str] = {}
    for row in rows:
        if row["nik"] and row["nik"] in seen:
            problems.append(
                f"{row['full_name']} dan {seen[row['nik']]} memakai NIK yang sama. "
                "Perbaiki atau hapus salah satunya."
            )
        elif row["nik"]:
            seen[row["nik"]] = row["full_name"]
    return problems


async def submit_list(
    user: User, lst: ResidentList, area: ListArea, *, token: str, connection=None
) -> SubmitOutcome:
    """All residents or none, once per token: a resend finds the list submitted."""
    if lst.state == "submitted":
        return SubmitOutcome(False, await Resident.count().where(Resident.resident_list == lst.id))
    _require_draft(lst)
    if not token:
        raise ListStateError("Formulir kirim tidak lengkap. Muat ulang halaman lalu kirim lagi.")
    problems = await submit_problems(lst, area)
    if problems:
        raise ListStateError(" ".join(problems))
    moment = now()
    try:
        async with DB.transaction():
            claimed = (
                await ResidentList.update(
                    {
                        ResidentList.state: "submitted",
                        ResidentList.submit_token: token,
                        ResidentList.submitted_at: moment,
                        ResidentList.updated_at: moment,
                        ResidentList.version: ResidentList.version + 1,
                    }
                )
                .where(ResidentList.id == lst.id, ResidentList.state == "draft")
                .returning(ResidentList.id)
            )
            if not claimed:
                return SubmitOutcome(
                    False, await Resident.count().where(Resident.resident_list == lst.id)
                )
            count = await _refresh_duplicates_and_submit(user, lst, area, moment)
            await DraftEntry.delete().where(DraftEntry.resident_list == lst.id)
            await record(
                "list.submit",
                actor=user,
                connection=connection,
                office_id=area.office_id,
                object_type="resident_list",
                object_id=lst.public_id,
                detail={"residents": count, "area": area.label},
            )
    except UNIQUE_VIOLATIONS:
        # The same token on another list: a form copied across tabs. Nothing was stored.
        raise ListStateError(
            "Formulir kirim ini sudah dipakai. Muat ulang halaman lalu kirim lagi."
        ) from None
    lst.state = "submitted"
    return SubmitOutcome(True, count)


async def _refresh_duplicates_and_submit(
    user: User, lst: ResidentList, area: ListArea, moment: datetime
) -> int:
    rows = (
        await Resident.select()
        .where(Resident.resident_list == lst.id, Resident.status == "draft")
        .output(load_json=True)
    )
    candidates = []
    for row in rows:
        checked = CheckedResident(raw={}, values=row)
        candidates.append(candidate_for(row["id"], checked, resident_id=row["id"]))
    found = await find_duplicates(lst.id, area, candidates)
    others: dict[int, set[str]] = {}
    for row in rows:
        result = found[row["id"]]
        warnings = [w for w in row["warnings"] or [] if w.get("code") not in DUPLICATE_CODES]
        warnings += result.warnings
        await Resident.update(
            {
                Resident.status: "diterima",
                Resident.submitted_at: moment,
                Resident.updated_at: moment,
                Resident.warnings: warnings,
                Resident.warn_duplicate: any(w["code"] in DUPLICATE_CODES for w in warnings),
                Resident.version: Resident.version + 1,
            }
        ).where(Resident.id == row["id"])
        for other in result.other_ids:
            match = "similar" if other in result.similar_ids else "same"
            others.setdefault(other, set()).add(match)
    await _list_events([row["id"] for row in rows], user, moment, "submit", "draft", "diterima")
    await _flag_matches(others, area)
    return len(rows)


async def _flag_matches(others: dict[int, set[str]], area: ListArea) -> None:
    """Residents already in other lists that a new submission matches ("same" NIK or name,
    or "similar" name) get the flag too, so staff see the pair from either side. The note
    names only the area."""
    if not others:
        return
    rows = (
        await Resident.select(Resident.id, Resident.warnings)
        .where(Resident.id.is_in(list(others)))
        .output(load_json=True)
    )
    for row in rows:
        warnings = list(row["warnings"] or [])
        for match in sorted(others[row["id"]]):
            note = name_warning("flagged", match, area=area.label)
            if not any(w.get("message") == note["message"] for w in warnings):
                warnings.append(note)
        await Resident.update({Resident.warnings: warnings, Resident.warn_duplicate: True}).where(
            Resident.id == row["id"]
        )


async def withdraw_list(user: User, lst: ResidentList, area: ListArea, connection=None) -> int:
    """Take a submitted list back while staff have not acted on any resident yet."""
    if lst.state != "submitted":
        raise ListStateError("Hanya daftar yang sudah dikirim yang bisa ditarik.")
    moment = now()
    total = await Resident.count().where(Resident.resident_list == lst.id)

    class _Busy(Exception):
        pass

    try:
        async with DB.transaction():
            moved = (
                await Resident.update(
                    {
                        Resident.status: "draft",
                        Resident.submitted_at: None,
                        Resident.updated_at: moment,
                        Resident.version: Resident.version + 1,
                    }
                )
                .where(Resident.resident_list == lst.id, Resident.status == "diterima")
                .returning(Resident.id)
            )
            if len(moved) != total:
                raise _Busy()
            claimed = (
                await ResidentList.update(
                    {
                        ResidentList.state: "withdrawn",
                        ResidentList.withdrawn_at: moment,
                        ResidentList.updated_at: moment,
                        ResidentList.version: ResidentList.version + 1,
                    }
                )
                .where(ResidentList.id == lst.id, ResidentList.state == "submitted")
                .returning(ResidentList.id)
            )
            if not claimed:
                raise _Busy()
            await _list_events(
                [row["id"] for row in moved], user, moment, "withdraw", "diterima", "draft"
            )
            await record(
                "list.withdraw",
                actor=user,
                connection=connection,
                office_id=area.office_id,
                object_type="resident_list",
                object_id=lst.public_id,
                detail={"residents": total},
            )
    except _Busy:
        raise ListStateError(
            "Daftar ini tidak bisa ditarik lagi karena petugas sudah mulai memprosesnya."
        ) from None
    lst.state = "withdrawn"
    return total


async def reopen_list(user: User, lst: ResidentList) -> None:
    """A withdrawn list becomes a draft again, to be corrected and sent anew."""
    if lst.state != "withdrawn":
        raise ListStateError("Hanya daftar yang sudah ditarik yang bisa dibuka lagi.")
    await ResidentList.update(
        {
            ResidentList.state: "draft",
            ResidentList.submit_token: None,
            ResidentList.updated_at: now(),
            ResidentList.version: ResidentList.version + 1,
        }
    ).where(ResidentList.id == lst.id, ResidentList.state == "withdrawn")
    lst.state = "draft"


# ---------------------------------------------------------------- corrections


async def resubmit_resident(
    user: User,
    lst: ResidentList,
    area: ListArea,
    resident: Resident,
    raw: dict[str, Any],
    connection=None,
) -> CheckedResident:
    """Fix a resident staff sent back (perlu perbaikan) and send it again (→ diterima)."""
    if resident.status != "perlu_perbaikan":
        raise ListStateError("Warga ini tidak sedang menunggu perbaikan.")
    merged = with_saved_nik(raw, resident.nik)
    checked = await check_with_duplicates(lst, area, merged, resident_id=resident.id)
    if not checked.ok:
        return checked
    moment = now()
    async with DB.transaction():
        changed = (
            await Resident.update(
                {
                    **{getattr(Resident, k): v for k, v in _resident_values(checked).items()},
                    Resident.status: "diterima",
                    Resident.status_reason: "",
                    Resident.updated_at: moment,
                    Resident.version: Resident.version + 1,
                }
            )
            .where(Resident.id == resident.id, Resident.status == "perlu_perbaikan")
            .returning(Resident.id)
        )
        if not changed:
            raise ListStateError("Status warga ini baru saja diubah petugas. Muat ulang halaman.")
        await ResidentEvent(
            resident=resident.id,
            at=moment,
            actor=user.id,
            action="resubmit",
            from_status="perlu_perbaikan",
            to_status="diterima",
            reason="Diperbaiki koordinator",
        ).save()
        await DraftEntry.delete().where(DraftEntry.key == draft_key(lst, resident.id))
        await record(
            "resident.resubmit",
            actor=user,
            connection=connection,
            office_id=area.office_id,
            object_type="resident",
            object_id=resident.id,
            detail={"list": str(lst.public_id)},
        )
    return checked

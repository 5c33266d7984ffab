"""Duplicate checks for residents being added to a list.

- The same NIK twice in one list: blocked (an error on the NIK).
- The same NIK in another list, or already recorded: a warning naming that list's area and
  status, never its coordinator or anything else personal.
- The same name, birth date and RT: a possible duplicate (``warn_duplicate``).

Nothing is merged: staff decide. Queries are batched, so checking a 1,000-row import costs
a handful of queries, not thousands.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date

from portal.residents.validation import CheckedResident, ListArea, area_label
from portal.residents.vocabulary import STATUSES
from portal.tables.residents import Resident

DUPLICATE_CODES = frozenset({"nik_other_list", "nik_recorded", "possible_duplicate"})
_CHUNK = 500  # keeps IN (...) lists well below SQLite's parameter limit


@dataclass(frozen=True, slots=True)
class Candidate:
    key: Hashable
    resident_id: int | None
    nik: str | None
    name_key: str
    birth_date: date | None
    rw: str | None
    rt: str | None
    label: str = ""  # how to name this row to its own coordinator ("baris 4", a name)


@dataclass
class DuplicateResult:
    blocking: str | None = None
    warnings: list[dict[str, str]] = field(default_factory=list)
    # Residents in other lists this one matches: staff see the flag on both sides.
    other_ids: set[int] = field(default_factory=set)


def candidate_for(key: Hashable, checked: CheckedResident, *, resident_id=None, label=""):
    v = checked.values
    return Candidate(
        key=key,
        resident_id=resident_id,
        nik=v.get("nik"),
        name_key=v.get("name_key") or "",
        birth_date=v.get("birth_date"),
        rw=v.get("rw"),
        rt=v.get("rt"),
        label=label or v.get("full_name") or "",
    )


def _status_label(status: str, list_state: str) -> str:
    if status == "draft" or list_state == "draft":
        return "draf, belum dikirim"
    return STATUSES.get(status, status).lower()


def _chunks(values: list, size: int = _CHUNK) -> Iterable[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


_COLUMNS = (
    Resident.id,
    Resident.resident_list,
    Resident.full_name,
    Resident.nik,
    Resident.name_key,
    Resident.birth_date,
    Resident.rw,
    Resident.rt,
    Resident.village,
    Resident.status,
    Resident.resident_list.state.as_alias("list_state"),
    Resident.village.name.as_alias("village_name"),
    Resident.village.kind.as_alias("village_kind"),
)


async def _by_nik(niks: list[str]) -> list[dict]:
    rows: list[dict] = []
    for chunk in _chunks(niks):
        rows += await Resident.select(*_COLUMNS).where(
            Resident.nik.is_in(chunk),
            Resident.purged_at.is_null(),
            Resident.resident_list.state != "withdrawn",
        )
    return rows


async def _by_name(keys: list[str], village_id: int) -> list[dict]:
    rows: list[dict] = []
    for chunk in _chunks(keys):
        rows += await Resident.select(*_COLUMNS).where(
            Resident.name_key.is_in(chunk),
            Resident.village == village_id,
            Resident.purged_at.is_null(),
            Resident.resident_list.state != "withdrawn",
        )
    return rows


async def list_residents(list_id: int) -> list[dict]:
    return await Resident.select(*_COLUMNS).where(Resident.resident_list == list_id)


async def find_duplicates(
    list_id: int, area: ListArea, candidates: list[Candidate]
) -> dict[Hashable, DuplicateResult]:
    results = {c.key: DuplicateResult() for c in candidates}
    if not candidates:
        return results
    own_ids = {c.resident_id for c in candidates if c.resident_id is not None}
    niks = sorted({c.nik for c in candidates if c.nik})
    keys = sorted({c.name_key for c in candidates if c.name_key and c.birth_date})
    stored = {row["id"]: row for row in await _by_nik(niks)} if niks else {}
    if keys:
        stored.update({row["id"]: row for row in await _by_name(keys, area.village_id)})
    stored_rows = [row for row in stored.values() if row["id"] not in own_ids]

    # Same NIK inside the list: the first occurrence (stored, then earlier rows) wins.
    seen_nik: dict[str, str] = {
        row["nik"]: row["full_name"]
        for row in stored_rows
        if row["nik"] and row["resident_list"] == list_id
    }
    seen_person: dict[tuple, str] = {}
    for row in stored_rows:
        if row["resident_list"] == list_id and row["birth_date"]:
            seen_person.setdefault(_person(row), row["full_name"])

    for c in candidates:
        result = results[c.key]
        if c.nik:
            if c.nik in seen_nik:
                result.blocking = f"NIK ini sudah ada di daftar ini ({seen_nik[c.nik]})"
            else:
                seen_nik[c.nik] = c.label
            for row in stored_rows:
                if row["nik"] != c.nik or row["resident_list"] == list_id:
                    continue
                area_text = area_label(
                    row["village_kind"], row["village_name"], row["rw"], row["rt"]
                )
                result.other_ids.add(row["id"])
                if row["status"] == "sudah_rekam":
                    result.warnings.append(
                        {
                            "code": "nik_recorded",
                            "field": "nik",
                            "message": f"NIK ini sudah tercatat sudah rekam ({area_text}).",
                        }
                    )
                else:
                    status = _status_label(row["status"], row["list_state"])
                    result.warnings.append(
                        {
                            "code": "nik_other_list",
                            "field": "nik",
                            "message": f"NIK ini juga ada di daftar lain ({area_text}, "
                            f"status: {status}).",
                        }
                    )
        if c.name_key and c.birth_date:
            person = (c.name_key, c.birth_date, c.rw, c.rt)
            if person in seen_person:
                result.warnings.append(
                    {
                        "code": "possible_duplicate",
                        "field": "full_name",
                        "message": "Kemungkinan duplikat: nama dan tanggal lahir sama dengan "
                        f"{seen_person[person]} di daftar ini.",
                    }
                )
            else:
                seen_person[person] = c.label
            for row in stored_rows:
                if row["resident_list"] == list_id or not row["birth_date"]:
                    continue
                if _person(row) != person or (c.nik and row["nik"] == c.nik):
                    continue
                area_text = area_label(
                    row["village_kind"], row["village_name"], row["rw"], row["rt"]
                )
                result.other_ids.add(row["id"])
                status = _status_label(row["status"], row["list_state"])
                result.warnings.append(
                    {
                        "code": "possible_duplicate",
                        "field": "full_name",
                        "message": "Kemungkinan duplikat: nama, tanggal lahir dan RT sama "
                        f"dengan warga di daftar lain ({area_text}, status: {status}).",
                    }
                )
    return results


def _person(row: dict) -> tuple:
    return (row["name_key"], row["birth_date"], row["rw"], row["rt"])


def apply_duplicates(checked: CheckedResident, result: DuplicateResult) -> CheckedResident:
    """Merge a duplicate check into a validated row: a blocking NIK becomes an error,
    the rest become warnings and the ``warn_duplicate`` flag."""
    if result.blocking and "nik" not in checked.errors:
        checked.errors["nik"] = result.blocking
    kept = [w for w in checked.warnings if w["code"] not in DUPLICATE_CODES]
    seen = set()
    for warning in result.warnings:
        if warning["message"] not in seen:
            seen.add(warning["message"])
            kept.append(warning)
    checked.warnings = kept
    checked.values["warnings"] = list(kept)
    checked.values["warn_duplicate"] = any(w["code"] in DUPLICATE_CODES for w in kept)
    return checked

"""Duplicate checks for residents being added to a list, on the one rule of
``portal.domain.duplicates``:

- The same NIK twice in one list: blocked (an error on the NIK).
- The same NIK in another list, or already recorded: a warning naming that list's area and
  status, never its coordinator or anything else personal.
- The same or a similar name with the same birth date and RT (``name_match``): a possible
  duplicate (``warn_duplicate``), worded "nama sama" or "nama mirip".

Privacy: a warning about a row in another list names only that list's area and status, for
a similar name exactly as for the same name. It never shows the other spelling, the other
coordinator or anything else personal; only rows of the coordinator's own list are named.

Nothing is merged: staff decide. Queries are batched, so checking a 1,000-row import costs
a handful of queries, not thousands: the birth date gates every name check, so rows are
fetched by birth date within the village in chunks and names are compared in Python.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from piccolo.columns import Column

from portal.coordinator.area import ListArea, area_label
from portal.coordinator.columns import columns
from portal.coordinator.resident_check import CheckedResident
from portal.domain.duplicates import name_match
from portal.domain.vocabulary import STATUSES
from portal.tables.residents import Resident

DUPLICATE_CODES = frozenset(
    {"nik_other_list", "nik_recorded", "possible_duplicate", "possible_duplicate_similar"}
)
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
    sex: str | None = None

    def person(self) -> dict[str, Any]:
        """What ``name_match`` compares."""
        return {
            "name_key": self.name_key,
            "birth_date": self.birth_date,
            "rw": self.rw,
            "rt": self.rt,
            "sex": self.sex,
            "label": self.label,
        }


@dataclass
class DuplicateResult:
    blocking: str | None = None
    warnings: list[dict[str, str]] = field(default_factory=list)
    # Residents in other lists this one matches: staff see the flag on both sides.
    other_ids: set[int] = field(default_factory=set)
    # Those of them matched only by a similar name, so their note says "nama mirip".
    similar_ids: set[int] = field(default_factory=set)


def candidate_for(
    key: Hashable, checked: CheckedResident, *, resident_id: int | None = None, label: str = ""
) -> Candidate:
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
        sex=v.get("sex"),
    )


def _status_label(row: dict) -> str:
    if row["status"] == "draft" or row["list_state"] == "draft":
        return "draf, belum dikirim"
    return STATUSES.get(row["status"], row["status"]).lower()


def _area_of(row: dict) -> str:
    return area_label(row["village_kind"], row["village_name"], row["rw"], row["rt"])


_COLUMNS = (
    *columns(
        Resident, "id resident_list full_name nik name_key birth_date rw rt sex village status"
    ),
    Resident.resident_list.state.as_alias("list_state"),
    Resident.village.name.as_alias("village_name"),
    Resident.village.kind.as_alias("village_kind"),
)


async def _stored(column: Column, values: list, *where: Any) -> list[dict]:
    """Residents still in play (not purged, not on a withdrawn list) whose ``column`` is
    one of ``values``, fetched in chunks."""
    rows: list[dict] = []
    for start in range(0, len(values), _CHUNK):
        rows += await Resident.select(*_COLUMNS).where(
            column.is_in(values[start : start + _CHUNK]),
            Resident.purged_at.is_null(),
            Resident.resident_list.state != "withdrawn",
            *where,
        )
    return rows


_NAME_WARNINGS = {
    # (where the other row is, how the names compare) -> text; "{label}" only ever names a
    # row of the coordinator's own list.
    ("list", "same"): "Kemungkinan duplikat: nama dan tanggal lahir sama dengan {label} "
    "di daftar ini.",
    ("list", "similar"): "Kemungkinan duplikat: nama mirip dan tanggal lahir sama dengan "
    "{label} di daftar ini.",
    ("other", "same"): "Kemungkinan duplikat: nama, tanggal lahir dan RT sama dengan warga "
    "di daftar lain ({area}, status: {status}).",
    ("other", "similar"): "Kemungkinan duplikat: nama mirip, tanggal lahir dan RT sama dengan "
    "warga di daftar lain ({area}, status: {status}).",
    # Left on the earlier resident when a new list matching it is submitted.
    ("flagged", "same"): "Kemungkinan duplikat: warga dengan NIK atau nama dan tanggal lahir "
    "yang sama dikirim di daftar lain ({area}).",
    ("flagged", "similar"): "Kemungkinan duplikat: warga dengan nama mirip serta tanggal lahir "
    "dan RT yang sama dikirim di daftar lain ({area}).",
}
_NAME_CODES = {"same": "possible_duplicate", "similar": "possible_duplicate_similar"}


def name_warning(where: str, match: str, **parts: str) -> dict[str, str]:
    return {
        "code": _NAME_CODES[match],
        "field": "full_name",
        "message": _NAME_WARNINGS[where, match].format(**parts),
    }


def _nik_warning(row: dict) -> dict[str, str]:
    if row["status"] == "sudah_rekam":
        message = f"NIK ini sudah tercatat sudah rekam ({_area_of(row)})."
        return {"code": "nik_recorded", "field": "nik", "message": message}
    message = f"NIK ini juga ada di daftar lain ({_area_of(row)}, status: {_status_label(row)})."
    return {"code": "nik_other_list", "field": "nik", "message": message}


def _best_match(person: dict, people: list[dict]) -> tuple[str, dict] | None:
    found = None
    for other in people:
        match = name_match(person, other)
        if match == "same":
            return match, other
        if match and found is None:
            found = (match, other)
    return found


class _Search:
    """The stored residents that candidates may match, sorted the way the checks read them:
    NIKs and people (by birth date) of this list, and people of other lists in the village.
    Candidates are checked in order, so each one also meets the earlier ones."""

    def __init__(self, list_id: int, area: ListArea, stored: list[dict]) -> None:
        self.list_id = list_id
        self.stored = stored
        self.seen_nik = {
            r["nik"]: r["full_name"] for r in stored if r["nik"] and r["resident_list"] == list_id
        }
        self.seen_people: dict[date, list[dict]] = {}
        self.other_people: dict[date, list[dict]] = {}
        for r in stored:
            if not r["birth_date"]:
                continue
            if r["resident_list"] == list_id:
                self.seen_people.setdefault(r["birth_date"], []).append(
                    {**r, "label": r["full_name"]}
                )
            elif r["village"] == area.village_id:
                self.other_people.setdefault(r["birth_date"], []).append(r)

    def by_nik(self, c: Candidate, result: DuplicateResult) -> None:
        if not c.nik:
            return
        if c.nik in self.seen_nik:
            result.blocking = f"NIK ini sudah ada di daftar ini ({self.seen_nik[c.nik]})"
        else:
            self.seen_nik[c.nik] = c.label
        for row in self.stored:
            if row["nik"] == c.nik and row["resident_list"] != self.list_id:
                result.other_ids.add(row["id"])
                result.warnings.append(_nik_warning(row))

    def by_name(self, c: Candidate, result: DuplicateResult) -> None:
        if not (c.name_key and c.birth_date):
            return
        person = c.person()
        earlier = self.seen_people.setdefault(c.birth_date, [])
        if found := _best_match(person, earlier):
            result.warnings.append(name_warning("list", found[0], label=found[1]["label"]))
        earlier.append(person)
        for row in self.other_people.get(c.birth_date, ()):
            match = name_match(person, row)
            if match is None or (c.nik and row["nik"] == c.nik):
                continue
            result.other_ids.add(row["id"])
            if match == "similar":
                result.similar_ids.add(row["id"])
            parts = {"area": _area_of(row), "status": _status_label(row)}
            result.warnings.append(name_warning("other", match, **parts))


async def find_duplicates(
    list_id: int, area: ListArea, candidates: list[Candidate]
) -> dict[Hashable, DuplicateResult]:
    results = {c.key: DuplicateResult() for c in candidates}
    if not candidates:
        return results
    own_ids = {c.resident_id for c in candidates if c.resident_id is not None}
    niks = sorted({c.nik for c in candidates if c.nik})
    dates = sorted({c.birth_date for c in candidates if c.name_key and c.birth_date})
    stored = {row["id"]: row for row in await _stored(Resident.nik, niks)} if niks else {}
    if dates:
        by_date = await _stored(Resident.birth_date, dates, Resident.village == area.village_id)
        stored.update({row["id"]: row for row in by_date})
    search = _Search(list_id, area, [r for r in stored.values() if r["id"] not in own_ids])
    for c in candidates:
        search.by_nik(c, results[c.key])
        search.by_name(c, results[c.key])
    return results


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


def no_duplicates(checked: CheckedResident) -> CheckedResident:
    """A row with neither NIK nor birth date cannot match anyone."""
    checked.values["warn_duplicate"] = False
    return checked


def checkable(checked: CheckedResident) -> bool:
    return bool(checked.values.get("nik") or checked.values.get("birth_date"))


def chunks(values: list, size: int) -> Iterable[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]

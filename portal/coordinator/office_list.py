"""The coordinator's "Daftar dari kantor": the people of their area whom the office's data
lists as not yet recorded, with what the coordinator found out about each (docs/drive.md
§4, §6.4).

Every view is audited (it shows personal data) and counts as the coordinator's visit of the
list, so staff can see who has not opened theirs. Marking, one person or several at once,
is version-checked: a form older than the person's row is refused whole, nothing half
stored. "Masih tinggal di sini" also puts the people into an import batch of the
coordinator's draft list "Dari daftar kantor <Bulan YYYY>": the existing preview (consent
for minors, duplicate warnings) and its confirm make them residents (docs/drive.md §6.5).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Annotated, Any

from piccolo.query.mixins import OrderByRaw

from portal.clock import today_local
from portal.coordinator import preview
from portal.coordinator.area import area_label
from portal.coordinator.columns import columns
from portal.coordinator.imports import ParsedRow, ParsedRows
from portal.coordinator.new_list import NewListInput, create_list
from portal.coordinator.office_people import in_area, progress
from portal.coordinator.resident_list import OwnList, open_list_by_id
from portal.domain import audit, form_tokens
from portal.domain.errors import Conflict, Invalid, NotFound
from portal.domain.inputs import Limit
from portal.domain.office_list import ImportRef, Progress, latest_import
from portal.domain.paging import Pager
from portal.domain.scope import Scope
from portal.domain.search import search_problem, search_where
from portal.domain.transactions import write_transaction
from portal.domain.versioned import update_each
from portal.domain.vocabulary import OFFICE_OUTCOME_DETAILS, OFFICE_OUTCOMES
from portal.rules.ages import age_on
from portal.rules.dates import format_month_year_id
from portal.rules.nik import mask_nik
from portal.tables.office_lists import OfficeListVisit, OfficePerson
from portal.tables.regions import Village
from portal.tables.residents import ImportBatch, ResidentList

PAGE_SIZE = 100  # the lead's decision 12: pages of 100 names
SHOW = ("belum", "sudah", "semua")
DETAIL_MAX = 200
NOTE_MAX = 500
SEARCH_MAX = 60
# The most people one mark may change: a page and then some; it bounds the transaction.
MARK_MAX = 200
NAMES_IN_MESSAGE = 3

PERSON_COLUMNS = [
    *columns(
        OfficePerson,
        "id version full_name nik birth_date sex address rw rt outcome outcome_detail "
        "outcome_note outcome_at handled_at resident",
    ),
    OfficePerson.outcome_by.full_name.as_alias("outcome_by_name"),
]


def now() -> datetime:
    return datetime.now(UTC)


def shown(row: dict[str, Any], today: date) -> dict[str, Any]:
    """A person as a coordinator sees them: the NIK masked and the age in years, never the
    full number or the birth date (they are not a resident of a list yet)."""
    birth = row.pop("birth_date", None)
    row["nik_masked"] = mask_nik(row.pop("nik", None) or "")
    row["age"] = age_on(birth, today)[0] if birth and birth <= today else None
    row["pick"] = f"{row['id']}.{row['version']}"
    row["locked"] = bool(row["handled_at"] or row["resident"])
    return row


# ---------------------------------------------------------------- the list


@dataclass
class OfficeListView:
    imported: ImportRef | None
    area: str  # "Kel. Surodinawan RW 02 RT 03"
    progress: Progress
    people: list[dict[str, Any]]
    pager: Pager
    show: str
    search: str
    search_error: str = ""

    @property
    def tabs(self) -> list[tuple[str, str, int]]:
        p = self.progress
        return [
            ("belum", "Belum dicek", p.unchecked),
            ("sudah", "Sudah dicek", p.checked),
            ("semua", "Semua", p.total),
        ]


async def area_text(access: Scope) -> str:
    area = access.require_coordinator().area
    if area is None or area.village_id is None:
        return ""
    village = (
        await Village.select(Village.name, Village.kind)
        .where(Village.id == area.village_id)
        .first()
    )
    return area_label(village["kind"], village["name"], area.rw, area.rt) if village else ""


async def office_list(
    access: Scope, show: str, search: str, page: object, today: date
) -> OfficeListView:
    """A page of the coordinator's list: unchecked people first, then by name; ``show``
    narrows it to the unchecked or the checked, ``search`` to a name (or NIK digits)."""
    access.require_coordinator()
    show = show if show in SHOW else "belum"
    search = search[:SEARCH_MAX]
    where: list[Any] = [in_area(access)]
    if show == "belum":
        where.append(OfficePerson.outcome.is_null())
    elif show == "sudah":
        where.append(OfficePerson.outcome.is_not_null())
    problem = search_problem(search) if search else None
    if search and not problem:
        where.append(search_where(search, OfficePerson.nik, OfficePerson.name_key))
    pager = Pager.of(page, await OfficePerson.count().where(*where), size=PAGE_SIZE)
    rows = (
        await OfficePerson.select(*PERSON_COLUMNS)
        .where(*where)
        .order_by(OrderByRaw("office_person.outcome IS NOT NULL"))
        .order_by(OfficePerson.name_key, OfficePerson.id)
        .limit(pager.size)
        .offset(pager.offset)
    )
    view = OfficeListView(
        imported=await latest_import(access.offices[0].id),
        area=await area_text(access),
        progress=await progress(access),
        people=[shown(row, today) for row in rows],
        pager=pager,
        show=show,
        search=search,
        search_error=problem or "",
    )
    await seen(
        access,
        view.imported,
        object_type="office_import",
        object_id=view.imported.public_id if view.imported else "",
        page=pager.page,
        shown=len(rows),
        show=show,
        search=bool(search),
    )
    return view


async def seen(access: Scope, imported: ImportRef | None, **entry: Any) -> None:
    """The audit line of a view of the list (or of one person on it), and the visit staff
    see on the coverage page, in one transaction."""
    object_type, object_id = entry.pop("object_type"), entry.pop("object_id")
    async with write_transaction():
        if imported is not None:
            await record_visit(access.user_id, imported.id, now())
        await audit.record(
            access.actor,
            "office_list.view",
            object_type=object_type,
            object_id=object_id,
            detail={"import": imported.public_id if imported else None, **entry},
        )


async def record_visit(coordinator_id: int, import_id: int, moment: datetime) -> None:
    """First and last opening of an import's list; a unique index keeps one row each, so
    two first openings at once cannot make two."""
    made = (
        await OfficeListVisit.insert(
            OfficeListVisit(
                coordinator=coordinator_id,
                office_import=import_id,
                first_at=moment,
                last_at=moment,
                views=1,
            )
        )
        .on_conflict(
            target=(OfficeListVisit.coordinator, OfficeListVisit.office_import),
            action="DO NOTHING",
        )
        .returning(OfficeListVisit.id)
    )
    if not made:
        await OfficeListVisit.update(
            {OfficeListVisit.last_at: moment, OfficeListVisit.views: OfficeListVisit.views + 1}
        ).where(
            OfficeListVisit.coordinator == coordinator_id,
            OfficeListVisit.office_import == import_id,
        )


# ---------------------------------------------------------------- one person


@dataclass
class PersonView:
    person: dict[str, Any]
    area: str
    list_key: str | None  # the coordinator's own list the person is a resident of

    @property
    def detail_label(self) -> str:
        return detail_label(self.person["outcome"])


def detail_label(outcome: str | None) -> str:
    own = OFFICE_OUTCOME_DETAILS.get(outcome or "", "")
    return own or "Keterangan (pindah ke mana / rekam di mana, jika tahu)"


async def person(access: Scope, person_id: int, today: date) -> PersonView:
    access.require_coordinator()
    row = (
        await OfficePerson.select(
            *PERSON_COLUMNS,
            OfficePerson.resident._.resident_list._.public_id.as_alias("list_key"),
            OfficePerson.resident._.resident_list._.coordinator.as_alias("list_owner"),
        )
        .where(OfficePerson.id == person_id, in_area(access))
        .first()
    )
    if row is None:
        raise NotFound()
    imported = await latest_import(access.offices[0].id)
    await seen(access, imported, object_type="office_person", object_id=person_id, shown=1)
    own = row.pop("list_owner") == access.user_id and row["list_key"] is not None
    list_key = str(row.pop("list_key")) if own else None
    return PersonView(shown(row, today), await area_text(access), list_key)


# ---------------------------------------------------------------- marking


@dataclass
class MarkForm:
    """The bulk form (ticked ``pilih`` as "id.version") or one person's (``versi``); the
    list view it came from travels with it, to come back to the same page."""

    pilih: list[str] = field(default_factory=list)
    versi: int | None = None
    hasil: str = ""
    keterangan: Annotated[str, Limit(DETAIL_MAX + 1)] = ""
    catatan: Annotated[str, Limit(NOTE_MAX + 1)] = ""
    _token: Annotated[str, Limit(form_tokens.MAX_LENGTH)] = ""
    tampil: str = ""
    cari: Annotated[str, Limit(SEARCH_MAX)] = ""
    halaman: str = ""

    def back_query(self) -> dict[str, str]:
        return {"tampil": self.tampil, "cari": self.cari, "halaman": self.halaman}


@dataclass(frozen=True)
class MarkResult:
    marked: int
    outcome: str
    batch_key: str | None = None  # "masih tinggal": the batch preview to go to


def parse_picks(values: list[str]) -> list[tuple[int, int]]:
    """ "12.3" → (12, 3), once per person, in the order ticked; anything else is dropped."""
    picks: dict[int, int] = {}
    for value in values:
        head, dot, tail = value.partition(".")
        if dot and head.isascii() and head.isdigit() and tail.isascii() and tail.isdigit():
            picks.setdefault(int(head), int(tail))
    return list(picks.items())


def check_mark(form: MarkForm, items: list[tuple[int, int]]) -> None:
    errors = {}
    if not items:
        errors["pilih"] = "Pilih minimal satu orang dengan mencentang kotaknya"
    elif len(items) > MARK_MAX:
        errors["pilih"] = f"Paling banyak {MARK_MAX} orang sekali simpan"
    if form.hasil not in OFFICE_OUTCOMES:
        errors["hasil"] = "Pilih hasil pengecekan"
    if len(form.keterangan) > DETAIL_MAX:
        errors["keterangan"] = f"Keterangan paling banyak {DETAIL_MAX} huruf"
    if len(form.catatan) > NOTE_MAX:
        errors["catatan"] = f"Catatan paling banyak {NOTE_MAX} huruf"
    if errors:
        raise Invalid(errors)


async def mark(access: Scope, form: MarkForm, person_id: int | None = None) -> MarkResult:
    """Store one outcome for the ticked people (or the one person of ``person_id``), once
    per form token: a double tap gets the first answer back."""
    access.require_coordinator()
    items = [(person_id, form.versi or 0)] if person_id is not None else parse_picks(form.pilih)
    check_mark(form, items)
    values = {
        "pilih": ",".join(f"{i}.{v}" for i, v in sorted(items)),
        "hasil": form.hasil,
        "keterangan": form.keterangan,
        "catatan": form.catatan,
    }
    object_id = await form_tokens.act_once(
        form._token,
        "office_person.mark",
        access.user_id,
        values,
        lambda: _mark(access, items, form),
    )
    batch_key = None
    if form.hasil == "tinggal":
        batch = (
            await ImportBatch.select(ImportBatch.public_id)
            .where(ImportBatch.id == object_id, access.owner_where(ImportBatch.owner))
            .first()
        )
        batch_key = str(batch["public_id"]) if batch else None
    return MarkResult(len(items), form.hasil, batch_key)


async def _mark(access: Scope, items: list[tuple[int, int]], form: MarkForm) -> int:
    """Inside the token's write transaction: every person or none. Returns the batch's
    row id for "masih tinggal", else the first person's id (what the token records)."""
    moment = now()
    refused = await update_each(
        OfficePerson,
        items,
        {
            OfficePerson.outcome: form.hasil,
            OfficePerson.outcome_detail: form.keterangan,
            OfficePerson.outcome_note: form.catatan,
            OfficePerson.outcome_by: access.user_id,
            OfficePerson.outcome_at: moment,
            OfficePerson.updated_at: moment,
        },
        in_area(access),
        # Staff have taken the report into their records, or the person is already a
        # resident of a list: the finding stands.
        OfficePerson.handled_at.is_null(),
        OfficePerson.resident.is_null(),
    )
    if refused:
        raise await refusal(access, refused)
    ids = [person_id for person_id, _ in items]
    batch = await to_batch(access, ids) if form.hasil == "tinggal" else None
    await audit.record(
        access.actor,
        "office_person.mark",
        object_type="office_person",
        object_id=ids[0] if len(ids) == 1 else f"{len(ids)} orang",
        detail={
            "outcome": form.hasil,
            "office_person_ids": ids,
            "batch": str(batch.row.public_id) if batch else None,
        },
    )
    return batch.row.id if batch else ids[0]


async def refusal(access: Scope, refused: list[int]) -> NotFound | Conflict:
    """Why some people could not be marked: not in the area (not found, like a guessed
    id), or changed meanwhile, handled by staff, already a resident."""
    rows = await OfficePerson.select(
        OfficePerson.full_name, OfficePerson.handled_at, OfficePerson.resident
    ).where(OfficePerson.id.is_in(refused), in_area(access))
    if len(rows) < len(refused):
        return NotFound()
    names = ", ".join(r["full_name"] for r in rows[:NAMES_IN_MESSAGE])
    if len(rows) > NAMES_IN_MESSAGE:
        names += f" dan {len(rows) - NAMES_IN_MESSAGE} orang lain"
    if any(r["handled_at"] for r in rows):
        why = "sudah diproses petugas Dispendukcapil, jadi tandanya tidak bisa diubah lagi"
    elif any(r["resident"] for r in rows):
        why = "sudah masuk daftar warga"
    else:
        why = (
            "baru saja ditandai atau diubah orang lain (misalnya koordinator lain di wilayah "
            "yang sama) sejak halaman ini dibuka"
        )
    return Conflict(
        f"Data {names} {why}. Tidak ada yang disimpan. Periksa tanda terbaru di bawah, "
        "lalu simpan lagi bila perlu."
    )


def prefilled(person: dict[str, Any]) -> dict[str, str]:
    """The office's values as the raw fields of a list row: nothing typed twice."""
    birth = person.get("birth_date")
    fields = {
        "full_name": person.get("full_name") or "",
        "nik": person.get("nik") or "",
        "dob": birth.strftime("%d-%m-%Y") if birth else "",
        "sex": person.get("sex") or "",
        "address": person.get("address") or "",
        "rt": person.get("rt") or "",
        "rw": person.get("rw") or "",
    }
    return {name: value for name, value in fields.items() if value}


async def to_batch(access: Scope, person_ids: list[int]) -> preview.Batch:
    """The people as rows of a batch on the coordinator's "Dari daftar kantor" draft, each
    row remembering whom it came from (``origin``) for the link back on confirm."""
    people = (
        await OfficePerson.select(
            *columns(OfficePerson, "id full_name nik birth_date sex address rw rt")
        )
        .where(OfficePerson.id.is_in(person_ids), in_area(access))
        .order_by(OfficePerson.name_key, OfficePerson.id)
    )
    own = await office_draft(access)
    parsed = ParsedRows(
        rows=[ParsedRow(n=n, fields=prefilled(p)) for n, p in enumerate(people, start=1)],
        header_detected=False,
        columns=[],
    )
    key = await preview.create_batch(
        access, own, source="kantor", filename="", parsed=parsed, origins=[p["id"] for p in people]
    )
    return await preview.open_batch(access, key)


async def office_draft(access: Scope) -> OwnList:
    """The coordinator's draft "Dari daftar kantor <Bulan YYYY>" for their area, made when
    there is none yet."""
    area = access.area
    assert area is not None and area.village_id is not None
    title = f"Dari daftar kantor {format_month_year_id(today_local())}"
    drafts = await ResidentList.select(ResidentList.id).where(
        access.owner_where(ResidentList.coordinator),
        ResidentList.state == "draft",
        ResidentList.title == title,
        ResidentList.village == area.village_id,
        ResidentList.rw == area.rw if area.rw else ResidentList.rw.is_null(),
        ResidentList.rt == area.rt if area.rt else ResidentList.rt.is_null(),
    )
    if drafts:
        return await open_list_by_id(access, drafts[0]["id"])
    made = await create_list(
        access, NewListInput(village=area.village_id, title=title), token=form_tokens.new_token()
    )
    return await open_list_by_id(access, made.id)

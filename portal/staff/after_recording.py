"""After recording (``staff:after-recording``): each recorded resident's KTP-el —
menunggu cetak → KTP-el dicetak (one blank) → sudah diambil (in person only), or a Suket
while there is no blank — and, independently, IKD activated.

A resident's ``card_state`` is made in the transaction that marks them recorded
(``after_recording_begin``, called from ``triage.apply_moves``); residents recorded before
this existed have none.
Every move is version-checked (``… WHERE id = ? AND version = ?``) and audited in its
transaction; a print takes its blank in the same transaction (``card_stock.use_blanks``),
so a move whose audit line or blank fails stores nothing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Annotated, Any

from piccolo.query.functions.aggregate import Count

from portal.domain.errors import Conflict, Invalid, NotFound
from portal.domain.inputs import Limit
from portal.domain.paging import Pager
from portal.domain.regions import OfficeRef, RegionTree, region_tree
from portal.domain.scope import Scope
from portal.domain.transactions import write_transaction
from portal.domain.vocabulary import CARD_STATES, CARD_TRANSITIONS
from portal.rules.cards import (
    IN_PERSON_ONLY,
    CardRuleError,
    after_undo,
    check_move,
    check_undo,
    print_from,
)
from portal.staff import card_stock
from portal.staff.card_stock import StockView
from portal.staff.triage import Items, audit_resident
from portal.tables.cards import CardState
from portal.tables.locations import Location

# Items: (resident id, the version of their card state the officer saw).


# What the bulk form offers, in the order of the road.
ACTIONS = {
    "dicetak": "KTP-el dicetak (memakai 1 blangko)",
    "diambil": "Sudah diambil (warga datang sendiri)",
    "suket": "Suket diterbitkan",
    "ikd": "IKD diaktifkan",
    "ikd_batal": "Batalkan tanda IKD diaktifkan",
}
IKD_ACTIONS = frozenset({"ikd", "ikd_batal"})
IKD_FILTERS = {"sudah": "IKD sudah aktif", "belum": "IKD belum aktif"}
PLACE_MAX = 200
CONFLICT = (
    "KTP-el warga ini baru saja diubah petugas lain, jadi perubahan Anda tidak disimpan. "
    "Periksa keadaannya di bawah lalu ulangi bila masih perlu."
)
IKD_ALREADY = {"ikd": "IKD warga ini sudah aktif", "ikd_batal": "IKD warga ini belum aktif"}


def now() -> datetime:
    return datetime.now(UTC)


# --- Reading ------------------------------------------------------------------------------

_RESIDENT = CardState.resident
COLUMNS = (
    *CardState.all_columns(),
    _RESIDENT._.full_name.as_alias("full_name"),
    _RESIDENT._.nik.as_alias("nik"),
    _RESIDENT._.birth_date.as_alias("birth_date"),
    _RESIDENT._.married.as_alias("married"),
    _RESIDENT._.rt.as_alias("rt"),
    _RESIDENT._.rw.as_alias("rw"),
    _RESIDENT._.category.as_alias("category"),
    _RESIDENT._.recorded_on.as_alias("recorded_on"),
    _RESIDENT._.recorded_place.as_alias("recorded_place"),
    _RESIDENT._.village._.name.as_alias("village_name"),
)


def _shown(row: dict[str, Any], today: date) -> dict[str, Any]:
    """A card row with what the page says about it: when it may be printed."""
    first = print_from(row["birth_date"], row["married"])
    row["print_from"] = first if first and first > today else None
    row["ikd"] = row["ikd_activated_at"] is not None
    row["moves"] = CARD_TRANSITIONS.get(row["state"], frozenset())
    return row


@dataclass
class CardFilter:
    """The listing's query: card state, IKD, kelurahan/desa, page."""

    keadaan: str = ""
    ikd: str = ""
    desa: str = ""
    halaman: str = ""

    def params(self, access: Scope) -> dict[str, str]:
        values = {"keadaan": self.keadaan, "ikd": self.ikd, "desa": self.desa}
        return {"kantor": access.kantor, **values}


@dataclass
class CardListing:
    rows: list[dict[str, Any]]
    pager: Pager
    counts: Counter[str]  # per card state, over the office(s), before the filter
    ikd_count: int
    total: int
    tree: RegionTree
    stock: list[StockView] = field(default_factory=list)
    default_place: str = ""


def _where(access: Scope, f: CardFilter, tree: RegionTree) -> list[Any]:
    where: list[Any] = [access.office_where(CardState.office)]
    if f.keadaan in CARD_STATES:
        where.append(CardState.state == f.keadaan)
    if f.ikd == "sudah":
        where.append(CardState.ikd_activated_at.is_not_null())
    elif f.ikd == "belum":
        where.append(CardState.ikd_activated_at.is_null())
    if f.desa:
        village = tree.village_by_code(f.desa)
        where.append(_RESIDENT._.village == (village.id if village else -1))
    return where


async def listing(access: Scope, f: CardFilter, today: date) -> CardListing:
    """One page of card states (filtered and paged in SQL), the counts per state, and the
    stock of the office(s), for the reminder that IKD saves blanks."""
    access.require_staff()
    tree = await region_tree(access.listing_ids)
    where = _where(access, f, tree)
    total = await CardState.count().where(*where)
    pager = Pager.of(f.halaman, total)
    rows = (
        await CardState.select(*COLUMNS)
        .where(*where)
        .order_by(CardState.created_at, CardState.id)
        .limit(pager.size)
        .offset(pager.offset)
    )
    scope = access.office_where(CardState.office)
    counts: Counter[str] = Counter()
    for row in (
        await CardState.select(CardState.state, Count(alias="n"))
        .where(scope)
        .group_by(CardState.state)
    ):
        counts[row["state"]] = row["n"]
    ikd_count = await CardState.count().where(scope, CardState.ikd_activated_at.is_not_null())
    office = access.single_office()
    return CardListing(
        rows=[_shown(row, today) for row in rows],
        pager=pager,
        counts=counts,
        ikd_count=ikd_count,
        total=total,
        tree=tree,
        stock=await card_stock.summary(access, today),
        default_place=await pickup_place_of(office) if office else "",
    )


async def pickup_place_of(office: OfficeRef) -> str:
    """Where an office's cards are collected unless the officer says otherwise: its main
    service location (MPP Gajah Mada for the Kota)."""
    row = (
        await Location.select(Location.name)
        .where(Location.slug == office.main_location_slug)
        .first()
    )
    return row["name"] if row else office.short_name


async def card_of(access: Scope, resident_id: int) -> dict[str, Any] | None:
    """A resident's card state with their details, if the scope reaches it."""
    return await (
        CardState.select(*COLUMNS)
        .where(
            CardState.resident == resident_id,
            access.office_where(CardState.office, listing=False),
        )
        .first()
    )


@dataclass
class CardPanel:
    """The after-recording part of a staff resident page."""

    card: dict[str, Any]
    stock: StockView
    default_place: str


async def panel(access: Scope, resident_id: int, today: date) -> CardPanel | None:
    """None for a resident with no card state (not recorded, or recorded before)."""
    row = await card_of(access, resident_id)
    if row is None:
        return None
    office = access.office(row["office"])
    [stock] = await card_stock.stock_views([office], today)
    return CardPanel(_shown(row, today), stock, await pickup_place_of(office))


# --- Moves ------------------------------------------------------------------------------------


@dataclass
class CardOutcome:
    done: list[int] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (resident id, why)
    conflicts: list[int] = field(default_factory=list)  # changed by someone else meanwhile


def _values(action: str, user_id: int | None, moment: datetime, place: str) -> dict[Any, Any]:
    """The columns a move sets, besides the version."""
    values: dict[str, dict[Any, Any]] = {
        "dicetak": {
            CardState.state: "dicetak",
            CardState.printed_at: moment,
            CardState.printed_by: user_id,
            CardState.pickup_place: place,
        },
        "diambil": {
            CardState.state: "diambil",
            CardState.collected_at: moment,
            CardState.collected_by: user_id,
            CardState.collected_in_person: True,
        },
        "suket": {
            CardState.state: "suket",
            CardState.suket_at: moment,
            CardState.suket_by: user_id,
        },
        "ikd": {CardState.ikd_activated_at: moment, CardState.ikd_by: user_id},
        "ikd_batal": {CardState.ikd_activated_at: None, CardState.ikd_by: None},
    }
    return values[action]


async def _bump(card_id: int, version: int, values: dict[Any, Any], moment: datetime) -> bool:
    changed = (
        await CardState.update(
            {**values, CardState.version: version + 1, CardState.updated_at: moment}
        )
        .where(CardState.id == card_id, CardState.version == version)
        .returning(CardState.id)
    )
    return bool(changed)


def _refusal(row: dict[str, Any], action: str, in_person: bool, today: date) -> str | None:
    if action in IKD_ACTIONS:
        active = row["ikd_activated_at"] is not None
        return IKD_ALREADY[action] if active == (action == "ikd") else None
    try:
        check_move(
            row["state"],
            action,
            birth_date=row["birth_date"],
            married=row["married"],
            in_person=in_person,
            today=today,
        )
    except CardRuleError as exc:
        return exc.message
    return None


async def _audit_card(access: Scope, action: str, row: dict[str, Any], **detail: Any) -> None:
    """The audit line of a card move, on the resident (as every staff action on them)."""
    await audit_resident(access, action, {"id": row["resident"], "office": row["office"]}, detail)


@dataclass
class MoveInput:
    tindakan: str = ""
    pilih: list[str] = field(default_factory=list)  # "resident id.card version"
    tempat_ambil: Annotated[str, Limit(PLACE_MAX + 1)] = ""
    datang_sendiri: bool = False
    kembali: Annotated[str, Limit(4000)] = ""
    versi: int | None = None  # one resident's card, from their page


def _checked(action: str, items: Items, in_person: bool, place: str) -> None:
    errors = {}
    if action not in ACTIONS:
        errors["tindakan"] = "Pilih tindakan"
    if not items:
        errors["pilih"] = "Pilih minimal satu warga"
    if action == "diambil" and not in_person:
        errors["datang_sendiri"] = IN_PERSON_ONLY
    if len(place) > PLACE_MAX:
        errors["tempat_ambil"] = f"Tempat pengambilan paling banyak {PLACE_MAX} karakter"
    if errors:
        raise Invalid(errors)


async def move(
    access: Scope, items: Items, action: str, form: MoveInput, today: date
) -> CardOutcome:
    """Move each ticked resident's card (or IKD) in one transaction. Residents outside the
    scope or without a card state are ignored as if they did not exist; a card whose rule
    refuses the move is skipped with the reason; one changed meanwhile is a conflict.
    Printing takes all the blanks at once: ``StockShort`` (nothing written) when the stock
    cannot give them."""
    place = form.tempat_ambil.strip()
    _checked(action, items, form.datang_sendiri, place)
    outcome = CardOutcome()
    moment = now()
    async with write_transaction():
        rows = {
            row["resident"]: row
            for row in await CardState.select(*COLUMNS).where(
                CardState.resident.is_in([rid for rid, _ in items]),
                access.office_where(CardState.office, listing=False),
            )
        }
        printed: dict[int, list[int]] = {}
        places: dict[int, str] = {}
        for rid, version in items:
            row = rows.get(rid)
            if row is None:
                continue
            if row["version"] != version:
                outcome.conflicts.append(rid)
                continue
            if why := _refusal(row, action, form.datang_sendiri, today):
                outcome.skipped.append((rid, why))
                continue
            office_id = row["office"]
            if action == "dicetak" and office_id not in places:
                places[office_id] = place or await pickup_place_of(access.office(office_id))
            values = _values(action, access.actor.user_id, moment, places.get(office_id, ""))
            if not await _bump(row["id"], version, values, moment):
                outcome.conflicts.append(rid)
                continue
            if action == "dicetak":
                printed.setdefault(office_id, []).append(rid)
            outcome.done.append(rid)
            if action in IKD_ACTIONS:
                await _audit_card(access, "card.ikd", row, activated=action == "ikd")
            else:
                await _audit_card(access, "card.move", row, **{"from": row["state"], "to": action})
        for office_id, residents in sorted(printed.items()):
            await card_stock.use_blanks(access.actor, office_id, residents, today, moment)
    return outcome


async def move_one(access: Scope, resident_id: int, form: MoveInput, today: date) -> None:
    """A move from the resident page: Invalid for a field to fix, Conflict (with the words
    to show) for a refusal, NotFound for a resident with no card state in the scope."""
    if await card_of(access, resident_id) is None:
        raise NotFound()
    version = form.versi if form.versi is not None else -1
    outcome = await move(access, [(resident_id, version)], form.tindakan, form, today)
    if outcome.conflicts:
        raise Conflict(CONFLICT)
    if outcome.skipped:
        raise Conflict(outcome.skipped[0][1])


@dataclass
class UndoInput:
    versi: int | None = None
    alasan_batal_cetak: Annotated[str, Limit(400)] = ""


async def undo_print(access: Scope, resident_id: int, form: UndoInput, today: date) -> str:
    """Take back a "KTP-el dicetak" recorded by mistake, with the officer's reason: the
    card goes back to where it stood (menunggu cetak, or Suket when one was issued) and its
    blank back into the stock (a ``koreksi`` +1 movement). Returns the state it went to."""
    reason = form.alasan_batal_cetak.strip()
    moment = now()
    async with write_transaction():
        row = await card_of(access, resident_id)
        if row is None:
            raise NotFound()
        if row["version"] != form.versi:
            raise Conflict(CONFLICT)
        try:
            check_undo(row["state"], reason)
        except CardRuleError as exc:
            if row["state"] != "dicetak":
                raise Conflict(exc.message) from None
            raise Invalid({"alasan_batal_cetak": exc.message}) from None
        back = after_undo(row["suket_at"] is not None)
        note = f"Cetak dibatalkan: {reason}"
        values = {
            CardState.state: back,
            CardState.printed_at: None,
            CardState.printed_by: None,
            CardState.pickup_place: "",
            CardState.note: note,
        }
        if not await _bump(row["id"], row["version"], values, moment):
            raise Conflict(CONFLICT)
        after = await card_stock.move_stock(
            access.actor,
            row["office"],
            "koreksi",
            1,
            day=today,
            moment=moment,
            resident_id=resident_id,
            note=note[:300],
        )
        await _audit_card(access, "card.undo_print", row, to=back, balance_after=after)
    return back

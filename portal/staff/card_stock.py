"""Blank-card (blangko) stock per office (``staff:card-stock``): deliveries in, spoiled
blanks, prints at the counter and recounts; the ledger; the reorder threshold; and how many
weeks the stock lasts at the recent print rate (``portal.rules.stock``).

The balance changes only through ``_move`` (one movement: ``move_stock``; a print for each
of several residents: ``use_blanks``), inside the caller's write transaction: one
conditional UPDATE (``… WHERE office = :o AND balance >= -:q``) and the movement rows with
the balance after each. A print at zero is refused without summing the ledger, and two
prints of the last blank cannot both pass: PostgreSQL re-checks the WHERE after waiting for
the first print's row lock, SQLite's IMMEDIATE transaction lets one writer in at a time.
So for every office the balance equals the sum of its movements.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Annotated, Any

from piccolo.query.functions.aggregate import Sum

from portal.domain import audit
from portal.domain.actor import Actor
from portal.domain.errors import Conflict, Invalid
from portal.domain.inputs import Limit
from portal.domain.paging import Pager
from portal.domain.regions import OfficeRef
from portal.domain.scope import Scope
from portal.domain.transactions import write_transaction
from portal.domain.vocabulary import STOCK_USES
from portal.rules.stock import (
    DEFAULT_REORDER_AT,
    StockError,
    StockStatus,
    count_text,
    read_count,
    signed_quantity,
    stock_status,
    window_start,
)
from portal.staff.inputs import OfficeForm, office_for
from portal.tables.cards import CardStock, CardStockMovement

# What staff may type in the adjust form; deliveries have their own form, and prints of a
# resident recorded through the portal are written by the card move alone.
ADJUST_KINDS = {
    "rusak": "Blangko rusak atau gagal cetak",
    "cetak": "Dicetak di loket (warga di luar portal)",
    "koreksi": "Koreksi hitungan (selisih, boleh minus)",
}
NOTE_MAX = 300
REFERENCE_MAX = 100


class StockShort(Conflict):
    """Not enough blanks for a print: nothing was written."""

    def __init__(self, balance: int, wanted: int = 1) -> None:
        message = (
            "Blangko habis: KTP-el tidak bisa dicetak. Terbitkan Suket dulu, lalu cetak "
            "setelah kiriman blangko datang."
        )
        if balance > 0:
            message = (
                f"Stok blangko tinggal {count_text(balance)}, tidak cukup untuk "
                f"{count_text(wanted)} KTP-el; tidak ada yang dicetak. Pilih lebih sedikit, "
                "atau terbitkan Suket."
            )
        super().__init__(message)
        self.balance = balance


def now() -> datetime:
    return datetime.now(UTC)


# --- The one way the balance changes ------------------------------------------------------


async def _ensure_row(office_id: int, moment: datetime) -> None:
    """The office's stock row, made at its first movement (balance 0)."""
    await CardStock.insert(
        CardStock(
            office=office_id,
            balance=0,
            reorder_at=DEFAULT_REORDER_AT,
            created_at=moment,
            updated_at=moment,
        )
    ).on_conflict(target=CardStock.office, action="DO NOTHING")


async def _change_balance(office_id: int, quantity: int, moment: datetime) -> int | None:
    """Add ``quantity`` (signed) unless that would take the balance below zero; the new
    balance, or None when refused."""
    await _ensure_row(office_id, moment)
    changed = (
        await CardStock.update(
            {
                CardStock.balance: CardStock.balance + quantity,
                CardStock.version: CardStock.version + 1,
                CardStock.updated_at: moment,
            }
        )
        .where(CardStock.office == office_id, CardStock.balance >= -quantity)
        .returning(CardStock.balance)
    )
    return changed[0]["balance"] if changed else None


async def balance_of(office_id: int) -> int:
    row = await CardStock.select(CardStock.balance).where(CardStock.office == office_id).first()
    return row["balance"] if row else 0


async def _move(
    actor: Actor,
    office_id: int,
    kind: str,
    moves: list[tuple[int, int | None]],
    *,
    day: date,
    moment: datetime,
    **text: str,
) -> int:
    """``moves`` (each a signed quantity and the resident it is for) as one conditional
    change of the balance, all or none, then a ledger row each with the balance after it;
    the balance after them all. ``text``: the rows' ``reference`` and ``note``."""
    total = sum(quantity for quantity, _ in moves)
    after = await _change_balance(office_id, total, moment)
    if after is None:
        raise StockShort(await balance_of(office_id), -total)
    common: dict[str, Any] = {
        "office": office_id,
        "kind": kind,
        "at": moment,
        "day": day,
        "actor": actor.user_id,
        **text,
    }
    balance, rows = after - total, []
    for quantity, resident in moves:
        balance += quantity
        row = CardStockMovement(
            quantity=quantity, balance_after=balance, resident=resident, **common
        )
        rows.append(row)
    await CardStockMovement.insert(*rows)
    return after


async def move_stock(
    actor: Actor,
    office_id: int,
    kind: str,
    quantity: int,
    *,
    day: date,
    moment: datetime,
    resident_id: int | None = None,
    reference: str = "",
    note: str = "",
) -> int:
    """One movement, inside the caller's write transaction; the balance after it. Raises
    ``StockShort`` (nothing written) when the stock cannot give ``-quantity`` blanks."""
    moves = [(quantity, resident_id)]
    return await _move(
        actor, office_id, kind, moves, day=day, moment=moment, reference=reference, note=note
    )


async def use_blanks(
    actor: Actor, office_id: int, resident_ids: list[int], day: date, moment: datetime
) -> int:
    """One blank for each resident's card, all or none: one conditional UPDATE for the lot,
    then a ``cetak`` movement of -1 each (their ``balance_after`` counting down)."""
    if not resident_ids:
        return await balance_of(office_id)
    moves: list[tuple[int, int | None]] = [(-1, rid) for rid in resident_ids]
    return await _move(actor, office_id, "cetak", moves, day=day, moment=moment)


# --- Reading ------------------------------------------------------------------------------


@dataclass(frozen=True)
class StockView:
    office: OfficeRef
    status: StockStatus


async def stock_views(offices: list[OfficeRef], today: date) -> list[StockView]:
    """Each office's stock now and its use over the rate window: one indexed sum."""
    ids = [o.id for o in offices] or [-1]
    rows = await CardStock.select(CardStock.office, CardStock.balance, CardStock.reorder_at).where(
        CardStock.office.is_in(ids)
    )
    stock = {row["office"]: row for row in rows}
    used_rows = (
        await CardStockMovement.select(
            CardStockMovement.office, Sum(CardStockMovement.quantity, alias="used")
        )
        .where(
            CardStockMovement.office.is_in(ids),
            CardStockMovement.kind.is_in(sorted(STOCK_USES)),
            CardStockMovement.day >= window_start(today),
        )
        .group_by(CardStockMovement.office)
    )
    used = {row["office"]: -int(row["used"] or 0) for row in used_rows}
    views = []
    for office in offices:
        row = stock.get(office.id) or {"balance": 0, "reorder_at": DEFAULT_REORDER_AT}
        status = stock_status(row["balance"], used.get(office.id, 0), reorder_at=row["reorder_at"])
        views.append(StockView(office, status))
    return views


async def summary(access: Scope, today: date) -> list[StockView]:
    """The dashboard's panel: every office of the listing."""
    return await stock_views([o for o in access.offices if o.id in access.listing_ids], today)


@dataclass
class StockPage:
    views: list[StockView]  # the offices of the listing
    office: OfficeRef | None  # the office the forms and the ledger are for (None: choose)
    movements: list[dict]
    pager: Pager | None

    @property
    def current(self) -> StockView | None:
        """The view of the office the forms are for."""
        return next((v for v in self.views if self.office and v.office.id == self.office.id), None)


async def stock_page(access: Scope, page: object, today: date) -> StockPage:
    """The stock of the listing's offices; for the one office the forms are for, its
    ledger, newest first, paged in SQL."""
    views = await summary(access, today)
    office = access.single_office()
    if office is None:
        return StockPage(views, None, [], None)
    where = CardStockMovement.office == office.id
    pager = Pager.of(page, await CardStockMovement.count().where(where))
    movements = (
        await CardStockMovement.select(
            *CardStockMovement.all_columns(),
            CardStockMovement.actor._.full_name.as_alias("actor_name"),
            CardStockMovement.resident._.full_name.as_alias("resident_name"),
        )
        .where(where)
        .order_by(CardStockMovement.at, CardStockMovement.id, ascending=False)
        .limit(pager.size)
        .offset(pager.offset)
    )
    return StockPage(views, office, movements, pager)


# --- Writing ------------------------------------------------------------------------------


@dataclass
class DeliveryInput(OfficeForm):
    jumlah: str = ""
    tanggal: str = ""
    nomor_surat: Annotated[str, Limit(REFERENCE_MAX + 1)] = ""
    catatan: Annotated[str, Limit(NOTE_MAX + 1)] = ""


@dataclass
class AdjustInput(OfficeForm):
    """Its fields are named apart from the delivery form's: both stand on one page."""

    jenis: str = ""
    banyak: str = ""
    alasan: Annotated[str, Limit(NOTE_MAX + 1)] = ""


@dataclass
class ThresholdInput(OfficeForm):
    batas: str = ""


def _text(errors: dict[str, str], name: str, value: str, label: str, limit: int) -> str:
    if len(value) > limit:
        errors[name] = f"{label} paling banyak {limit} karakter"
    return value


def _count(errors: dict[str, str], name: str, raw: str, what: str, **how: bool) -> int:
    try:
        return read_count(raw, what, **how)
    except StockError as exc:
        errors[name] = exc.message
        return 0


def _day(errors: dict[str, str], raw: str, today: date) -> date:
    try:
        day = date.fromisoformat(raw.strip())
    except ValueError:
        errors["tanggal"] = "Tanggal kiriman harus tanggal yang benar, misalnya 2026-12-05"
        return today
    if day > today:
        errors["tanggal"] = "Tanggal kiriman tidak boleh di masa depan"
    return day


async def _audit(access: Scope, action: str, office: OfficeRef, **detail: object) -> None:
    await audit.record(
        access.actor,
        action,
        office_id=office.id,
        object_type="card_stock",
        object_id=office.id,
        detail=detail,
    )


async def record_delivery(access: Scope, form: DeliveryInput, today: date) -> int:
    """A delivery of blanks in; the balance after it."""
    office = office_for(access, form.kantor)
    errors: dict[str, str] = {}
    amount = _count(errors, "jumlah", form.jumlah, "Jumlah blangko")
    if not errors and amount <= 0:
        errors["jumlah"] = "Jumlah blangko harus lebih dari 0"
    day = _day(errors, form.tanggal, today)
    reference = _text(errors, "nomor_surat", form.nomor_surat, "Nomor surat", REFERENCE_MAX)
    if not reference:
        errors["nomor_surat"] = "Tulis nomor surat atau berita acara kiriman"
    note = _text(errors, "catatan", form.catatan, "Catatan", NOTE_MAX)
    if errors:
        raise Invalid(errors)
    moment = now()
    async with write_transaction():
        after = await move_stock(
            access.actor,
            office.id,
            "masuk",
            amount,
            day=day,
            moment=moment,
            reference=reference,
            note=note,
        )
        await _audit(
            access,
            "card_stock.delivery",
            office,
            amount=amount,
            balance_after=after,
            reference=reference,
            day=day.isoformat(),
        )
    return after


async def adjust(access: Scope, form: AdjustInput, today: date) -> int:
    """Spoiled blanks, prints at the counter, or a recount's difference; a note is required
    (the ledger says why the stock changed). The balance after it."""
    office = office_for(access, form.kantor)
    errors: dict[str, str] = {}
    if form.jenis not in ADJUST_KINDS:
        errors["jenis"] = "Pilih jenis perubahan stok"
    negative = form.jenis == "koreksi"
    amount = _count(errors, "banyak", form.banyak, "Jumlah blangko", allow_negative=negative)
    note = _text(errors, "alasan", form.alasan, "Alasan", NOTE_MAX)
    if not note:
        errors["alasan"] = "Tulis alasannya, misalnya hasil hitung ulang atau sebab rusak"
    if errors:
        raise Invalid(errors)
    moment = now()
    async with write_transaction():
        try:
            quantity = signed_quantity(form.jenis, amount, await balance_of(office.id))
            after = await move_stock(
                access.actor,
                office.id,
                form.jenis,
                quantity,
                day=today,
                moment=moment,
                note=note,
            )
        except (StockError, StockShort) as exc:
            raise Invalid({"banyak": exc.message}) from None
        await _audit(
            access,
            "card_stock.adjust",
            office,
            kind=form.jenis,
            quantity=quantity,
            balance_after=after,
        )
    return after


async def set_threshold(access: Scope, form: ThresholdInput) -> None:
    office = office_for(access, form.kantor)
    errors: dict[str, str] = {}
    level = _count(errors, "batas", form.batas, "Batas pesan ulang")
    if errors:
        raise Invalid(errors)
    moment = now()
    async with write_transaction():
        await _ensure_row(office.id, moment)
        await CardStock.update(
            {
                CardStock.reorder_at: level,
                CardStock.version: CardStock.version + 1,
                CardStock.updated_at: moment,
            }
        ).where(CardStock.office == office.id)
        await _audit(access, "card_stock.threshold", office, reorder_at=level)

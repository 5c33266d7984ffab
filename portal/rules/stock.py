"""Blank-card (blangko) stock: what a movement does to the balance, how many weeks the stock
lasts at the recent print rate, and when to reorder.

Kota Mojokerto, January 2023 (S003): 4,000 blanks delivered, expected to last about three
months, to be reordered when 500 are left. Printing a card uses one blank; a spoiled print
uses one too, so both count towards the rate.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from portal.domain.vocabulary import STOCK_KINDS, STOCK_USES
from portal.rules.errors import RuleError

DEFAULT_REORDER_AT = 500
# The print rate is read over the last four weeks: long enough to smooth a week of
# sessions, short enough to follow a drive that speeds up before an election.
RATE_WINDOW_DAYS = 28
# One movement of more than this is a typo (a delivery is a few thousand).
MAX_QUANTITY = 100_000


def count_text(number: int) -> str:
    """4000 → "4.000" (Indonesian digit grouping)."""
    return f"{number:,}".replace(",", ".")


class StockError(RuleError):
    """A movement that cannot be made; ``message`` is ready to show next to the field."""


@dataclass(frozen=True, slots=True)
class Movement:
    kind: str
    quantity: int  # signed: + in, - out
    day: date


def signed_quantity(kind: str, amount: int, balance: int) -> int:
    """The change a movement makes to a stock of ``balance`` blanks. ``amount`` is what
    staff type: a positive count, except a correction, whose sign says which way it goes.
    Raises ``StockError`` for an amount that cannot be right."""
    if kind not in STOCK_KINDS:
        raise StockError("Pilih jenis perubahan stok")
    if amount == 0:
        raise StockError("Isi jumlah blangko")
    if abs(amount) > MAX_QUANTITY:
        raise StockError(f"Jumlah paling banyak {count_text(MAX_QUANTITY)} blangko")
    if kind != "koreksi" and amount < 0:
        raise StockError("Jumlah harus lebih dari 0")
    change = amount if kind in ("masuk", "koreksi") else -amount
    if balance + change < 0:
        if kind == "cetak":
            raise StockError(
                "Blangko habis: KTP-el tidak bisa dicetak. Terbitkan Suket dulu, lalu cetak "
                "setelah kiriman blangko datang."
            )
        raise StockError(
            f"Stok tinggal {count_text(balance)} blangko; tidak bisa dikurangi "
            f"{count_text(-change)}"
        )
    return change


def balance_of(movements: Iterable[Movement]) -> int:
    return sum(m.quantity for m in movements)


def window_start(today: date, days: int = RATE_WINDOW_DAYS) -> date:
    """The first day of the rate window that ends today (both days included)."""
    return today - timedelta(days=days - 1)


def used_since(movements: Iterable[Movement], since: date) -> int:
    """Blanks used up (printed or spoiled, less corrections of those) on or after ``since``."""
    return sum(-m.quantity for m in movements if m.kind in STOCK_USES and m.day >= since)


def weekly_rate(used: int, days: int = RATE_WINDOW_DAYS) -> float:
    return max(used, 0) * 7 / days


def weeks_left(balance: int, rate_per_week: float) -> float | None:
    """How many weeks ``balance`` lasts at ``rate_per_week``; None when nothing is being
    used (the stock lasts, but no honest number of weeks can be given)."""
    if rate_per_week <= 0:
        return None
    return max(balance, 0) / rate_per_week


def weeks_text(weeks: float | None) -> str:
    if weeks is None:
        return "belum bisa dihitung: tidak ada blangko terpakai 4 minggu terakhir"
    if weeks < 1:
        return "kurang dari 1 minggu"
    return f"sekitar {math.floor(weeks)} minggu"


@dataclass(frozen=True, slots=True)
class StockStatus:
    balance: int
    reorder_at: int
    used_recently: int  # over the rate window
    weekly_rate: float
    weeks_left: float | None

    @property
    def low(self) -> bool:
        """At or below the reorder threshold: the dashboard warns."""
        return self.balance <= self.reorder_at

    @property
    def empty(self) -> bool:
        return self.balance <= 0

    @property
    def lasts(self) -> str:
        return weeks_text(self.weeks_left)

    @property
    def warning(self) -> str:
        """The dashboard's warning, or "" when the stock is above the threshold."""
        if self.empty:
            return "Blangko KTP-el habis. Terbitkan Suket sampai kiriman berikutnya datang."
        if not self.low:
            return ""
        return (
            f"Stok blangko tinggal {count_text(self.balance)}, sudah di batas pesan ulang "
            f"({count_text(self.reorder_at)}). Cukup untuk {self.lasts}."
        )


def stock_status(
    balance: int,
    used_recently: int,
    *,
    reorder_at: int = DEFAULT_REORDER_AT,
    window_days: int = RATE_WINDOW_DAYS,
) -> StockStatus:
    rate = weekly_rate(used_recently, window_days)
    return StockStatus(
        balance=balance,
        reorder_at=reorder_at,
        used_recently=used_recently,
        weekly_rate=rate,
        weeks_left=weeks_left(balance, rate),
    )


def read_count(raw: str, what: str, *, allow_negative: bool = False) -> int:
    """A number of blanks as staff type it ("500", "1.000", "-20" for a correction down);
    ``what`` names the field in the message ("Jumlah blangko", "Batas pesan ulang")."""
    text = (raw or "").strip().replace(".", "").replace(" ", "")
    if not text:
        raise StockError(f"Isi {what.lower()}")
    negative = allow_negative and text[:1] in ("-", "\u2212")
    digits = text[1:] if negative else text
    if not (digits.isascii() and digits.isdigit()) or int(digits) > MAX_QUANTITY:
        sign = "bilangan bulat, misalnya 20 atau -20" if allow_negative else "angka, misalnya 500"
        raise StockError(f"{what} harus {sign}")
    return -int(digits) if negative else int(digits)

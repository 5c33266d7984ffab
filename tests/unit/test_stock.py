"""Blank-card stock: movements, the reorder warning at the threshold, weeks left."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from portal.rules.stock import (
    DEFAULT_REORDER_AT,
    MAX_QUANTITY,
    Movement,
    StockError,
    balance_of,
    read_count,
    signed_quantity,
    stock_status,
    used_since,
    weekly_rate,
    weeks_left,
    weeks_text,
    window_start,
)

TODAY = date(2023, 3, 1)


def test_a_delivery_adds_and_a_print_or_a_spoiled_blank_takes_away():
    assert signed_quantity("masuk", 4000, 0) == 4000
    assert signed_quantity("cetak", 1, 10) == -1
    assert signed_quantity("rusak", 3, 10) == -3


def test_a_correction_goes_either_way():
    assert signed_quantity("koreksi", 5, 10) == 5
    assert signed_quantity("koreksi", -5, 10) == -5


@pytest.mark.parametrize(
    ("kind", "amount", "balance", "words"),
    [
        ("masuk", 0, 0, "Isi jumlah"),
        ("masuk", -5, 0, "lebih dari 0"),
        ("masuk", MAX_QUANTITY + 1, 0, "paling banyak 100.000"),
        ("rusak", 11, 10, "tinggal 10 blangko"),
        ("koreksi", -11, 10, "tinggal 10 blangko"),
        ("hilang", 1, 10, "Pilih jenis"),
    ],
)
def test_impossible_movements_are_refused_with_a_reason(kind, amount, balance, words):
    with pytest.raises(StockError) as refused:
        signed_quantity(kind, amount, balance)
    assert words in refused.value.message


def test_printing_with_no_blank_left_points_to_a_suket():
    with pytest.raises(StockError) as refused:
        signed_quantity("cetak", 1, 0)
    assert "Suket" in refused.value.message


def test_the_balance_is_the_sum_of_the_ledger():
    ledger = [Movement("masuk", 4000, TODAY), Movement("cetak", -1, TODAY)]
    ledger += [Movement("rusak", -2, TODAY), Movement("koreksi", 3, TODAY)]
    assert balance_of(ledger) == 4000


def test_the_rate_window_is_four_weeks_ending_today():
    assert window_start(TODAY) == TODAY - timedelta(days=27)
    since = window_start(TODAY)
    ledger = [
        Movement("cetak", -1, since - timedelta(days=1)),  # before the window
        Movement("cetak", -1, since),
        Movement("rusak", -2, TODAY),
        Movement("masuk", 4000, TODAY),  # a delivery is not use
        Movement("koreksi", -10, TODAY),  # nor is a recount
    ]
    assert used_since(ledger, since) == 3


def test_the_domain_figures_4000_blanks_for_about_three_months():
    # S003: 4,000 blanks expected to last about three months, i.e. ~308 a week.
    used_four_weeks = 1232
    assert weekly_rate(used_four_weeks) == 308
    status = stock_status(4000, used_four_weeks)
    assert status.weeks_left == pytest.approx(12.99, abs=0.01)
    assert status.lasts == "sekitar 12 minggu"  # rounded down: never promises too much
    assert not status.low
    assert status.warning == ""


def test_the_warning_starts_at_the_threshold_not_before():
    above = stock_status(DEFAULT_REORDER_AT + 1, 616)
    at = stock_status(DEFAULT_REORDER_AT, 616)
    assert not above.low and above.warning == ""
    assert at.low
    assert at.warning == (
        "Stok blangko tinggal 500, sudah di batas pesan ulang (500). Cukup untuk sekitar 3 minggu."
    )


def test_the_threshold_is_editable():
    assert stock_status(900, 0, reorder_at=1000).low
    assert not stock_status(900, 0, reorder_at=800).low


def test_no_prints_in_four_weeks_gives_no_number_of_weeks():
    status = stock_status(300, 0)
    assert status.weeks_left is None
    assert "belum bisa dihitung" in status.lasts
    assert status.low


def test_an_empty_stock_says_so():
    status = stock_status(0, 50)
    assert status.empty
    assert status.weeks_left == 0
    assert "habis" in status.warning


def test_weeks_text():
    assert weeks_text(0.4) == "kurang dari 1 minggu"
    assert weeks_text(1.0) == "sekitar 1 minggu"
    assert weeks_left(100, 0) is None


@pytest.mark.parametrize(
    ("raw", "negative", "value"),
    [("500", False, 500), ("1.000", False, 1000), (" 4 000 ", False, 4000), ("-20", True, -20)],
)
def test_counts_are_read_as_staff_type_them(raw, negative, value):
    assert read_count(raw, "Jumlah blangko", allow_negative=negative) == value


@pytest.mark.parametrize("raw", ["", "-20", "dua", "12,5", "200001"])
def test_counts_that_are_not_numbers_are_refused(raw):
    with pytest.raises(StockError):
        read_count(raw, "Batas pesan ulang")

"""After recording: the card's state machine, the print age and collecting in person."""

from __future__ import annotations

from datetime import date

import pytest

from portal.domain.vocabulary import CARD_STATES, CARD_TRANSITIONS
from portal.rules.cards import CardRuleError, check_move, ikd_problem, print_from, uses_blank

TODAY = date(2025, 10, 1)
ADULT = date(2000, 5, 1)


def move(current, target, *, birth=ADULT, married=False, in_person=False):
    check_move(current, target, birth_date=birth, married=married, in_person=in_person, today=TODAY)


def test_the_whole_road_printed_then_collected():
    move(None, "dicetak")  # no state yet: waiting to be printed
    move("menunggu_cetak", "dicetak")
    move("dicetak", "diambil", in_person=True)


def test_a_suket_while_no_blank_then_the_card():
    move("menunggu_cetak", "suket")
    move("suket", "dicetak")


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("menunggu_cetak", "diambil"),  # nothing to collect yet
        ("diambil", "dicetak"),
        ("dicetak", "suket"),
        ("suket", "diambil"),
        ("dicetak", "menunggu_cetak"),
    ],
)
def test_moves_off_the_road_are_refused(current, target):
    with pytest.raises(CardRuleError) as refused:
        move(current, target, in_person=True)
    assert CARD_STATES[target] in refused.value.message


def test_collecting_needs_the_person_in_person():
    with pytest.raises(CardRuleError) as refused:
        move("dicetak", "diambil", in_person=False)
    assert "pemiliknya sendiri" in refused.value.message


def test_a_card_is_printed_only_from_17():
    sixteen = date(2009, 5, 1)
    assert print_from(sixteen, False) == date(2026, 5, 1)
    with pytest.raises(CardRuleError) as refused:
        move("menunggu_cetak", "dicetak", birth=sixteen)
    assert "1 Mei 2026" in refused.value.message
    move("menunggu_cetak", "suket", birth=sixteen)  # a Suket is not the card


def test_married_means_printed_at_any_age():
    assert print_from(date(2009, 5, 1), True) is None
    move("menunggu_cetak", "dicetak", birth=date(2009, 5, 1), married=True)


def test_seventeen_on_the_day():
    check_move(
        "menunggu_cetak",
        "dicetak",
        birth_date=date(2008, 10, 1),
        married=False,
        in_person=False,
        today=TODAY,
    )


def test_only_printing_uses_a_blank():
    assert uses_blank("dicetak")
    assert not uses_blank("suket") and not uses_blank("diambil")


def test_ikd_needs_only_the_recording():
    assert ikd_problem(True) is None
    assert "setelah warga rekam" in (ikd_problem(False) or "")


def test_the_state_machine_is_closed():
    for state, targets in CARD_TRANSITIONS.items():
        assert state in CARD_STATES
        assert targets <= set(CARD_STATES)
    assert set(CARD_TRANSITIONS) == set(CARD_STATES)


def test_a_print_is_taken_back_only_from_printed_and_with_a_reason():
    from portal.rules.cards import after_undo, check_undo

    check_undo("dicetak", "Salah centang warga")
    for state in ("menunggu_cetak", "suket", "diambil", None):
        with pytest.raises(CardRuleError) as refused:
            check_undo(state, "alasan")
        assert "Hanya KTP-el" in refused.value.message
    with pytest.raises(CardRuleError) as blank:
        check_undo("dicetak", "   ")
    assert "Tulis alasan" in blank.value.message
    with pytest.raises(CardRuleError):
        check_undo("dicetak", "x" * 301)
    assert after_undo(suket_issued=False) == "menunggu_cetak"
    assert after_undo(suket_issued=True) == "suket"  # the Suket still stands in


def test_what_a_coordinator_is_told_after_recording():
    from portal.rules.cards import card_news

    assert card_news(None, "", True) == []  # recorded before card states existed
    assert card_news("menunggu_cetak", "", False) == ["KTP-el menunggu dicetak"]
    assert card_news("dicetak", " MPP Gajah Mada ", True) == [
        "KTP-el siap diambil di MPP Gajah Mada",
        "IKD aktif",
    ]
    assert card_news("dicetak", "", False) == ["KTP-el siap diambil"]
    assert card_news("diambil", "MPP", False) == ["KTP-el sudah diambil"]
    assert card_news("suket", "", False)[0].startswith("Suket diterbitkan")

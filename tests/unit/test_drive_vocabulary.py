"""The drive's codes: every stored code has words and a tone, and the tables agree."""

from __future__ import annotations

from portal.domain import vocabulary as v
from portal.tables import cards, office_lists


def test_every_family_has_a_tone_for_every_code():
    assert set(v.DRIVE_FAMILIES) == set(v.DRIVE_TONES)
    for family, words in v.DRIVE_FAMILIES.items():
        assert set(words) == set(v.DRIVE_TONES[family]), family
        assert all(words.values()), family


def test_drive_families_do_not_shadow_existing_ones():
    assert not set(v.DRIVE_FAMILIES) & set(v.CORE_FAMILIES)


def test_drive_families_are_registered_for_the_filters():
    from portal.web.filters import label, tone

    assert label("pindah", "outcome") == "Sudah pindah"
    assert tone("tinggal", "outcome") == "ok"
    assert tone("perlu_perbaikan") == "warn"  # a resident's status, as before


def test_drive_families_are_registered_for_the_label_and_tone_filters():
    from portal.web.filters import label, tone

    assert set(v.FAMILIES) == set(v.CORE_FAMILIES) | set(v.DRIVE_FAMILIES)
    assert label("dicetak", "card_state") == "KTP-el dicetak"
    assert tone("menunggu_cetak", "card_state") == "warn"
    assert tone(True, "ikd") == "ok"
    assert tone("perlu_perbaikan") == "warn"  # resident statuses stay the default
    assert tone("nonaktif", "account_state") == "error"
    assert tone("x", "no-such-family") == ""


def test_the_tables_store_the_codes_the_vocabulary_names():
    assert set(office_lists.OUTCOMES) == set(v.OFFICE_OUTCOMES)
    assert set(office_lists.IMPORT_STATES) == set(v.OFFICE_IMPORT_STATES)
    assert set(office_lists.ROW_CHANGES) <= set(v.OFFICE_IMPORT_CHANGES)
    assert set(office_lists.OPEN_STATES) >= set(office_lists.RUNNABLE_STATES)
    assert set(cards.CARD_STATES) == set(v.CARD_STATES)
    assert set(cards.STOCK_KINDS) == set(v.STOCK_KINDS)
    assert set(v.STOCK_KINDS) >= v.STOCK_USES


def test_reports_for_the_office_are_every_outcome_but_staying():
    assert set(v.OFFICE_OUTCOMES) - {"tinggal"} == v.OFFICE_REPORT_OUTCOMES
    assert set(v.OFFICE_OUTCOME_DETAILS) == set(v.OFFICE_OUTCOMES)

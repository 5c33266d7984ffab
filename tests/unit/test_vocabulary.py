from portal.domain.vocabulary import STATUSES, TRANSITIONS, can_move
from portal.tables.residents import STATUSES as TABLE_STATUSES


def test_every_status_has_a_label_and_the_table_agrees():
    assert set(STATUSES) == set(TABLE_STATUSES)
    for source, targets in TRANSITIONS.items():
        assert source in STATUSES
        assert targets <= set(STATUSES)


def test_recorded_is_final_and_draft_is_not_a_staff_move():
    assert not can_move("sudah_rekam", "diverifikasi")
    assert not can_move("draft", "diverifikasi")
    assert can_move("diterima", "diverifikasi")
    assert can_move("tidak_hadir", "dijadwalkan")

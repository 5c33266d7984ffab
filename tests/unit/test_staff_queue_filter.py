"""Queue filters from the URL, the keyset cursor and RW/RT spellings."""

from datetime import UTC, datetime

from litestar.datastructures import MultiDict

from portal.staff.queue import Cursor, QueueFilter, name_key, normalise_number, number_forms


def test_unknown_values_fall_back_to_no_filter():
    f = QueueFilter.from_query(
        MultiDict(
            {
                "status": "draft",
                "kategori": "x",
                "peringatan": "warn_everything",
                "urut": "random",
                "per": "5000",
                "koordinator": "1 OR 1=1",
                "ditugaskan": "siapa",
            }
        )
    )
    assert (f.status, f.kategori, f.peringatan, f.urut, f.per, f.koordinator, f.ditugaskan) == (
        "",
        "",
        "",
        "terbaru",
        50,
        "",
        "",
    )
    assert f.errors == {}


def test_bad_numbers_and_dates_are_reported_next_to_their_field():
    f = QueueFilter.from_query(MultiDict({"rw": "dua", "dari": "31-02-2026", "q": "12"}))
    assert set(f.errors) == {"rw", "dari", "q"}
    assert f.rw == "" and f.dari == ""


def test_params_leave_out_defaults_and_cursors():
    f = QueueFilter.from_query(
        MultiDict({"status": "diterima", "urut": "terbaru", "per": "50", "setelah": "abc"})
    )
    assert f.params() == {"status": "diterima"}
    assert f.active() == {"status": "diterima"}


def test_cursor_round_trip_and_garbage():
    moment = datetime(2026, 3, 1, 10, 30, 15, 123456, tzinfo=UTC)
    assert Cursor.decode(Cursor(moment, 42).encode(), "terbaru") == Cursor(moment, 42)
    assert Cursor.decode(Cursor("ani rahayu", 7).encode(), "nama") == Cursor("ani rahayu", 7)
    for junk in ("", "%%%", "bm90IGpzb24", Cursor("x", 1).encode()):
        assert Cursor.decode(junk, "terbaru") is None


def test_rw_rt_spellings():
    assert normalise_number("003") == "3" and normalise_number("0") == ""
    assert number_forms("3") == ["003", "03", "3"]
    assert name_key("  Sri   WAHYUNI ") == "sri wahyuni"

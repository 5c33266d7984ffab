"""Queue filters from the URL, the keyset cursor and RW/RT in their one canonical form."""

from datetime import UTC, datetime

from litestar.datastructures import MultiDict

from portal.rules.names import name_key
from portal.staff.queue import Cursor, QueueFilter, filter_where


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


def test_rw_rt_are_compared_in_their_one_canonical_form():
    # Stored RW/RT are canonical ("03"): however a filter is typed, it compares that form.
    for typed in ("3", "03", "003", "RT 3"):
        f = QueueFilter.from_query(MultiDict({"rw": typed, "rt": typed}))
        assert (f.rw, f.rt, f.errors) == ("03", "03", {}), typed
    zero = QueueFilter.from_query(MultiDict({"rw": "0"}))
    assert zero.rw == "" and "rw" in zero.errors
    assert f.params() == {"rw": "03", "rt": "03"}
    assert name_key("  Sri   WAHYUNI ") == "sri wahyuni"


def test_the_filter_asks_for_one_spelling():
    from portal.domain.actor import Actor
    from portal.domain.regions import RegionTree
    from portal.domain.scope import Scope

    scope = Scope(Actor(1, "petugas", "staff", 1), (), None)
    f = QueueFilter.from_query(MultiDict({"rt": "007"}))
    where = " ".join(str(c) for c in filter_where(f, scope, RegionTree((), ())))
    assert "'07'" in where and "'7'" not in where and "'007'" not in where

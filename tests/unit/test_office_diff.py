"""The re-import diff: new, changed, unchanged, gone; applied whole or chunk by chunk."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from portal.rules.office_diff import CHANGED, NEW, UNCHANGED, diff, row_change

PREVIOUS = {"A": "a1", "B": "b1", "C": "c1", "D": "d1"}


def test_a_re_import_next_month():
    # B changed address, C recorded elsewhere (gone), D is listed but its row is broken,
    # E is new, A is as before; E appears twice.
    result = diff(PREVIOUS, [("A", "a1"), ("B", "b2"), ("D", None), ("E", "e1"), ("E", "e9")])
    assert result.new == ("E",)
    assert result.changed == ("B",)
    assert result.unchanged == ("A",)
    assert result.gone == ("C",)
    assert result.held == ("D",)  # still listed: not gone, stored data kept
    assert result.repeated == ("E",)
    assert result.counts == {NEW: 1, CHANGED: 1, UNCHANGED: 1, "hilang": 1}


def test_the_first_import_is_all_new():
    result = diff({}, [("A", "a1"), ("B", "b1")])
    assert result.new == ("A", "B") and not result.gone


def test_an_empty_export_makes_everyone_gone():
    assert diff(PREVIOUS, []).gone == ("A", "B", "C", "D")


def test_one_row():
    assert row_change(None, "x") == NEW
    assert row_change("x", "x") == UNCHANGED
    assert row_change("x", "y") == CHANGED


niks = st.sampled_from([f"N{i}" for i in range(12)])
prints = st.sampled_from(["p", "q", "r"])


@given(
    previous=st.dictionaries(niks, prints),
    incoming=st.lists(st.tuples(niks, st.one_of(st.none(), prints))),
    chunk=st.integers(min_value=1, max_value=5),
)
def test_chunk_by_chunk_agrees_with_the_whole(previous, incoming, chunk):
    """What the import job does: per chunk, look up only that chunk's NIKs, classify each
    new NIK with ``row_change``; at the end the gone are the stored not seen."""
    whole = diff(previous, incoming)
    seen: set[str] = set()
    kinds: dict[str, list[str]] = {NEW: [], CHANGED: [], UNCHANGED: []}
    for start in range(0, len(incoming), chunk):
        part = incoming[start : start + chunk]
        stored = {nik: previous[nik] for nik, _ in part if nik in previous}
        for nik, print_ in part:
            if nik in seen:
                continue
            seen.add(nik)
            if print_ is not None:
                kinds[row_change(stored.get(nik), print_)].append(nik)
    assert tuple(kinds[NEW]) == whole.new
    assert tuple(kinds[CHANGED]) == whole.changed
    assert tuple(kinds[UNCHANGED]) == whole.unchanged
    assert tuple(sorted(set(previous) - seen)) == whole.gone

"""The office's list, without a database: reading ticked boxes, checking a mark, the
prefilled row of "masih tinggal", what a coordinator sees of a person, progress, the
coverage roll-up and reminders, and the fictitious demo people."""

from __future__ import annotations

from datetime import date

import pytest

from portal import demo_office_list as demo
from portal.coordinator.office_list import (
    DETAIL_MAX,
    MarkForm,
    check_mark,
    detail_label,
    parse_picks,
    prefilled,
    shown,
)
from portal.domain.errors import Invalid
from portal.domain.office_list import progress_of
from portal.domain.regions import KecamatanRef, RegionTree, VillageRef
from portal.domain.scope import Area
from portal.rules.nik import nik_warnings, parse_nik
from portal.staff.coverage import (
    NO_COORDINATOR,
    Coordinator,
    Group,
    covering,
    reminder_text,
    roll_up,
    tally_of,
    total,
)
from portal.staff.office_reports import ReportFilter

TODAY = date(2026, 12, 3)


def test_picks_are_read_once_each_and_junk_is_dropped():
    assert parse_picks(["12.3", "7.1", "12.4", "x.1", "5", "8.", ".2", "٣.1", "9.2"]) == [
        (12, 3),
        (7, 1),
        (9, 2),
    ]


def test_a_mark_needs_people_an_outcome_and_short_texts():
    with pytest.raises(Invalid) as refused:
        check_mark(MarkForm(hasil="pergi", keterangan="x" * (DETAIL_MAX + 1)), [])
    assert set(refused.value.errors) == {"pilih", "hasil", "keterangan"}
    check_mark(MarkForm(hasil="pindah", keterangan="Ke Batam"), [(1, 1)])
    with pytest.raises(Invalid):
        check_mark(MarkForm(hasil="pindah"), [(n, 1) for n in range(1, 202)])


def test_the_detail_label_follows_the_outcome():
    assert detail_label("pindah") == "Pindah ke mana (jika tahu)"
    assert detail_label("sudah_rekam").startswith("Rekam di mana dan kapan")
    assert "pindah ke mana / rekam di mana" in detail_label(None)
    assert "pindah ke mana / rekam di mana" in detail_label("meninggal")


def test_the_prefilled_row_carries_the_office_values_and_nothing_empty():
    row = prefilled(
        {
            "full_name": "Slamet",
            "nik": "3576011708790001",
            "birth_date": date(1979, 8, 17),
            "sex": "L",
            "address": "Jl. Kenari No. 4",
            "rt": "03",
            "rw": None,
        }
    )
    assert row == {
        "full_name": "Slamet",
        "nik": "3576011708790001",
        "dob": "17-08-1979",
        "sex": "L",
        "address": "Jl. Kenari No. 4",
        "rt": "03",
    }


def test_a_coordinator_sees_age_and_a_masked_nik_only():
    row = shown(
        {
            "id": 4,
            "version": 2,
            "nik": "3576011708790001",
            "birth_date": date(1979, 8, 17),
            "handled_at": None,
            "resident": None,
        },
        TODAY,
    )
    assert "birth_date" not in row and "nik" not in row
    assert row["nik_masked"] == "3576••••••••0001" and row["age"] == 47
    assert row["pick"] == "4.2" and not row["locked"]
    unknown = shown({"id": 5, "version": 1, "handled_at": None, "resident": 9}, TODAY)
    assert unknown["age"] is None and unknown["nik_masked"] == "" and unknown["locked"]


def test_progress_counts_checked_people_by_outcome():
    p = progress_of(
        [
            {"outcome": None, "count": 12},
            {"outcome": "pindah", "count": 2},
            {"outcome": "tinggal", "count": 10},
        ],
        waiting=3,
    )
    assert (p.total, p.checked, p.unchecked, p.waiting) == (24, 12, 12, 3)
    assert p.outcomes == [("tinggal", 10), ("pindah", 2)]


def tree() -> RegionTree:
    villages = (
        VillageRef(1, "35.76.01.1007", "Surodinawan", "kelurahan", 10, 100),
        VillageRef(2, "35.76.01.1008", "Kranggan", "kelurahan", 10, 100),
    )
    return RegionTree(
        offices=(), kecamatan=(KecamatanRef(10, "35.76.01", "Prajuritkulon", 100, villages),)
    )


GROUPS = [
    Group(10, 1, "02", "03", None, 5),
    Group(10, 1, "02", "03", "pindah", 2),
    Group(10, 1, "02", "04", None, 3),
    Group(10, 2, "01", "01", "meninggal", 1),
]
HEAD = Coordinator(7, "Bu Sri", 100, Area(10, 1, "02", "03"))


def test_coverage_rolls_groups_up_per_level_and_finds_uncovered_rts():
    [kecamatan] = roll_up(GROUPS, [HEAD], "kecamatan", tree())
    assert (kecamatan.name, kecamatan.tally.total, kecamatan.tally.checked) == (
        "Kec. Prajuritkulon",
        11,
        3,
    )
    assert kecamatan.tally.uncovered == 4 and kecamatan.tally.outcome("pindah") == 2
    villages = {r.name: r.tally for r in roll_up(GROUPS, [HEAD], "village", tree())}
    assert villages["Kelurahan Surodinawan"].total == 10
    assert villages["Kelurahan Kranggan"].uncovered == 1
    rts = {r.name: r for r in roll_up(GROUPS[:3], [HEAD], "rt", tree())}
    assert rts["RW 02 / RT 03"].coordinators == ["Bu Sri"]
    assert rts["RW 02 / RT 04"].coordinators == [NO_COORDINATOR]
    assert total(rts.values()).total == 10


def test_a_coordinator_covers_the_canonical_rt_of_their_area():
    village_wide = Coordinator(8, "Bu Lilik", 100, Area(10, 1, None, None))
    assert covering([HEAD, village_wide], 1, "2", "003") == ["Bu Sri", "Bu Lilik"]
    assert covering([HEAD], 1, "02", "04") == []
    assert tally_of(GROUPS, HEAD.area).total == 7
    assert tally_of(GROUPS, HEAD.area).unchecked == 5


def test_a_reminder_says_counts_and_where_never_who():
    text = reminder_text("Bu Sri", "Kel. Surodinawan RW 02 RT 03", 12, 24, "https://x/koordinator")
    assert "12 nama belum dicek" in text and "Kel. Surodinawan RW 02 RT 03" in text
    assert text.endswith("https://x/koordinator")
    assert "24 nama" in reminder_text("Bu Sri", "Kel. X", 0, 24, "l")


def test_the_report_filter_keeps_only_known_values():
    f = ReportFilter.of(
        {"hasil": "tinggal", "status": "apa", "desa": "35.76.01.1007", "cari": "Sri"}
    )
    assert (f.hasil, f.status, f.desa) == ("", "belum", "35.76.01.1007")
    assert f.active() == {"status": "belum", "desa": "35.76.01.1007", "cari": "ya"}  # no name
    assert ReportFilter.of({"hasil": "pindah"}).hasil == "pindah"


def test_demo_people_are_plausible_and_their_niks_agree_with_them():
    people = demo.fake_people(
        24, kecamatan_code="35.76.01", village_name="Surodinawan", rw="02", rts=("03",), today=TODAY
    )
    assert people == demo.fake_people(
        24, kecamatan_code="35.76.01", village_name="Surodinawan", rw="02", rts=("03",), today=TODAY
    )
    assert len({p.full_name for p in people}) == 24  # no name twice in one RT
    assert len({p.nik for p in people}) == 24
    for p in people:
        nik = parse_nik(p.nik)
        assert nik.district_code == "357601" and nik.sex == p.sex
        assert not nik_warnings(nik, birth_date=p.birth_date, sex=p.sex, office_prefixes=["3576"])
        assert 16 <= (TODAY - p.birth_date).days // 365 <= 80
        assert (p.rw, p.rt) == ("02", "03")

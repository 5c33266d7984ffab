"""The seed data file: the facts it must hold, and the loader's checks on broken files."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest

from portal.content import seed as seed_module
from portal.content.seed import SERVICES, Seed, SeedError, load_seed
from portal.content.seed_model import OfficeSeed
from portal.domain.regions import OfficeRef

KOTA_KECAMATAN = {"35.76.01": "Prajuritkulon", "35.76.02": "Magersari", "35.76.03": "Kranggan"}

# Desa and kelurahan per Kabupaten kecamatan (Kepmendagri 300.2.2-2138/2025).
KABUPATEN_COUNTS = {
    "35.16.01": ("Jatirejo", 19, 0),
    "35.16.02": ("Gondang", 18, 0),
    "35.16.03": ("Pacet", 20, 0),
    "35.16.04": ("Trawas", 13, 0),
    "35.16.05": ("Ngoro", 19, 0),
    "35.16.06": ("Pungging", 19, 0),
    "35.16.07": ("Kutorejo", 17, 0),
    "35.16.08": ("Mojosari", 14, 5),
    "35.16.09": ("Dlanggu", 16, 0),
    "35.16.10": ("Bangsal", 17, 0),
    "35.16.11": ("Puri", 16, 0),
    "35.16.12": ("Trowulan", 16, 0),
    "35.16.13": ("Sooko", 15, 0),
    "35.16.14": ("Gedeg", 14, 0),
    "35.16.15": ("Kemlagi", 20, 0),
    "35.16.16": ("Jetis", 16, 0),
    "35.16.17": ("Dawarblandong", 18, 0),
    "35.16.18": ("Mojoanyar", 12, 0),
}

# Which Kabupaten service point serves which kecamatan (TribunJatim, 21 Oct 2024).
KABUPATEN_SERVICE_POINTS = {
    "kab-kec-mojosari": {"35.16.05", "35.16.08", "35.16.06", "35.16.07"},
    "kab-kec-gondang": {"35.16.04", "35.16.03", "35.16.02", "35.16.01"},
    "kab-kec-jetis": {"35.16.16", "35.16.17", "35.16.14", "35.16.15"},
    "kab-dispendukcapil": {"35.16.13", "35.16.11", "35.16.12", "35.16.10", "35.16.18"},
    "kab-mpp-graha-manavaseva": {"35.16.13", "35.16.11", "35.16.12", "35.16.10", "35.16.18"},
}
DLANGGU = "35.16.09"

KOTA_SCHOOLS = {
    "SMAN 1 Kota Mojokerto",
    "SMAN 3 Kota Mojokerto",
    "SMKN 2 Kota Mojokerto",
    "SMA Katholik Kota Mojokerto",
    "SMK PGRI Kota Mojokerto",
    "SMK Taman Siswa Kota Mojokerto",
}

# Words from the advertisement injected into one source article. None may reach the project.
AD_WORDS = re.compile(
    r"\b(trading|trader|trade|bot|bots|crypto|kripto|cryptocurrency|profit|binance|bitget|okx"
    r"|tokocrypto|saham|autopilot|bappebti|aiotrade|cuan|investasi|anti\s+loss|spot\s+market"
    r"|market\s+spot|beli\s+otomatis|jual\s+otomatis)\b",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def seed() -> Seed:
    return load_seed()


def test_default_file_is_inside_the_package() -> None:
    expected = Path(seed_module.__file__).parent.parent / "data" / "mojokerto.yaml"
    assert expected == seed_module.DEFAULT_PATH
    assert expected.is_file()


# --- Regions ------------------------------------------------------------------------------


def test_kota_has_three_kecamatan_of_six_kelurahan(seed: Seed) -> None:
    kecamatan = [k for k in seed.kecamatan if k.office == "kota"]
    assert {k.code: k.name for k in kecamatan} == KOTA_KECAMATAN
    assert [len(k.villages) for k in kecamatan] == [6, 6, 6]
    villages = [v for k in kecamatan for v in k.villages]
    assert len(villages) == 18
    assert {v.kind for v in villages} == {"kelurahan"}


def test_kota_spot_checks(seed: Seed) -> None:
    villages = {v.code: v for v in seed.villages()}
    assert villages["35.76.01.1007"].name == "Surodinawan"
    assert villages["35.76.01.1007"].kecamatan_code == "35.76.01"
    assert villages["35.76.02.1001"].name == "Gununggedangan"
    assert "Gunung Gedangan" in villages["35.76.02.1001"].aliases
    assert villages["35.76.03.1006"].name == "Purwotengah"
    prajuritkulon = next(k for k in seed.kecamatan if k.code == "35.76.01")
    assert prajuritkulon.aliases == ("Prajurit Kulon",)
    assert prajuritkulon.nik_prefix == "357601"
    kranggan = next(k for k in seed.kecamatan if k.code == "35.76.03")
    assert {v.name for v in kranggan.villages} == {
        "Kranggan",
        "Miji",
        "Meri",
        "Jagalan",
        "Sentanan",
        "Purwotengah",
    }


def test_kabupaten_has_18_kecamatan_299_desa_and_5_kelurahan(seed: Seed) -> None:
    kecamatan = [k for k in seed.kecamatan if k.office == "kabupaten"]
    assert len(kecamatan) == 18
    counts = {
        k.code: (
            k.name,
            sum(v.kind == "desa" for v in k.villages),
            sum(v.kind == "kelurahan" for v in k.villages),
        )
        for k in kecamatan
    }
    assert counts == KABUPATEN_COUNTS
    villages = [v for k in kecamatan for v in k.villages]
    assert sum(v.kind == "desa" for v in villages) == 299
    kelurahan = [v for v in villages if v.kind == "kelurahan"]
    assert len(kelurahan) == 5
    assert {v.kecamatan_code for v in kelurahan} == {"35.16.08"}


def test_village_kind_follows_the_code(seed: Seed) -> None:
    for village in seed.villages():
        assert village.code.startswith(village.kecamatan_code + ".")
        expected = "kelurahan" if village.code[-4] == "1" else "desa"
        assert village.kind == expected, village.code


# --- Offices and locations ----------------------------------------------------------------


def as_loaded(office: OfficeSeed) -> OfficeRef:
    """The office as the pages read it once it is in the database (portal.domain.regions)."""
    names = {f.name for f in dataclasses.fields(OfficeRef)} - {"id"}
    return OfficeRef(id=0, **{name: getattr(office, name) for name in names})


def test_offices_and_minimum_recording_age(seed: Seed) -> None:
    kota = seed.office("kota")
    kabupaten = seed.office("kabupaten")
    assert (kota.region_code, kota.nik_prefix) == ("35.76", "3576")
    assert (kabupaten.region_code, kabupaten.nik_prefix) == ("35.16", "3516")
    assert (kota.min_age_years, kota.min_age_months) == (16, 8)
    assert (kabupaten.min_age_years, kabupaten.min_age_months) == (16, 0)
    assert as_loaded(kota).min_age_text == "16 tahun 8 bulan"
    assert as_loaded(kabupaten).min_age_text == "16 tahun"
    assert "Pilkada" in kota.min_age_note
    for office in seed.offices:
        assert office.min_age_source.strip()
        assert office.min_age_verified is False


def test_every_main_location_exists_and_belongs_to_its_office(seed: Seed) -> None:
    assert seed.office("kota").main_location_slug == "kota-mpp-gajah-mada"
    for office in seed.offices:
        location = seed.location(office.main_location_slug)
        assert location.office == office.slug
        assert "perekaman" in location.services


def test_every_kabupaten_kecamatan_but_dlanggu_is_served(seed: Seed) -> None:
    for kecamatan in seed.kecamatan:
        if kecamatan.office != "kabupaten":
            continue
        serving = {location.slug for location in seed.locations_serving(kecamatan.code)}
        if kecamatan.code == DLANGGU:
            assert serving == set()
        else:
            expected = {
                slug for slug, codes in KABUPATEN_SERVICE_POINTS.items() if kecamatan.code in codes
            }
            assert serving == expected, kecamatan.name


def test_dlanggu_villages_are_served_by_no_location(seed: Seed) -> None:
    dlanggu = next(k for k in seed.kecamatan if k.code == DLANGGU)
    assert dlanggu.name == "Dlanggu"
    for village in dlanggu.villages:
        assert seed.locations_serving(village.code) == ()


def test_every_kota_kelurahan_has_its_own_office(seed: Seed) -> None:
    offices = [loc for loc in seed.locations if loc.kind == "kantor_kelurahan"]
    kota_villages = [v for k in seed.kecamatan if k.office == "kota" for v in k.villages]
    assert len(offices) == len(kota_villages) == 18
    for village in kota_villages:
        [office] = [loc for loc in offices if loc.serves == (village.code,)]
        assert office.name == f"Kantor Kelurahan {village.name}"
        assert office.address is None
        assert office.services == ("perekaman",)
        assert [h.weekday for h in office.hours] == [0, 1, 2, 3, 4]
        assert "belum dikonfirmasi" in office.notes


def test_mpp_gajah_mada_hours_and_election_day(seed: Seed) -> None:
    mpp = seed.location("kota-mpp-gajah-mada")
    assert mpp.serves == ("35.76",)
    assert mpp.kecamatan == "35.76.02"
    hours = {h.weekday: (h.opens, h.closes) for h in mpp.hours}
    weekday = (dt.time(8), dt.time(14))
    weekend = (dt.time(8), dt.time(11))
    assert hours == {
        0: weekday,
        1: weekday,
        2: weekday,
        3: weekday,
        4: weekday,
        5: weekend,
        6: weekend,
    }
    [election] = mpp.special_days
    assert election.day == dt.date(2024, 11, 27)
    assert election.closes == dt.time(12)
    assert not election.closed
    assert "belum dikonfirmasi" in mpp.notes
    assert set(mpp.services) == {"perekaman", "pencetakan", "aktivasi_ikd"}


def test_schools_are_the_six_named_in_the_data(seed: Seed) -> None:
    schools = [loc for loc in seed.locations if loc.kind == "sekolah"]
    assert {s.name for s in schools} == KOTA_SCHOOLS
    for school in schools:
        assert school.office == "kota"
        assert school.hours == ()
        assert school.serves == ()


def test_locations_use_known_services_and_keep_sources(seed: Seed) -> None:
    for location in seed.locations:
        assert location.source.strip(), location.slug
        assert set(location.services) <= set(SERVICES)
        assert isinstance(location.verified, bool)
        assert location.checked_on == dt.date(2026, 11, 25)
        if not location.hours:
            continue
        for hours in location.hours:
            assert hours.opens < hours.closes


# --- Requirements and figures -------------------------------------------------------------


def test_every_requirement_has_a_source(seed: Seed) -> None:
    for requirement in seed.requirements:
        assert requirement.source.strip(), requirement.slug
        assert requirement.body.strip(), requirement.slug
        assert isinstance(requirement.verified, bool)


def test_requirements_cover_the_rules(seed: Seed) -> None:
    items = {r.slug: r for r in seed.requirements}
    assert "Pasal 63" in (items["wajib-ktp-el"].legal_basis or "")
    assert "79A" in (items["gratis"].legal_basis or "")
    assert "Permendagri 72/2022" in (items["ikd-syarat"].legal_basis or "")
    assert "Pasal 18 ayat (2)" in (items["ikd-syarat"].legal_basis or "")
    assert "Kartu Keluarga" in items["dokumen-kk"].body
    assert "MPP Gajah Mada" in items["ikd-langkah"].body
    assert "QR" in items["ikd-langkah"].body
    for word in ("wajah", "sidik jari", "iris", "tanda tangan", "datang sendiri"):
        assert word in items["isi-perekaman"].body
    assert items["ikd-tidak-wajib-kota"].office == "kota"
    # One minimum-age item per office.
    usia = {r.office: r for r in seed.requirements if r.topic == "usia"}
    assert set(usia) == {"kota", "kabupaten"}
    assert "16 tahun 8 bulan" in usia["kota"].body
    # Facts that rest on one secondary or non-local source stay marked unverified.
    assert items["nik-nonaktif-22"].verified is False
    assert items["dokumen-menikah-di-bawah-17"].verified is False
    positions = [r.position for r in seed.requirements]
    assert len(set(positions)) == len(positions)


def test_figures_are_dated_and_sourced(seed: Seed) -> None:
    by_label = {(f.office, f.label, f.as_of): f for f in seed.figures}
    belum = by_label[("kota", "Warga belum rekam KTP-el", dt.date(2023, 12, 31))]
    assert belum.value == 3887
    assert belum.verified is True
    assert (
        by_label[("kabupaten", "Penduduk sudah rekam KTP-el", dt.date(2024, 10, 21))].value
        == 870399
    )
    for figure in seed.figures:
        assert figure.source.strip()
        assert isinstance(figure.value, int)
        assert figure.value > 0
        assert figure.as_of_text.strip()


def test_demo_sessions(seed: Seed) -> None:
    sessions = seed.demo_sessions
    assert 8 <= len(sessions) <= 12
    assert {s.office for s in sessions} == {"kota", "kabupaten"}
    assert any(s.kind == "kunjungan_rumah" for s in sessions)
    assert any(s.registration_via_rt for s in sessions)
    locations = {s.location for s in sessions}
    assert {"kab-kec-mojosari", "kab-kec-gondang", "kab-kec-jetis"} <= locations
    assert any(s.kind == "sekolah" for s in sessions)
    for session in sessions:
        assert session.starts < session.ends
        assert session.day(dt.date(2026, 1, 1)) >= dt.date(2026, 1, 1)


def test_no_advertisement_content_anywhere_in_the_file() -> None:
    text = seed_module.DEFAULT_PATH.read_text(encoding="utf-8")
    found = sorted({m.group(0).lower() for m in AD_WORDS.finditer(text)})
    assert found == []


# --- Validation ---------------------------------------------------------------------------

MINIMAL = """\
checked_on: 2026-11-25
offices:
  - slug: kota
    name: Dispendukcapil Kota Mojokerto
    short_name: Kota Mojokerto
    region_code: "35.76"
    nik_prefix: "3576"
    min_recording_age: {years: 16, months: 8}
    min_recording_age_note: Catatan.
    min_recording_age_source: Sumber.
    website: null
    main_location: kota-mpp
kecamatan:
  - code: "35.76.01"
    office: kota
    name: Prajuritkulon
    aliases: []
    villages:
      - {code: "35.76.01.1003", name: Mentikan, kind: kelurahan, aliases: []}
locations:
  - slug: kota-mpp
    office: kota
    kind: mpp
    name: MPP Gajah Mada
    address: null
    kecamatan: "35.76.01"
    hours:
      - {weekday: 0, open: "08:00", close: "14:00", note: Loket}
    special_days: []
    services: [perekaman]
    serves: ["35.76"]
    accessibility: null
    source: Sumber.
    verified: true
requirements:
  - slug: gratis
    topic: biaya
    office: null
    title: Biaya
    body: Gratis.
    legal_basis: null
    source: Sumber.
    verified: true
    position: 10
figures: []
demo_sessions:
  - office: kota
    kind: sekolah
    title: Demo
    place: Sekolah
    address: null
    location: kota-mpp
    in_days: 1
    start: "08:00"
    end: "12:00"
    audience: Siswa
    registration_via_rt: false
    capacity: 10
    serves: ["35.76.01"]
    public: true
"""

VILLAGE = '{code: "35.76.01.1003", name: Mentikan, kind: kelurahan, aliases: []}'
REQUIREMENT = MINIMAL.split("requirements:\n")[1].split("figures:")[0]


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "seed.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_minimal_file_loads(tmp_path: Path) -> None:
    seed = load_seed(_write(tmp_path, MINIMAL))
    assert seed.location("kota-mpp").checked_on == dt.date(2026, 11, 25)  # file default
    assert seed.locations_serving("35.76.01.1003")[0].slug == "kota-mpp"
    assert seed.demo_sessions[0].capacity == 10


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        pytest.param(
            "    office: kota\n    name: Prajuritkulon",
            "    office: kabupaten\n    name: Prajuritkulon",
            r"kecamatan\[0\] \(35\.76\.01\)\.office: unknown office 'kabupaten'",
            id="unknown-office",
        ),
        pytest.param(
            VILLAGE,
            VILLAGE + "\n      - " + VILLAGE,
            r"duplicate region code '35\.76\.01\.1003'",
            id="duplicate-village-code",
        ),
        pytest.param(
            "figures: []",
            REQUIREMENT + "figures: []",
            r"duplicate requirement 'gratis'",
            id="duplicate-requirement-slug",
        ),
        pytest.param(
            '"35.76.01.1003"',
            '"35.76.02.1003"',
            r"is not under its kecamatan '35\.76\.01'",
            id="village-outside-kecamatan",
        ),
        pytest.param(
            "kind: kelurahan",
            "kind: desa",
            r"'desa' does not match code '35\.76\.01\.1003'",
            id="village-kind-against-code",
        ),
        pytest.param(
            'serves: ["35.76"]',
            'serves: ["35.76.09"]',
            r"locations\[0\] \(kota-mpp\)\.serves\[0\]: unknown region code '35\.76\.09'",
            id="unknown-served-code",
        ),
        pytest.param(
            "main_location: kota-mpp",
            "main_location: kota-nowhere",
            r"main_location: 'kota-nowhere' is not a location",
            id="unknown-main-location",
        ),
        pytest.param(
            'close: "14:00"',
            "close: 14:00",
            r'hours\[0\]\.close: must be a quoted "HH:MM" string',
            id="unquoted-time",
        ),
        pytest.param(
            'open: "08:00", close',
            'open: "8.00", close',
            r'hours\[0\]\.open: must be a time "HH:MM"',
            id="malformed-time",
        ),
        pytest.param(
            'close: "14:00"',
            'close: "07:30"',
            r"close: 07:30 must be later than open 08:00",
            id="closes-before-opening",
        ),
        pytest.param(
            "weekday: 0",
            "weekday: 7",
            r"weekday: must be 0 \(Senin\) to 6 \(Minggu\), got 7",
            id="weekday-out-of-range",
        ),
        pytest.param(
            "services: [perekaman]",
            "services: [perekaman, cetak_kk]",
            r"services\[1\]: 'cetak_kk' is not one of",
            id="unknown-service",
        ),
        pytest.param(
            'nik_prefix: "3576"',
            'nik_prefix: "3516"',
            r"nik_prefix: '3516' does not match region_code '35\.76'",
            id="nik-prefix-mismatch",
        ),
        pytest.param(
            "    verified: true\nrequirements:",
            "    verified: true\n    serve: []\nrequirements:",
            r"locations\[0\] \(kota-mpp\): unknown field\(s\) 'serve'",
            id="misspelt-field",
        ),
        pytest.param(
            "    source: Sumber.\n    verified: true\nrequirements:",
            "    verified: true\nrequirements:",
            r"locations\[0\] \(kota-mpp\): missing field 'source'",
            id="location-without-source",
        ),
        pytest.param(
            'start: "08:00"\n    end: "12:00"',
            'start: "12:00"\n    end: "08:00"',
            r"demo_sessions\[0\] \(Demo\)\.end: 08:00 must be later than start 12:00",
            id="session-ends-before-start",
        ),
        pytest.param(
            "checked_on: 2026-11-25\n",
            "checked_on: [\n",
            r"not valid YAML",
            id="invalid-yaml",
        ),
    ],
)
def test_broken_files_are_rejected(tmp_path: Path, old: str, new: str, message: str) -> None:
    assert old in MINIMAL
    path = _write(tmp_path, MINIMAL.replace(old, new, 1))
    with pytest.raises(SeedError, match=message) as caught:
        load_seed(path)
    assert str(path) in str(caught.value)


def test_missing_file_is_a_seed_error(tmp_path: Path) -> None:
    with pytest.raises(SeedError, match="cannot read"):
        load_seed(tmp_path / "nope.yaml")


def test_empty_file_is_a_seed_error(tmp_path: Path) -> None:
    with pytest.raises(SeedError, match="the file is empty"):
        load_seed(_write(tmp_path, ""))


def test_reading_the_seed_file_needs_no_database_layer() -> None:
    """The CLI and tests read the file before any database exists: its words come from
    portal.domain.vocabulary, never from the tables."""
    code = (
        "import sys; from portal.content.seed import load_seed; load_seed(); "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'piccolo', 'litestar'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"

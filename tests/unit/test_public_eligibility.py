"""The eligibility checker form: its three answers, its errors and the office's own rule."""

from datetime import date

from portal.domain.regions import OfficeRef
from portal.public.eligibility import EligibilityQuery, check
from portal.web.forms import parse


def office(slug: str, short_name: str, region_code: str, months: int) -> OfficeRef:
    return OfficeRef(
        id=len(region_code),
        slug=slug,
        name=f"Dispendukcapil {short_name}",
        short_name=short_name,
        region_code=region_code,
        nik_prefix=region_code.replace(".", ""),
        min_age_years=16,
        min_age_months=months,
    )


OFFICES = {
    "kota": office("kota", "Kota Mojokerto", "35.76", 8),
    "kabupaten": office("kabupaten", "Kabupaten Mojokerto", "35.16", 0),
}
TODAY = date(2026, 11, 25)


def read_form(params, offices, today):
    """The query string as the handler reads it, then the check."""
    return check(parse(EligibilityQuery, params), offices, today)


def form(**params):
    data = {k.replace("_", "-"): v for k, v in params.items()}
    return read_form(data, OFFICES, TODAY)


def born(d, m, y, **extra):
    return form(lahir_hari=str(d), lahir_bulan=str(m), lahir_tahun=str(y), **extra)


def test_blank_form_is_not_an_error():
    empty = form()
    assert not empty.submitted and not empty.errors and empty.result is None


def test_can_record_now_in_the_kabupaten_but_not_yet_in_the_kota():
    # 16 years 3 months old today.
    kab = born(25, 8, 2010, kawin="tidak", kantor="kabupaten")
    assert kab.result.status == "can"
    assert kab.result.mandatory_from == date(2027, 8, 25)
    kota = born(25, 8, 2010, kawin="tidak", kantor="kota")
    assert kota.result.status == "not_yet"
    assert kota.result.can_record_from == date(2027, 4, 25)
    assert "16 tahun 8 bulan" in kota.result.rule_applied
    assert "Kota Mojokerto" in kota.result.rule_applied


def test_must_have_a_ktp_from_17_or_when_married():
    adult = born(1, 1, 2000, kawin="tidak", kantor="kota")
    assert adult.result.status == "must"
    young_married = born(1, 1, 2011, kawin="ya", kantor="kota")
    assert young_married.result.status == "must"
    assert young_married.result.can_record_from == TODAY


def test_by_date_answers_for_election_day():
    result = born(
        25, 8, 2010, kawin="tidak", kantor="kota", pada_hari="27", pada_bulan="4", pada_tahun="2027"
    ).result
    assert result.status == "not_yet"
    assert result.by_date == date(2027, 4, 27) and result.by_date_status == "can"


def test_every_question_gets_its_own_message_and_input_is_kept():
    bad = form(lahir_hari="31", lahir_bulan="2", lahir_tahun="2009")
    assert bad.result is None
    assert bad.errors["lahir"] == "Tanggal lahir harus tanggal yang benar"
    assert bad.errors["kawin"].startswith("Pilih")
    assert bad.errors["kantor"].startswith("Pilih")
    assert bad.values["lahir-hari"] == "31"
    assert [anchor for anchor, _ in bad.summary] == ["lahir-hari", "kawin-tidak", "kantor"]


def test_missing_date_part_is_named_and_highlighted():
    bad = born("", 8, 2010, kawin="tidak", kantor="kota")
    assert bad.errors["lahir"] == "Tanggal lahir harus berisi tanggal"
    assert bad.invalid == {"lahir-hari"}
    assert bad.summary == [("lahir-hari", "Tanggal lahir harus berisi tanggal")]


def test_two_digit_year_points_at_the_year():
    bad = born(17, 8, 10, kawin="tidak", kantor="kota")
    assert "4 angka" in bad.errors["lahir"] and bad.invalid == {"lahir-tahun"}
    assert bad.summary[0][0] == "lahir-tahun"


def test_future_birth_date_and_past_target_date_are_refused():
    assert born(1, 1, 2030, kawin="tidak", kantor="kota").errors["lahir"].endswith("masa lalu")
    past = born(
        1, 1, 2009, kawin="tidak", kantor="kota", pada_hari="1", pada_bulan="1", pada_tahun="2020"
    )
    assert past.errors["pada"] == "Tanggal tujuan harus hari ini atau sesudahnya"
    assert past.result is None


def test_unknown_office_and_marriage_values_are_errors_not_crashes():
    bad = born(1, 1, 2009, kawin="mungkin", kantor="surabaya")
    assert set(bad.errors) == {"kawin", "kantor"}


def test_over_130_years_is_a_birth_date_error():
    params = {
        "lahir-hari": "1",
        "lahir-bulan": "1",
        "lahir-tahun": "1900",
        "kawin": "tidak",
        "kantor": "kota",
    }
    old = read_form(params, OFFICES, date(2031, 1, 2))
    assert "130" in old.errors["lahir"] and "lahir-tahun" in old.invalid


def test_month_names_are_accepted():
    assert born(25, "Agustus", 2010, kawin="tidak", kantor="kabupaten").result.status == "can"


def test_the_query_is_read_by_its_hyphenated_names_and_kept_short():
    query = parse(EligibilityQuery, {"lahir-hari": " 17 ", "pada-tahun": "2" * 300, "x": "y"})
    assert query.lahir_hari == "17" and query.lahir_bulan == ""
    values = query.values()
    assert values["lahir-hari"] == "17" and len(values["pada-tahun"]) == 40
    assert set(values) == {
        "lahir-hari",
        "lahir-bulan",
        "lahir-tahun",
        "kawin",
        "kantor",
        "pada-hari",
        "pada-bulan",
        "pada-tahun",
    }


def test_an_answer_names_the_office_whose_rule_it_used():
    assert OFFICES["kota"].min_age_text == "16 tahun 8 bulan"
    assert OFFICES["kabupaten"].min_age_text == "16 tahun"
    assert born(25, 8, 2010, kawin="tidak", kantor="kota").office is OFFICES["kota"]
    assert born(25, 8, 2010, kawin="mungkin", kantor="kota").office is None  # no answer yet

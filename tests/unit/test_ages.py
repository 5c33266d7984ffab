from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.rules.ages import (
    KOTA_MOJOKERTO_2024_RULE,
    NATIONAL_RULE,
    RecordingRule,
    add_months,
    add_years,
    age_on,
    check_eligibility,
)

MOJOKERTO = KOTA_MOJOKERTO_2024_RULE
ELECTION_DAY = date(2024, 11, 27)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2024, 1, 15), 1, date(2024, 2, 15)),
        (date(2024, 1, 15), 12, date(2025, 1, 15)),
        (date(2024, 11, 30), 2, date(2025, 1, 30)),
        (date(2024, 6, 30), 8, date(2025, 3, 1)),  # no 30 Feb: the day after 28 Feb
        (date(2023, 6, 30), 8, date(2024, 3, 1)),  # no 30 Feb in a leap year either
        (date(2024, 1, 31), 1, date(2024, 3, 1)),
        (date(2024, 1, 29), 1, date(2024, 2, 29)),
        (date(2023, 1, 29), 1, date(2023, 3, 1)),
        (date(2024, 3, 31), 1, date(2024, 5, 1)),
        (date(2024, 5, 31), 0, date(2024, 5, 31)),
        (date(2024, 3, 15), -3, date(2023, 12, 15)),
    ],
)
def test_add_months_rolls_over_instead_of_clamping(start, months, expected):
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("start", "years", "expected"),
    [
        (date(2008, 2, 29), 16, date(2024, 2, 29)),
        (date(2008, 2, 29), 17, date(2025, 3, 1)),
        (date(2008, 2, 29), 1, date(2009, 3, 1)),
        (date(2008, 2, 28), 1, date(2009, 2, 28)),
        (date(2008, 3, 1), 1, date(2009, 3, 1)),
        (date(2008, 8, 17), 17, date(2025, 8, 17)),
    ],
)
def test_add_years_29_february_becomes_1_march(start, years, expected):
    assert add_years(start, years) == expected


@pytest.mark.parametrize(
    ("birth", "on", "expected"),
    [
        (date(2008, 8, 17), date(2025, 8, 17), (17, 0)),  # birthday counts that day
        (date(2008, 8, 17), date(2025, 8, 16), (16, 11)),
        (date(2008, 8, 17), date(2025, 9, 16), (17, 0)),
        (date(2008, 8, 17), date(2025, 9, 17), (17, 1)),
        (date(2008, 8, 17), date(2008, 8, 17), (0, 0)),
        (date(2008, 2, 29), date(2025, 2, 28), (16, 11)),
        (date(2008, 2, 29), date(2025, 3, 1), (17, 0)),
        (date(2008, 2, 29), date(2024, 2, 29), (16, 0)),
        (date(2008, 1, 31), date(2008, 2, 29), (0, 0)),
        (date(2008, 1, 31), date(2008, 3, 1), (0, 1)),
        (date(2008, 1, 31), date(2008, 3, 30), (0, 1)),
        (date(2008, 1, 31), date(2008, 3, 31), (0, 2)),
    ],
)
def test_age_on(birth, on, expected):
    assert age_on(birth, on) == expected


def test_age_on_before_birth_is_an_error():
    with pytest.raises(ValueError):
        age_on(date(2008, 8, 17), date(2008, 8, 16))


@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2090, 12, 31)),
    st.integers(1, 12 * 130),
)
def test_age_and_add_months_agree(birth, months):
    # The anniversary is the first day the period counts as completed: not a day earlier.
    anniversary = add_months(birth, months)
    assert age_on(birth, anniversary) == divmod(months, 12)
    assert age_on(birth, anniversary - timedelta(days=1)) == divmod(months - 1, 12)


def test_rule_describe():
    assert NATIONAL_RULE.describe() == "16 tahun"
    assert MOJOKERTO.describe() == "16 tahun 8 bulan"
    assert RecordingRule(min_years=17).describe() == "17 tahun"


@pytest.mark.parametrize(
    "kwargs",
    [{"min_months": 12}, {"min_months": -1}, {"min_years": 17, "min_months": 1}, {"min_years": -1}],
)
def test_rule_rejects_nonsense(kwargs):
    with pytest.raises(ValueError):
        RecordingRule(**kwargs)


def test_16_years_8_months_rule_from_july_2024():
    # Kota Mojokerto, July 2024: born 27 March 2008 -> 16y8m on election day 27 Nov 2024.
    result = check_eligibility(
        date(2008, 3, 27),
        married=False,
        rule=MOJOKERTO,
        today=date(2024, 7, 24),
        by_date=ELECTION_DAY,
    )
    assert result.status == "not_yet"
    assert result.can_record_from == date(2024, 11, 27)
    assert result.mandatory_from == date(2025, 3, 27)
    assert result.rule_applied == "Usia minimal perekaman di Kota Mojokerto: 16 tahun 8 bulan"
    assert result.age == (16, 3)
    assert result.by_date == ELECTION_DAY
    assert result.by_date_status == "can"


def test_national_rule_sentence():
    result = check_eligibility(
        date(2008, 3, 27), married=False, rule=NATIONAL_RULE, today=date(2024, 7, 24)
    )
    assert result.status == "can"
    assert result.rule_applied == "Usia minimal perekaman KTP-el: 16 tahun"
    assert result.by_date is None
    assert result.by_date_status is None


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (date(2024, 8, 16), "not_yet"),  # the day before the 16th birthday
        (date(2024, 8, 17), "can"),  # 16th birthday counts that day
        (date(2025, 8, 16), "can"),  # the day before the 17th birthday
        (date(2025, 8, 17), "must"),  # 17th birthday counts that day
        (date(2040, 1, 1), "must"),
    ],
)
def test_status_around_birthdays(today, status):
    result = check_eligibility(date(2008, 8, 17), married=False, rule=NATIONAL_RULE, today=today)
    assert result.status == status
    assert result.can_record_from == date(2024, 8, 17)
    assert result.mandatory_from == date(2025, 8, 17)


def test_must_names_the_mandatory_rule():
    result = check_eligibility(
        date(2008, 8, 17), married=False, rule=MOJOKERTO, today=date(2025, 8, 17)
    )
    assert result.rule_applied.startswith("Wajib memiliki KTP-el mulai usia 17 tahun")


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (date(2024, 2, 28), "not_yet"),
        (date(2024, 2, 29), "can"),  # 16 in a leap year: on the day
        (date(2025, 2, 28), "can"),
        (date(2025, 3, 1), "must"),  # 17 in a common year: the day after 28 Feb
    ],
)
def test_29_february_birthday(today, status):
    result = check_eligibility(date(2008, 2, 29), married=False, rule=NATIONAL_RULE, today=today)
    assert result.status == status
    assert result.mandatory_from == date(2025, 3, 1)


def test_16_years_8_months_never_early_at_month_end():
    # 30 June + 16y8m: there is no 30 February, so recording opens on 1 March.
    result = check_eligibility(
        date(2008, 6, 30), married=False, rule=MOJOKERTO, today=date(2025, 2, 28)
    )
    assert result.status == "not_yet"
    assert result.can_record_from == date(2025, 3, 1)


def test_married_minor_must_record_now():
    result = check_eligibility(
        date(2010, 5, 1), married=True, rule=MOJOKERTO, today=date(2025, 1, 10), by_date=None
    )
    assert result.status == "must"
    assert result.mandatory_from is None
    assert result.can_record_from == date(2025, 1, 10)
    assert "kawin" in result.rule_applied
    assert result.age == (14, 8)


def test_married_adult_keeps_the_earlier_recording_date():
    result = check_eligibility(
        date(1990, 5, 1), married=True, rule=NATIONAL_RULE, today=date(2025, 1, 10)
    )
    assert result.status == "must"
    assert result.can_record_from == date(2006, 5, 1)


@pytest.mark.parametrize(
    ("by_date", "status"),
    [
        (date(2024, 11, 26), "not_yet"),
        (date(2024, 11, 27), "can"),
        (date(2025, 3, 27), "must"),
    ],
)
def test_by_date_status(by_date, status):
    result = check_eligibility(
        date(2008, 3, 27), married=False, rule=MOJOKERTO, today=date(2024, 7, 1), by_date=by_date
    )
    assert result.status == "not_yet"
    assert result.by_date_status == status


def test_will_you_be_17_by_election_day():
    result = check_eligibility(
        date(2007, 11, 27),
        married=False,
        rule=NATIONAL_RULE,
        today=date(2024, 7, 24),
        by_date=ELECTION_DAY,
    )
    assert (result.status, result.by_date_status) == ("can", "must")


def test_married_is_must_on_by_date_too():
    result = check_eligibility(
        date(2010, 1, 1),
        married=True,
        rule=NATIONAL_RULE,
        today=date(2024, 7, 1),
        by_date=ELECTION_DAY,
    )
    assert result.by_date_status == "must"


def test_born_today_is_allowed():
    result = check_eligibility(
        date(2025, 1, 10), married=False, rule=NATIONAL_RULE, today=date(2025, 1, 10)
    )
    assert result.status == "not_yet"
    assert result.age == (0, 0)


def test_future_birth_date_is_refused():
    with pytest.raises(ValueError, match="masa depan"):
        check_eligibility(
            date(2025, 1, 11), married=False, rule=NATIONAL_RULE, today=date(2025, 1, 10)
        )


def test_birth_date_more_than_130_years_ago_is_refused():
    today = date(2025, 1, 10)
    check_eligibility(date(1895, 1, 10), married=False, rule=NATIONAL_RULE, today=today)
    with pytest.raises(ValueError, match="130 tahun"):
        check_eligibility(date(1895, 1, 9), married=False, rule=NATIONAL_RULE, today=today)


def test_marriage_reason_only_below_the_mandatory_age():
    from portal.rules.ages import MARRIED_RULE, marriage_reason

    assert marriage_reason(15, married=True) == MARRIED_RULE
    assert marriage_reason(16, married=True, rule=MOJOKERTO) == MARRIED_RULE
    assert marriage_reason(17, married=True) == ""
    assert marriage_reason(15, married=False) == ""

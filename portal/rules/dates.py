"""Dates typed by people: GOV.UK "memorable date" parts, spreadsheet text, Indonesian names.

Error wording follows the GOV.UK Design System date-input pattern, translated: one message
at a time, naming the part(s) to highlight.
"""

from __future__ import annotations

import re
from datetime import date, time

from portal.rules.errors import RuleError

MONTHS_ID = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
WEEKDAYS_ID = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")

# Lower-case spellings per month. "Agt"/"Ags" both appear in Indonesian documents,
# "Pebruari"/"Nopember" are old spellings still seen on older documents, and the English
# names turn up in spreadsheets exported with an English locale.
_MONTH_SPELLINGS = (
    "januari jan january",
    "februari pebruari feb peb february",
    "maret mar march",
    "april apr",
    "mei may",
    "juni jun june",
    "juli jul july",
    "agustus agu ags agt aug august",
    "september sep sept",
    "oktober okt oct october",
    "november nopember nov nop",
    "desember des dec december",
)
_MONTH_ALIASES = {
    name: number for number, names in enumerate(_MONTH_SPELLINGS, start=1) for name in names.split()
}

PART_NAMES = {"day": "tanggal", "month": "bulan", "year": "tahun"}
EARLIEST_YEAR = 1900


class DateError(RuleError):
    """A date that cannot be read; ``parts``: which of day, month and year are wrong."""

    def __init__(self, message: str, parts: set[str]) -> None:
        super().__init__(message)
        self.parts = parts


def parse_month(text: str) -> int | None:
    """1-12 from "8", "08", "Agustus", "agu", "Ags." etc.; None when not a month."""
    cleaned = text.strip().rstrip(".").lower()
    if cleaned.isascii() and cleaned.isdigit():
        number = int(cleaned)
        return number if 1 <= number <= 12 else None
    return _MONTH_ALIASES.get(cleaned)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def parse_date_parts(
    day: str,
    month: str,
    year: str,
    *,
    field_label: str = "Tanggal lahir",
    today: date | None = None,
    allow_future: bool = False,
) -> date:
    raw = {"day": (day or "").strip(), "month": (month or "").strip(), "year": (year or "").strip()}
    missing = [part for part, value in raw.items() if not value]
    if len(missing) == 3:
        raise DateError(f"Masukkan {_lower_first(field_label)}", set(missing))
    if missing:
        names = " dan ".join(PART_NAMES[part] for part in missing)
        raise DateError(f"{field_label} harus berisi {names}", set(missing))

    real_date = f"{field_label} harus tanggal yang benar"
    day_number = int(raw["day"]) if raw["day"].isascii() and raw["day"].isdigit() else None
    month_number = parse_month(raw["month"])
    year_is_digits = raw["year"].isascii() and raw["year"].isdigit()
    wrong = set()
    if day_number is None or not 1 <= day_number <= 31:
        wrong.add("day")
    if month_number is None:
        wrong.add("month")
    if not year_is_digits:
        wrong.add("year")
    if wrong or day_number is None or month_number is None:
        raise DateError(real_date, wrong)
    if len(raw["year"]) != 4:
        raise DateError(f"{field_label} harus berisi tahun 4 angka, misalnya 2008", {"year"})
    try:
        result = date(int(raw["year"]), month_number, day_number)
    except ValueError:
        # 31 April or 29 Feb in a common year: the combination is wrong, not one box.
        raise DateError(real_date, {"day", "month", "year"}) from None
    if result.year < EARLIEST_YEAR:
        raise DateError(f"{field_label} harus tahun {EARLIEST_YEAR} atau sesudahnya", {"year"})
    if not allow_future and result > (today or date.today()):
        raise DateError(f"{field_label} harus di masa lalu", {"day", "month", "year"})
    return result


_DMY = re.compile(r"([0-9]{1,2})([-/.])([0-9]{1,2})\2([0-9]{4})")
# Spreadsheet exports of date cells often carry a midnight time ("2008-08-17 00:00:00").
_YMD = re.compile(
    r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?"
)
_D_MONTHNAME_Y = re.compile(r"([0-9]{1,2})[ -]+([A-Za-z]+\.?)[ -]+([0-9]{4})")


def parse_date_text(text: str) -> date:
    """A date typed in a spreadsheet cell: "17-08-2008", "17/08/2008", "17.08.2008",
    "2008-08-17" or "17 Agustus 2008". Always day first unless the year comes first; a
    two-digit year is refused because its century is a guess."""
    cleaned = " ".join((text or "").split())
    if not cleaned:
        raise DateError("Isi tanggal, misalnya 17-08-2008", {"day", "month", "year"})
    if m := _DMY.fullmatch(cleaned):
        parts = (m.group(4), m.group(3), m.group(1))
    elif m := _YMD.fullmatch(cleaned):
        parts = (m.group(1), m.group(2), m.group(3))
    elif m := _D_MONTHNAME_Y.fullmatch(cleaned):
        parts = (m.group(3), m.group(2), m.group(1))
    else:
        raise DateError(
            f'Tanggal "{cleaned}" tidak dikenali; tulis seperti 17-08-2008 atau 17 Agustus 2008',
            {"day", "month", "year"},
        )
    year, month_text, day = parts
    month = parse_month(month_text)
    try:
        if month is None:
            raise ValueError(month_text)
        result = date(int(year), month, int(day))
    except ValueError:
        raise DateError(f'"{cleaned}" bukan tanggal yang benar', {"day", "month", "year"}) from None
    if result.year < EARLIEST_YEAR:
        raise DateError(f'Tahun pada "{cleaned}" harus {EARLIEST_YEAR} atau sesudahnya', {"year"})
    return result


def format_date_id(d: date) -> str:
    return f"{d.day} {MONTHS_ID[d.month - 1]} {d.year}"


def format_weekday_id(d: date) -> str:
    return WEEKDAYS_ID[d.weekday()]


def format_short_date_id(d: date) -> str:
    """ "5 Nov 2026": for table cells."""
    return f"{d.day} {MONTHS_ID[d.month - 1][:3]} {d.year}"


def format_long_date_id(d: date) -> str:
    """ "Senin, 30 November 2026"."""
    return f"{format_weekday_id(d)}, {format_date_id(d)}"


def format_month_year_id(d: date) -> str:
    return f"{MONTHS_ID[d.month - 1]} {d.year}"


def format_clock(t: time) -> str:
    """Indonesian clock style: 08.00."""
    return f"{t.hour:02d}.{t.minute:02d}"


def format_time_span(starts: time, ends: time) -> str:
    """ "08.00–14.00 WIB"."""
    return f"{format_clock(starts)}–{format_clock(ends)} WIB"

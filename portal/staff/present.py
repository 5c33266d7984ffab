"""Formatting helpers handed to staff templates as ``h``: labels, dates, masks.

Passed in the render context rather than registered as Jinja filters so the staff area adds
nothing to the shared template environment.
"""

from __future__ import annotations

from datetime import date, datetime, time
from types import SimpleNamespace
from urllib.parse import urlencode

from portal.residents import vocabulary
from portal.rules.dates import MONTHS_ID, format_date_id, format_weekday_id
from portal.rules.nik import mask_nik
from portal.rules.phone import format_phone_national
from portal.settings import get_settings
from portal.tables.outreach import SESSION_KINDS

SESSION_KIND_LABELS = {
    "sekolah": "Sekolah",
    "kelurahan": "Kelurahan/desa",
    "kecamatan": "Kecamatan",
    "kunjungan_rumah": "Kunjungan rumah",
    "kantor": "Kantor",
}
assert set(SESSION_KIND_LABELS) == set(SESSION_KINDS)

STATUS_TONES = {
    "diterima": "",
    "diverifikasi": "ok",
    "perlu_perbaikan": "warn",
    "dijadwalkan": "ok",
    "sudah_rekam": "ok",
    "ditolak": "error",
    "duplikat": "error",
    "tidak_hadir": "warn",
}

EVENT_LABELS = {
    "status": "Status diubah",
    "assigned": "Diambil petugas",
    "released": "Dilepas petugas",
    "not_duplicate": "Dinyatakan bukan duplikat",
    "note": "Catatan ditambahkan",
}


def local(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.astimezone(get_settings().zone)


def fmt_date(value: date | datetime | None) -> str:
    if value is None:
        return "–"
    if isinstance(value, datetime):
        value = local(value).date()
    return format_date_id(value)


def fmt_short_date(value: date | datetime | None) -> str:
    """ "5 Nov 2026": for table cells."""
    if value is None:
        return "–"
    if isinstance(value, datetime):
        value = local(value).date()
    return f"{value.day} {MONTHS_ID[value.month - 1][:3]} {value.year}"


def fmt_datetime(value: datetime | None) -> str:
    if value is None:
        return "–"
    moment = local(value)
    return f"{format_date_id(moment.date())} {moment:%H.%M}"


def fmt_day(value: date | None) -> str:
    if value is None:
        return "–"
    return f"{format_weekday_id(value)}, {format_date_id(value)}"


def fmt_time(value: time | None) -> str:
    return "–" if value is None else f"{value:%H.%M}"


def fmt_phone(value: str | None) -> str:
    if not value:
        return "–"
    try:
        return format_phone_national(value)
    except ValueError:
        return value


def rt_rw(rt: str | None, rw: str | None) -> str:
    if not rt and not rw:
        return "–"
    return f"RT {rt or '–'}/RW {rw or '–'}"


def status_label(code: str) -> str:
    return vocabulary.STATUSES.get(code, code)


def category_label(code: str) -> str:
    return vocabulary.CATEGORIES.get(code, code)


def query(params: dict, **changes) -> str:
    """A query string from ``params`` with ``changes`` applied; empty values dropped."""
    merged = {**params, **changes}
    pairs = [(k, v) for k, v in merged.items() if v not in (None, "", [])]
    return "?" + urlencode(pairs) if pairs else ""


def fmt_number(value: int) -> str:
    """Thousands grouped the Indonesian way: 2.000."""
    return f"{value:,}".replace(",", ".")


def percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


h = SimpleNamespace(
    local=local,
    date=fmt_date,
    short_date=fmt_short_date,
    datetime=fmt_datetime,
    day=fmt_day,
    time=fmt_time,
    phone=fmt_phone,
    mask_nik=mask_nik,
    rt_rw=rt_rw,
    status=status_label,
    status_tone=STATUS_TONES,
    category=category_label,
    kind=SESSION_KIND_LABELS,
    events=EVENT_LABELS,
    query=query,
    percent=percent,
    number=fmt_number,
    home_visit=vocabulary.HOME_VISIT_CATEGORIES,
    vocabulary=vocabulary,
)

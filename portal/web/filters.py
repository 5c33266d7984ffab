"""How values read on a page, registered once as Jinja filters and globals.

Dates are Indonesian ("5 November 2026", "Senin, 5 November 2026", "5 Nov 2026"), times
"14.05", a moment "5 November 2026, 14.05 WIB" in the portal's time zone, numbers grouped
"2.000", file sizes "8,9 MB", NIKs masked, codes in words (``label``) with their tag colour
(``tone``). A missing value reads "–". Every template uses these; no area passes helpers of its own.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment

from portal.domain import vocabulary
from portal.ops.limits import size_text
from portal.rules.dates import (
    format_clock,
    format_date_id,
    format_long_date_id,
    format_month_year_id,
    format_short_date_id,
    format_time_span,
)
from portal.rules.nik import mask_nik
from portal.rules.phone import format_phone_national
from portal.settings import get_settings

NONE = "–"
_URL = re.compile(r"https?://[^\s;,]+[^\s;,.)]")
_BULLET = re.compile(r"^[-•]\s+")
_NUMBERED = re.compile(r"^\d+[.)]\s+")


def local(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.astimezone(get_settings().zone)


def _day(value: date | datetime | None) -> date | None:
    if isinstance(value, datetime):
        return local(value).date()  # type: ignore[union-attr]
    return value


def date_text(value: date | datetime | None) -> str:
    day = _day(value)
    return NONE if day is None else format_date_id(day)


def short_date(value: date | datetime | None) -> str:
    day = _day(value)
    return NONE if day is None else format_short_date_id(day)


def long_date(value: date | datetime | None) -> str:
    day = _day(value)
    return NONE if day is None else format_long_date_id(day)


def month_year(value: date | None) -> str:
    return NONE if value is None else format_month_year_id(value)


def clock(value: time | None) -> str:
    return NONE if value is None else format_clock(value)


def time_span(starts: time, ends: time) -> str:
    return format_time_span(starts, ends)


def zone_name() -> str:
    settings = get_settings()
    if settings.time_zone == "Asia/Jakarta":
        return "WIB"
    return datetime.now(settings.zone).tzname() or settings.time_zone


def moment(value: datetime | None) -> str:
    """ "25 November 2026, 14.05 WIB"."""
    when = local(value)
    if when is None:
        return NONE
    return f"{format_date_id(when.date())}, {format_clock(when.time())} {zone_name()}"


def number(value: int | None) -> str:
    """Thousands grouped the Indonesian way: 2.000."""
    return NONE if value is None else f"{value:,}".replace(",", ".")


def percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def phone(value: str | None) -> str:
    if not value:
        return NONE
    try:
        return format_phone_national(value)
    except ValueError:
        return value


def rt_rw(rt: str | None, rw: str | None) -> str:
    if not rt and not rw:
        return NONE
    return f"RT {rt or NONE}/RW {rw or NONE}"


def area(row: Mapping[str, Any]) -> str:
    """A coordinator's area from a row holding scope_rt, scope_rw, village_name and
    kecamatan_name: "RT 03 / RW 02, Surodinawan, Kec. Prajurit Kulon" (missing parts are
    left out; nothing at all: "–")."""
    parts = []
    if row.get("scope_rt"):
        parts.append(f"RT {row['scope_rt']} / RW {row.get('scope_rw') or NONE}")
    elif row.get("scope_rw"):
        parts.append(f"RW {row['scope_rw']}")
    if row.get("village_name"):
        parts.append(row["village_name"])
    if row.get("kecamatan_name"):
        parts.append(f"Kec. {row['kecamatan_name']}")
    return ", ".join(parts) or NONE


def label(code: Any, family: str) -> str:
    """``{{ r.status|label("status") }}`` → "Perlu perbaikan"."""
    return vocabulary.label(family, code)


def tone(code: Any, family: str = "status") -> str:
    """``{{ r.status|tone }}`` → "warn"; another family by its name:
    ``{{ c.state|tone("card_state") }}``."""
    return vocabulary.tone(family, code)


def query(params: dict[str, Any], **changes: Any) -> str:
    """A query string from ``params`` with ``changes`` applied; empty values dropped."""
    merged = {**params, **changes}
    pairs = [(k, v) for k, v in merged.items() if v not in (None, "", [])]
    return "?" + urlencode(pairs, doseq=True) if pairs else ""


@dataclass(frozen=True, slots=True)
class Block:
    kind: str  # p | ul | ol
    items: tuple[str, ...]


def text_blocks(body: str) -> list[Block]:
    """Staff-written plain text as paragraphs and lists: lines starting with "- " form a
    bulleted list, "1. " a numbered one, any other line is a paragraph."""
    blocks: list[Block] = []
    for raw in (body or "").splitlines():
        line = raw.strip()
        if not line:
            continue
        if _BULLET.match(line):
            kind, text = "ul", _BULLET.sub("", line)
        elif _NUMBERED.match(line):
            kind, text = "ol", _NUMBERED.sub("", line)
        else:
            blocks.append(Block("p", (line,)))
            continue
        if blocks and blocks[-1].kind == kind:
            blocks[-1] = Block(kind, (*blocks[-1].items, text))
        else:
            blocks.append(Block(kind, (text,)))
    return blocks


def link_parts(text: str) -> list[tuple[str, str]]:
    """Split a source line into ("text", …) and ("url", …) parts so URLs become links."""
    parts: list[tuple[str, str]] = []
    position = 0
    for match in _URL.finditer(text or ""):
        if match.start() > position:
            parts.append(("text", text[position : match.start()]))
        parts.append(("url", match.group(0)))
        position = match.end()
    if position < len(text or ""):
        parts.append(("text", text[position:]))
    return parts


FILTERS = {
    "date": date_text,
    "short_date": short_date,
    "long_date": long_date,
    "month_year": month_year,
    "clock": clock,
    "moment": moment,
    "number": number,
    "size": size_text,
    "phone": phone,
    "mask_nik": mask_nik,
    "label": label,
    "tone": tone,
    "text_blocks": text_blocks,
    "link_parts": link_parts,
    "area": area,
}
GLOBALS = {
    "time_span": time_span,
    "rt_rw": rt_rw,
    "percent": percent,
    "query": query,
    "vocabulary": vocabulary,
}


def register(env: Environment) -> None:
    env.filters.update(FILTERS)
    env.globals.update(GLOBALS)

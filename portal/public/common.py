"""What every public page handler shares: local time, text helpers for templates, render."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from litestar import Request, Response

from portal.public.hours import clock
from portal.rules.dates import MONTHS_ID, format_date_id, format_weekday_id
from portal.settings import get_settings
from portal.web.render import render

_URL = re.compile(r"https?://[^\s;,]+[^\s;,.)]")
_BULLET = re.compile(r"^[-•]\s+")
_NUMBERED = re.compile(r"^\d+[.)]\s+")


def long_date(d: date) -> str:
    """ "Senin, 30 November 2026"."""
    return f"{format_weekday_id(d)}, {format_date_id(d)}"


def time_span(starts: time, ends: time) -> str:
    return f"{clock(starts)}–{clock(ends)} WIB"


def moment(value: datetime | None) -> str:
    """An aware timestamp in local time: "25 November 2026, 14.05 WIB"."""
    if value is None:
        return ""
    local = value.astimezone(get_settings().zone)
    return f"{format_date_id(local.date())}, {clock(local.time())} WIB"


def month_year(d: date) -> str:
    return f"{MONTHS_ID[d.month - 1]} {d.year}"


def number(value: int) -> str:
    """Indonesian thousands separator: 870.399."""
    return f"{value:,}".replace(",", ".")


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


HELPERS: dict[str, Any] = {
    "tanggal": format_date_id,
    "hari_tanggal": long_date,
    "jam": clock,
    "rentang_jam": time_span,
    "waktu": moment,
    "angka": number,
    "blok_teks": text_blocks,
    "bagian_tautan": link_parts,
}


def page(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    block: str = "main",
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    return render(
        request,
        template,
        {**HELPERS, **(context or {})},
        block=block,
        status_code=status_code,
        headers=headers,
    )

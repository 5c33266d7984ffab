"""CSV and XLSX files of the queue and of session rosters, each written to the audit log
with the ids of the residents whose full NIK it discloses.

Spreadsheet programs run a cell that starts with = + - @ (or a tab/CR that hides one) as a
formula, so a resident named "=HYPERLINK(…)" could attack whoever opens the export. CSV cells
that start so get a leading apostrophe; XLSX cells are always written as strings, never
parsed. NIKs and phone numbers stay text (a 16-digit NIK as a number loses its last digits).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import xlsxwriter

from portal.domain import audit, vocabulary
from portal.domain.regions import region_tree
from portal.domain.scope import Scope
from portal.domain.transactions import write_transaction
from portal.settings import get_settings
from portal.staff import queue
from portal.staff.scheduling import PERSON_COLUMNS, WARNING_COLUMNS, roster, session_in_scope
from portal.tables.residents import Resident

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, int | float):
        return str(value)
    return neutralise(str(value))


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens Indonesian names correctly."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(
    headers: Sequence[str], rows: Iterable[Sequence[Any]], *, sheet: str, title: str = ""
) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(
        out,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    bold = book.add_format({"bold": True})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    moment = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    ws = book.add_worksheet(sheet[:31])
    top = 0
    if title:
        ws.write_string(0, 0, title, bold)
        top = 2
    for col, header in enumerate(headers):
        ws.write_string(top, col, header, bold)
    widths = [len(h) for h in headers]
    for r, row in enumerate(rows, start=top + 1):
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, bool):
                ws.write_string(r, c, "ya" if value else "tidak")
            elif isinstance(value, datetime):
                ws.write_datetime(r, c, value.replace(tzinfo=None), moment)
            elif isinstance(value, date):
                ws.write_datetime(r, c, datetime(value.year, value.month, value.day), day)
            elif isinstance(value, int | float):
                ws.write_number(r, c, value)
            else:
                text = str(value)
                ws.write_string(r, c, text)
                widths[c] = max(widths[c], min(len(text), 50))
    for c, width in enumerate(widths):
        ws.set_column(c, c, width + 2)
    ws.freeze_panes(top + 1, 0)
    book.close()
    return out.getvalue()


CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Export:
    filename: str
    media_type: str
    body: bytes


def _sheet(
    name: str, fmt: str, headers: Sequence[str], rows: list[list], *, sheet: str, title: str = ""
) -> Export:
    if fmt == "csv":
        return Export(f"{name}.csv", CSV_TYPE, csv_bytes(headers, rows))
    return Export(f"{name}.xlsx", XLSX_TYPE, xlsx_bytes(headers, rows, sheet=sheet, title=title))


async def _disclosed(
    access: Scope, rows: list[dict], fmt: str, filters: dict, **entry: Any
) -> None:
    """The audit line of an export: every full NIK it holds, by resident id. The rows are
    read before (SQLite's write lock is not held for the reading); no file is handed out
    unless this line is written."""
    ids = (r["id"] for r in rows if r["nik"])
    detail = audit.nik_access_detail(ids, format=fmt, filters=filters, rows=len(rows))
    async with write_transaction():
        await audit.record(access.actor, "export", detail=detail, **entry)


# --- One person, the same in every export ------------------------------------------------------

# Who and where: also the first columns of the office list's reports (office_reports).
IDENTITY_HEADERS = (
    "Nama",
    "NIK",
    "Tanggal lahir",
    "Jenis kelamin",
    "Alamat",
    "RT",
    "RW",
    "Kelurahan/desa",
    "Kecamatan",
)
PERSON_HEADERS = (*IDENTITY_HEADERS, "Telepon", "Kategori", "Status")


def identity_cells(r: dict) -> list:
    """The cells under IDENTITY_HEADERS (rows with village_name and kecamatan_name)."""
    return [
        r["full_name"],
        r["nik"] or "",
        r["birth_date"],
        r["sex"] or "",
        r["address"],
        r["rt"] or "",
        r["rw"] or "",
        r["village_name"],
        r["kecamatan_name"],
    ]


def person_cells(r: dict) -> list:
    """The cells under PERSON_HEADERS; rows hold ``scheduling.PERSON_COLUMNS``."""
    return [
        *identity_cells(r),
        r["phone"] or "",
        vocabulary.label("category", r["category"]),
        vocabulary.label("status", r["status"]),
    ]


# --- The queue ---------------------------------------------------------------------------------

QUEUE_HEADERS = (
    "ID",
    *PERSON_HEADERS,
    "Keterangan status",
    "Peringatan",
    # Beside the warnings: it is why a minor carries no "Belum cukup umur".
    "Sudah/pernah kawin",
    "Dikirim",
    "Koordinator",
    "Sesi",
    "Tanggal sesi",
    "Tanggal rekam",
    "Tempat rekam",
)
QUEUE_COLUMNS = (
    *PERSON_COLUMNS,
    *WARNING_COLUMNS,
    Resident.status_reason,
    Resident.submitted_at,
    Resident.resident_list._.coordinator._.full_name.as_alias("coordinator_name"),
    Resident.outreach_session._.title.as_alias("session_title"),
    Resident.outreach_session._.day.as_alias("session_day"),
    Resident.recorded_on,
    Resident.recorded_place,
)


def queue_row(r: dict) -> list:
    warnings = ", ".join(label for flag, label in vocabulary.WARNING_FLAGS.items() if r.get(flag))
    sent = r["submitted_at"] and r["submitted_at"].astimezone(get_settings().zone)
    return [
        r["id"],
        *person_cells(r),
        r["status_reason"],
        warnings,
        bool(r["married"]),
        sent,
        r["coordinator_name"] or "",
        r["session_title"] or "",
        r["session_day"],
        r["recorded_on"],
        r["recorded_place"] or "",
    ]


async def queue_export(access: Scope, f: queue.QueueFilter, fmt: str, today: date) -> Export:
    """Every resident the queue filter matches, full NIK included, audited."""
    regions = await region_tree(access.listing_ids)
    rows = await queue.all_matching(f, access, regions, QUEUE_COLUMNS)
    office_id = access.current.id if access.current else None
    await _disclosed(access, rows, fmt, f.active(), office_id=office_id, object_type="queue")
    body = [queue_row(r) for r in rows]
    return _sheet(f"antrian-{today.isoformat()}", fmt, QUEUE_HEADERS, body, sheet="Antrian")


# --- A session's roster ------------------------------------------------------------------------

# Sudah/pernah kawin was added last but one: columns before it keep their places in sheets
# people already use.
ROSTER_HEADERS = ("No", *PERSON_HEADERS, "Sudah/pernah kawin", "Hadir (centang)")


async def roster_export(access: Scope, session_id: int, fmt: str) -> Export:
    """The attendance list of one session for the field team, full NIK included, audited."""
    session = await session_in_scope(access, session_id)
    people = await roster(session_id)
    await _disclosed(
        access,
        people,
        fmt,
        {"session": session_id},
        office_id=session["office"],
        object_type="outreach_session",
        object_id=session_id,
    )
    day = session["day"].isoformat()
    return _sheet(
        f"daftar-hadir-{day}-{session_id}",
        fmt,
        ROSTER_HEADERS,
        [[i, *person_cells(p), bool(p["married"]), ""] for i, p in enumerate(people, start=1)],
        sheet="Daftar hadir",
        title=f"{session['title']} · {session['place']} · {day}",
    )

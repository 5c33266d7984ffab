"""The office export as a file: the limits (``office_rules``), the checks the upload
request makes before storing it (type, size, the XLSX container, the CSV header), and the
rows read back from the stored bytes by the job, streamed, never a whole sheet in memory.

The file-safety rules are ``portal.rules.tablefiles``'s, with office-sized limits; what a
column means is ``portal.rules.office_rows``'s.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from portal.domain.errors import Invalid
from portal.rules import office_rows, tablefiles
from portal.rules.tablefiles import TableFileError, TableRules
from portal.settings import get_settings

PART_BYTES = 1024 * 1024  # one office_upload_part row
# The XLSX of a 200,000-row export unpacks to well under this; a bomb far over it.
XLSX_MAX_UNPACKED = 200 * 1024 * 1024
_DIMENSION = re.compile(rb'<dimension ref="[A-Z]+[0-9]+:[A-Z]+([0-9]+)"')
# (row number as the spreadsheet shows it, cells, indexes of cells that held a number)
FileRow = tuple[int, list[str], set[int]]


def office_rules() -> TableRules:
    """The limits of an office export (docs/drive.md §6.2): PORTAL_MAX_IMPORT_BYTES,
    200,000 rows, 30 columns, an unpacked XLSX of at most 200 MB."""
    return TableRules(
        subject="data belum rekam dari kantor",
        item="penduduk",
        max_bytes=get_settings().max_import_bytes,
        max_rows=office_rows.MAX_ROWS,
        max_columns=30,
        max_unpacked=XLSX_MAX_UNPACKED,
        template=True,
    )


@dataclass
class Received:
    """An upload read in parts: what is stored, and what the audit line says of it."""

    parts: list[bytes]
    size: int
    sha256: str
    source: str  # csv | xlsx
    lines: int  # newline count (CSV: the row estimate)


def source_of(filename: str) -> str:
    name = (filename or "").lower().strip()
    if name.endswith(".xlsx"):
        return "xlsx"
    if name.endswith((".csv", ".txt")):
        return "csv"
    if name.endswith(".xls"):
        raise Invalid(
            {"berkas": "File .xls (Excel lama) belum bisa dibaca. Simpan ulang sebagai .xlsx."}
        )
    raise Invalid({"berkas": "Unggah file .csv atau .xlsx."})


def receive(filename: str, file: BinaryIO, size: int, rules: TableRules) -> Received:
    """Read the upload in 1 MiB parts, hashing and counting lines; refuse what is too big
    (by its declared size first, then by what arrives) or empty."""
    source = source_of(filename)
    too_big = Invalid({"berkas": f"File terlalu besar: paling banyak {rules.size_text}."})
    if size > rules.max_bytes:
        raise too_big
    digest, parts, total, lines = hashlib.sha256(), [], 0, 0
    file.seek(0)
    while part := file.read(PART_BYTES):
        total += len(part)
        if total > rules.max_bytes:
            raise too_big
        digest.update(part)
        lines += part.count(b"\n")
        parts.append(part)
    if not total or not any(p.strip() for p in parts):
        raise Invalid({"berkas": f"File kosong. Pilih file yang berisi {rules.subject}."})
    return Received(parts, total, digest.hexdigest(), source, lines)


def check(received: Received, rules: TableRules) -> int:
    """Check the file as a whole without reading its rows; → the rows estimated.
    Invalid({"berkas": …}) with the reason."""
    try:
        estimate = (
            _check_xlsx(received, rules)
            if received.source == "xlsx"
            else _check_csv(received, rules)
        )
    except (TableFileError, office_rows.OfficeFileError) as exc:
        raise Invalid({"berkas": exc.message}) from None
    if estimate > rules.max_rows:
        raise Invalid({"berkas": rules.too_many_rows(estimate).message})
    return estimate


def _check_csv(received: Received, rules: TableRules) -> int:
    """The bytes are text and the first line is a header naming the columns needed."""
    head = received.parts[0][: 64 * 1024]
    if received.size > len(head) and b"\n" in head:
        head = head[: head.rindex(b"\n")]  # never cut a character in two
    text = tablefiles.decode_text(head, rules)
    first = next(iter(_csv_rows(text, rules)), None)
    if first is None:
        raise rules.no_rows()
    office_rows.read_header(first[1])
    ends_open = not received.parts[-1].endswith(b"\n")
    return max(received.lines - 1 + (1 if ends_open else 0), 0)


def _check_xlsx(received: Received, rules: TableRules) -> int:
    """The container is a sane workbook (no bomb, not encrypted); the rows estimated from
    the first sheet's dimension."""
    data = b"".join(received.parts)
    tablefiles.check_xlsx_container(data, rules)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = sorted(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))
        if not sheets:
            raise TableFileError("File XLSX ini tidak berisi lembar kerja.")
        with archive.open(sheets[0]) as sheet:
            found = _DIMENSION.search(sheet.read(4096))
    return max(int(found.group(1)) - 1, 0) if found else 0


# ---------------------------------------------------------------- reading rows back


def _csv_rows(text: str, rules: TableRules) -> Iterator[FileRow]:
    lines = [line for line in text[:65536].split("\n", 51)[:50] if line.strip()]
    delimiter = tablefiles.guess_delimiter(lines) or ","
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter)
    start = 1
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                yield start, cells[: rules.max_columns], set()
            start = reader.line_num + 1
    except csv.Error:
        raise TableFileError(
            'File CSV tidak bisa dibaca sebagai tabel: periksa tanda kutip (") yang tidak '
            f"ditutup sekitar baris {start}."
        ) from None


def file_rows(source: str, data: bytes, rules: TableRules) -> Iterator[FileRow]:
    """The non-empty rows of the stored file, header first, in file order. Raises
    ``TableFileError`` for a file that cannot be read (checked again: the job trusts no
    earlier request)."""
    if source == "xlsx":
        return tablefiles.stream_xlsx(data, rules)
    return _csv_rows(tablefiles.decode_text(data, rules), rules)

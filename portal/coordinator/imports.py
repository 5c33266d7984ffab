"""Rows pasted from a spreadsheet or WhatsApp, or uploaded as CSV/XLSX → raw resident fields.

The file-safety rules and limits are ``portal.rules.tablefiles``'s; here is what the
columns of a resident list mean: headers and their many spellings, and without a header
what each cell most likely holds. Every row then goes through ``check_resident`` like a
row typed into the form. Anything wrong with the input as a whole raises
``ImportFileError`` with a message for the coordinator.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from portal.coordinator.resident_fields import is_marital_status, parse_category
from portal.rules import tablefiles
from portal.rules.dates import DateError, parse_date_text
from portal.rules.names import is_degrees
from portal.rules.nik import NIK_LENGTH, clean_nik, is_ascii_digits
from portal.rules.people import parse_sex
from portal.rules.tablefiles import TableFileError, TableRules

RULES = TableRules(subject="daftar warga", item="warga", sheet="Data warga", template=True)
MAX_ROWS = RULES.max_rows
MAX_BYTES = RULES.max_bytes
ImportFileError = TableFileError

TEMPLATE_HEADERS = (
    ("full_name", "Nama lengkap"),
    ("nik", "NIK"),
    ("dob", "Tanggal lahir (DD-MM-YYYY)"),
    ("sex", "Jenis kelamin (L/P)"),
    ("address", "Alamat"),
    ("rt", "RT"),
    ("rw", "RW"),
    ("phone", "No. HP"),
    ("category", "Kategori"),
    ("note", "Catatan"),
    ("guardian_consent", "Persetujuan orang tua/wali (ya/tidak)"),
    ("married", "Status kawin (Belum kawin/Kawin/Cerai)"),
)
FIELD_LABELS = dict(TEMPLATE_HEADERS) | {"dob": "Tanggal lahir", "married": "Status kawin"}

_HEADER_ALIASES = {
    "full_name": (
        "nama",
        "nama lengkap",
        "nama warga",
        "nama penduduk",
        "nama sesuai kk",
        "nama sesuai ktp",
        "name",
    ),
    "nik": ("nik", "no nik", "nomor nik", "nik ktp", "nomor induk kependudukan"),
    "dob": ("tanggal lahir", "tgl lahir", "tgl lhr", "tanggal lhr", "lahir", "dob"),
    "ttl": ("ttl", "tempat tanggal lahir", "tempat/tanggal lahir", "tempat, tanggal lahir"),
    "sex": ("jenis kelamin", "jk", "l/p", "kelamin", "gender", "sex"),
    "address": ("alamat", "alamat lengkap", "alamat rumah", "jalan", "dusun", "alamat jalan"),
    "rt": ("rt",),
    "rw": ("rw",),
    "rt_rw": ("rt/rw", "rt rw", "rt-rw"),
    "phone": (
        "no hp",
        "nomor hp",
        "hp",
        "no telp",
        "no telepon",
        "telepon",
        "telp",
        "wa",
        "no wa",
        "nomor wa",
        "whatsapp",
        "no whatsapp",
        "nomor whatsapp",
        "handphone",
        "no handphone",
    ),
    "category": ("kategori", "golongan", "kelompok"),
    "note": ("catatan", "keterangan", "ket", "catatan lain"),
    "guardian_consent": (
        "persetujuan orang tua/wali",
        "persetujuan wali",
        "persetujuan orang tua",
        "persetujuan ortu",
        "izin orang tua",
        "izin wali",
        "setuju wali",
        "wali setuju",
    ),
    "married": (
        "status kawin",
        "kawin",
        "status perkawinan",
        "perkawinan",
        "status nikah",
        "status pernikahan",
        "menikah",
        "sudah menikah",
        "sudah kawin",
        "sudah/pernah kawin",
        "sudah kawin/pernah kawin",
        "sudah kawin atau pernah kawin",
        "pernah kawin",
    ),
    "ignore": ("no", "nomor", "no urut", "nomor urut", "#", "urut"),
}
_HEADERS = {alias: name for name, aliases in _HEADER_ALIASES.items() for alias in aliases}
_PAREN = re.compile(r"\([^)]*\)")
_PHONE = re.compile(r"^(?:\+?62|0)[0-9 ()\-.]{8,16}$")
_RT_RW_PAIR = re.compile(r"^(?:rt\s*)?0*([0-9]{1,3})\s*/\s*(?:rw\s*)?0*([0-9]{1,3})$", re.I)
_SMALL_NUMBER = re.compile(r"^0*[0-9]{1,3}$")
_LABELLED = re.compile(r"^(rt|rw)\s*\.?\s*:?\s*0*([0-9]{1,3})$", re.I)
_DATE_INSIDE = re.compile(
    r"([0-9]{1,2}[-/.][0-9]{1,2}[-/.][0-9]{4}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
    r"|[0-9]{1,2}[ -]+[A-Za-z]+\.?[ -]+[0-9]{4})"
)
_CONSENT_WORDS = ("ya", "tidak", "setuju", "belum setuju")


@dataclass
class ParsedRow:
    n: int  # line (paste, CSV) or row (XLSX) number as the coordinator sees it
    fields: dict[str, str]
    # Field names whose spreadsheet cell held a number (an Excel-mangled NIK, for one).
    numeric: list[str] = field(default_factory=list)


@dataclass
class ParsedRows:
    rows: list[ParsedRow]
    header_detected: bool
    columns: list[str]  # the field each column was read as ("" = ignored)


def _normal_header(text: str) -> str:
    text = _PAREN.sub(" ", str(text).lower()).replace("_", " ").replace(".", " ")
    return " ".join(text.strip(" :*").split())


def header_field(text: str) -> str | None:
    """The field a header cell names, "ignore" for a row-number column, else None."""
    normal = _normal_header(text)
    if normal in _HEADERS:
        return _HEADERS[normal]
    return _HEADERS.get(normal.replace(" ", ""))


def describe_columns(columns: Iterable[str]) -> list[str]:
    return [FIELD_LABELS.get(c, "") if c else "" for c in columns]


# ---------------------------------------------------------------- cell classification


def _is_nik(cell: str) -> bool:
    digits = clean_nik(cell)
    return len(digits) == NIK_LENGTH and is_ascii_digits(digits)


def _is_date(cell: str) -> bool:
    if not any(ch.isdigit() for ch in cell) or len(cell) > 40:
        return False
    try:
        parse_date_text(cell)
    except DateError:
        return False
    return True


def classify(cell: str) -> str:
    """What a cell of a headerless row most likely holds."""
    text = cell.strip()
    if not text:
        return "empty"
    if _is_nik(text):
        return "nik"
    if _is_date(text):
        return "dob"
    if _RT_RW_PAIR.match(text):
        return "rt_rw"
    if m := _LABELLED.match(text):
        return m.group(1).lower()
    if _SMALL_NUMBER.match(text):
        return "number"
    if _PHONE.match(text) and 9 <= sum(ch.isdigit() for ch in text) <= 14:
        return "phone"
    if len(text) <= 12 and parse_sex(text):
        return "sex"
    if parse_category(text):
        return "category"
    if text.lower() in _CONSENT_WORDS:
        return "consent"
    if is_marital_status(text):
        return "married"
    return "text"


_SINGLE = {
    "nik": "nik",
    "dob": "dob",
    "rt_rw": "rt_rw",
    "rt": "rt",
    "rw": "rw",
    "phone": "phone",
    "sex": "sex",
    "category": "category",
    "consent": "guardian_consent",
    "married": "married",
}


def assign_columns(types: list[str]) -> list[str]:
    """Kinds of cells in column order → the field each column is read as. Text columns are
    the name, then the address, then notes; bare small numbers are RT, then RW (the order
    Indonesians write them)."""
    columns: list[str] = []
    used: set[str] = set()
    texts = iter(("full_name", "address"))
    for kind in types:
        target = ""
        if kind in _SINGLE and _SINGLE[kind] not in used:
            target = _SINGLE[kind]
        elif kind == "number":
            target = next((n for n in ("rt", "rw") if n not in used), "")
        elif kind == "text":
            target = next(texts, "note")
        if target and target != "note":
            used.add(target)
            if target == "rt_rw":
                used.update(("rt", "rw"))
        columns.append(target)
    return columns


def _column_kind(cells: list[str]) -> str:
    kinds = Counter(k for k in (classify(c) for c in cells) if k != "empty")
    if not kinds:
        return "empty"
    return kinds.most_common(1)[0][0]


def _put(fields: dict[str, str], target: str, value: str) -> None:
    """One cell's value into the row's fields, split or cleaned as its column says."""
    if target == "rt_rw":
        if m := _RT_RW_PAIR.match(value):
            fields.setdefault("rt", m.group(1))
            fields.setdefault("rw", m.group(2))
        else:
            fields["rt"] = value
    elif target in ("ttl", "dob"):
        found = None if _is_date(value) else _DATE_INSIDE.search(value)
        fields["dob"] = found.group(1) if found else value
    elif target in ("rt", "rw") and (m := _LABELLED.match(value)):
        fields[m.group(1).lower()] = m.group(2)
    elif target == "note" and fields.get("note"):
        fields["note"] += "; " + value
    else:
        fields[target] = value


def _row_fields(cells: list[str], columns: list[str]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for index, target in enumerate(columns):
        if index >= len(cells) or not target or target == "ignore":
            continue
        if value := cells[index].strip():
            _put(fields, target, value)
    return fields


# ---------------------------------------------------------------- tables of cells


def _header_columns(first: list[str]) -> list[str] | None:
    """The fields a first row names when it is a header row, else None."""
    known = [header_field(c) for c in first if c]
    named = [k for k in known if k is not None]
    looks_like_data = any(classify(c) in ("nik", "dob") for c in first)
    if not named or looks_like_data or len(named) * 2 < len(known):
        return None
    columns = [(header_field(c) or "") if c else "" for c in first]
    if "full_name" not in columns:
        raise ImportFileError(
            'Baris judul tidak memuat kolom "Nama lengkap". Pakai templat yang disediakan '
            "atau beri judul kolom Nama."
        )
    return columns


def _content_columns(table: list[tuple[int, list[str]]]) -> list[str]:
    """Without a header: when every row has as many cells, each column is what most of
    its cells hold; otherwise each row is read by itself ([])."""
    widths = {len(cells) for _, cells in table}
    if len(widths) != 1:
        return []
    width = widths.pop()
    return assign_columns([_column_kind([cells[i] for _, cells in table]) for i in range(width)])


def rows_to_fields(
    table: list[tuple[int, list[str]]], numeric_cells: dict[int, set[int]] | None = None
) -> ParsedRows:
    """Numbered rows of cells → field dicts, detecting a header row and, without one,
    what each column holds."""
    table = [(n, [c.strip() for c in cells]) for n, cells in table if any(c.strip() for c in cells)]
    if not table:
        raise RULES.no_rows()
    header = _header_columns(table[0][1])
    if header is not None:
        table = table[1:]
    if len(table) > MAX_ROWS:
        raise RULES.too_many_rows(len(table))
    if not table:
        raise ImportFileError("Hanya ada baris judul, belum ada baris data warga.")
    columns = header if header is not None else _content_columns(table)
    rows: list[ParsedRow] = []
    for n, cells in table:
        row_columns = columns or assign_columns([classify(c) for c in cells])
        numbers = (numeric_cells or {}).get(n, set())
        numeric = [target for i, target in enumerate(row_columns) if i in numbers and target]
        rows.append(ParsedRow(n=n, fields=_row_fields(cells, row_columns), numeric=numeric))
    return ParsedRows(rows=rows, header_detected=header is not None, columns=columns)


# ---------------------------------------------------------------- text and files


def _rejoin_degrees(cells: list[str]) -> list[str]:
    """Comma-separated rows split "Budi Santoso, S.Pd." into two cells; a cell that is only
    degrees goes back onto the cell before it, so the degree is not read as an address."""
    joined: list[str] = []
    for cell in cells:
        if joined and joined[-1].strip() and is_degrees(cell):
            joined[-1] = f"{joined[-1]},{cell}"
        else:
            joined.append(cell)
    return joined


def parse_text(text: str) -> ParsedRows:
    """Pasted text or a decoded CSV: tab-, semicolon- or comma-separated, header optional."""
    return rows_to_fields(tablefiles.split_text(text, RULES, mend=_rejoin_degrees).rows)


def decode_text(data: bytes) -> str:
    return tablefiles.decode_text(data, RULES)


def parse_csv(data: bytes) -> ParsedRows:
    return parse_text(decode_text(data))


def parse_xlsx(data: bytes) -> ParsedRows:
    table = tablefiles.read_xlsx(data, RULES)
    return rows_to_fields(table.rows, table.numeric)


def parse_upload(filename: str, data: bytes) -> tuple[str, ParsedRows]:
    """("csv" or "xlsx", the rows): by extension, after checking the bytes agree."""
    kind, table = tablefiles.read_upload(filename, data, RULES, mend=_rejoin_degrees)
    return kind, rows_to_fields(table.rows, table.numeric)

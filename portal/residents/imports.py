"""Rows pasted from a spreadsheet or WhatsApp, or uploaded as CSV/XLSX → raw resident fields.

Only parsing lives here: every row then goes through ``validation.check_resident`` like a
row typed into the form. Anything wrong with the input as a whole (too big, not a
spreadsheet, undecodable, a zip bomb) raises ``ImportFileError`` with a message for the
coordinator; nothing else may escape, whatever the bytes.

XML safety: openpyxl parses through defusedxml whenever it is importable (it is a pinned
dependency); ``_require_defusedxml`` refuses to open an XLSX if that ever stops being true.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time

from portal.residents.validation import is_marital_status, parse_category, parse_sex
from portal.rules.dates import DateError, parse_date_text
from portal.rules.names import is_degrees
from portal.rules.nik import NIK_LENGTH

MAX_ROWS = 1000
MAX_BYTES = 2 * 1024 * 1024
MAX_COLUMNS = 30
# An XLSX is a zip: refuse one that would unpack into far more than a real list needs.
XLSX_MAX_ENTRIES = 200
XLSX_MAX_UNCOMPRESSED = 40 * 1024 * 1024
XLSX_MAX_RATIO = 150

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
_NIK_SEPARATORS = re.compile(r"[\s.\-]+")
_PHONE = re.compile(r"^(?:\+?62|0)[0-9 ()\-.]{8,16}$")
_RT_RW_PAIR = re.compile(r"^(?:rt\s*)?0*([0-9]{1,3})\s*/\s*(?:rw\s*)?0*([0-9]{1,3})$", re.I)
_SMALL_NUMBER = re.compile(r"^0*[0-9]{1,3}$")
_LABELLED = re.compile(r"^(rt|rw)\s*\.?\s*:?\s*0*([0-9]{1,3})$", re.I)
_DATE_INSIDE = re.compile(
    r"([0-9]{1,2}[-/.][0-9]{1,2}[-/.][0-9]{4}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
    r"|[0-9]{1,2}[ -]+[A-Za-z]+\.?[ -]+[0-9]{4})"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ImportFileError(Exception):
    """The input as a whole cannot be used; ``message`` says why, in Indonesian."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


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


# ---------------------------------------------------------------- cell classification


def _is_nik(cell: str) -> bool:
    digits = _NIK_SEPARATORS.sub("", cell)
    return len(digits) == NIK_LENGTH and digits.isascii() and digits.isdigit()


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
    if text.lower() in ("ya", "tidak", "setuju", "belum setuju"):
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
    texts = ("full_name", "address")
    text_index = 0
    numbers = ("rt", "rw")
    for kind in types:
        target = ""
        if kind in _SINGLE and _SINGLE[kind] not in used:
            target = _SINGLE[kind]
        elif kind == "number":
            free = [n for n in numbers if n not in used]
            target = free[0] if free else ""
        elif kind == "text":
            if text_index < len(texts):
                target = texts[text_index]
                text_index += 1
            else:
                target = "note"
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


def _row_fields(cells: list[str], columns: list[str]) -> tuple[dict[str, str], list[int]]:
    fields: dict[str, str] = {}
    used: list[int] = []
    for index, target in enumerate(columns):
        if index >= len(cells) or not target or target == "ignore":
            continue
        value = cells[index].strip()
        if not value:
            continue
        used.append(index)
        if target == "rt_rw":
            m = _RT_RW_PAIR.match(value)
            if m:
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
    return fields, used


# ---------------------------------------------------------------- tables of cells


def rows_to_fields(
    table: list[tuple[int, list[str]]], numeric_cells: dict[int, set[int]] | None = None
) -> ParsedRows:
    """Numbered rows of cells → field dicts, detecting a header row and, without one,
    what each column holds."""
    table = [(n, [c.strip() for c in cells]) for n, cells in table if any(c.strip() for c in cells)]
    if not table:
        raise ImportFileError("Tidak ada baris data. Isi minimal satu baris warga.")
    numeric_cells = numeric_cells or {}
    header_detected = False
    first = table[0][1]
    known = [header_field(c) for c in first if c]
    named = [k for k in known if k is not None]
    looks_like_data = any(classify(c) in ("nik", "dob") for c in first)
    if named and not looks_like_data and len(named) * 2 >= len(known):
        header_detected = True
        columns = [(header_field(c) or "") if c else "" for c in first]
        table = table[1:]
        if "full_name" not in columns:
            raise ImportFileError(
                'Baris judul tidak memuat kolom "Nama lengkap". Pakai templat yang disediakan '
                "atau beri judul kolom Nama."
            )
    if len(table) > MAX_ROWS:
        raise ImportFileError(
            f"Paling banyak {MAX_ROWS:,} baris sekali kirim; ada {len(table):,} baris. ".replace(
                ",", "."
            )
            + "Bagi menjadi beberapa bagian."
        )
    if not table:
        raise ImportFileError("Hanya ada baris judul, belum ada baris data warga.")
    rows: list[ParsedRow] = []
    if not header_detected:
        widths = {len(cells) for _, cells in table}
        if len(widths) == 1:
            width = widths.pop()
            kinds = [_column_kind([cells[i] for _, cells in table]) for i in range(width)]
            columns = assign_columns(kinds)
        else:
            columns = []
    for n, cells in table:
        row_columns = columns or assign_columns([classify(c) for c in cells])
        fields, _ = _row_fields(cells, row_columns)
        numeric = [
            target
            for index, target in enumerate(row_columns)
            if index in numeric_cells.get(n, set()) and target
        ]
        rows.append(ParsedRow(n=n, fields=fields, numeric=numeric))
    return ParsedRows(rows=rows, header_detected=header_detected, columns=columns)


# ---------------------------------------------------------------- text: paste and CSV


def _delimiter(lines: list[str]) -> str | None:
    sample = lines[:50]
    best, best_score = None, (0, 0)
    for delimiter in ("\t", ";", ","):
        counts = []
        for line in sample:
            try:
                counts.append(len(next(csv.reader([line], delimiter=delimiter))) - 1)
            except (csv.Error, StopIteration):
                counts.append(0)
        with_it = sum(1 for c in counts if c > 0)
        if with_it == 0:
            continue
        if delimiter == "\t":
            return delimiter  # a spreadsheet paste: tabs are never typed by hand
        typical = Counter(c for c in counts if c > 0).most_common(1)[0][1]
        score = (with_it, typical)
        if score > best_score:
            best, best_score = delimiter, score
    return best


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
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise ImportFileError("Teks terlalu besar: paling banyak 2 MB sekali kirim.")
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if "\x00" in text:
        raise ImportFileError("Teks berisi karakter yang tidak bisa dibaca (NUL).")
    lines = [line for line in text.split("\n") if line.strip()]
    if not lines:
        raise ImportFileError("Tidak ada baris data. Isi minimal satu baris warga.")
    if len(lines) > MAX_ROWS + 1:
        raise ImportFileError(
            f"Paling banyak {MAX_ROWS:,} baris sekali kirim; ada {len(lines):,} baris. ".replace(
                ",", "."
            )
            + "Bagi menjadi beberapa bagian."
        )
    delimiter = _delimiter(lines)
    table: list[tuple[int, list[str]]] = []
    if delimiter is None:
        for n, line in enumerate(text.split("\n"), start=1):
            if line.strip():
                table.append((n, [line]))
    else:
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        start = 1
        try:
            for cells in reader:
                if delimiter == ",":
                    cells = _rejoin_degrees(cells)
                table.append((start, cells[:MAX_COLUMNS]))
                start = reader.line_num + 1
        except csv.Error:
            raise ImportFileError(
                'Isian tidak bisa dibaca sebagai tabel: periksa tanda kutip (") yang tidak ditutup.'
            ) from None
    return rows_to_fields(table)


def decode_text(data: bytes) -> str:
    """CSV bytes → text: UTF-8 (with or without BOM), UTF-16 with BOM (Excel "Unicode
    text"), else Windows-1252 (Excel's "CSV" on Indonesian/Western Windows)."""
    if not data.strip():
        raise ImportFileError("File kosong. Pilih file yang berisi daftar warga.")
    if data.startswith(b"PK\x03\x04"):
        raise ImportFileError(
            "File ini berisi data XLSX (Excel), bukan CSV. Simpan dengan akhiran .xlsx, "
            "atau simpan ulang dari Excel sebagai CSV."
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise ImportFileError("File CSV tidak bisa dibaca: penulisan hurufnya rusak.") from None
    else:
        if b"\x00" in data:
            raise ImportFileError(
                "File ini bukan file teks CSV. Unggah file .csv atau .xlsx dari templat."
            )
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                raise ImportFileError(
                    "Huruf di file ini tidak dikenali. Simpan ulang dari Excel sebagai "
                    '"CSV UTF-8", lalu unggah lagi.'
                ) from None
    controls = len(_CONTROL.findall(text))
    if controls > max(3, len(text) // 100):
        raise ImportFileError(
            "File ini bukan file teks CSV. Unggah file .csv atau .xlsx dari templat."
        )
    return _CONTROL.sub("", text)


def parse_csv(data: bytes) -> ParsedRows:
    return parse_text(decode_text(data))


# ---------------------------------------------------------------- XLSX


def _require_defusedxml() -> None:
    from openpyxl.xml import DEFUSEDXML

    if not DEFUSEDXML:  # pragma: no cover - defusedxml is a pinned dependency
        raise RuntimeError("openpyxl would parse XML without defusedxml; refusing XLSX")


def check_xlsx_container(data: bytes) -> None:
    """Look inside the zip before any XML is parsed: magic, entry count, unpacked size,
    compression ratio, encryption and the workbook part."""
    if not data:
        raise ImportFileError("File kosong. Pilih file yang berisi daftar warga.")
    if not data.startswith(b"PK\x03\x04"):
        raise ImportFileError(
            "File ini bukan file XLSX (Excel). Simpan dari Excel sebagai .xlsx, "
            "atau unggah sebagai .csv."
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise ImportFileError("File XLSX ini rusak dan tidak bisa dibuka.") from None
    if len(infos) > XLSX_MAX_ENTRIES:
        raise ImportFileError("File XLSX ini berisi terlalu banyak bagian untuk sebuah daftar.")
    total = sum(info.file_size for info in infos)
    too_packed = any(
        info.file_size > 1024 * 1024
        and info.file_size > XLSX_MAX_RATIO * max(info.compress_size, 1)
        for info in infos
    )
    if total > XLSX_MAX_UNCOMPRESSED or too_packed:
        raise ImportFileError(
            "Isi file XLSX ini terlalu besar setelah dibuka. Simpan hanya lembar daftar warga "
            "(paling banyak 1.000 baris), lalu unggah lagi."
        )
    if any(info.flag_bits & 0x1 for info in infos):
        raise ImportFileError("File XLSX ini dikunci dengan sandi. Buka kuncinya dulu.")
    if "xl/workbook.xml" not in {info.filename for info in infos}:
        raise ImportFileError(
            "File ini bukan lembar kerja Excel (.xlsx). Unggah file dari templat."
        )


def _cell_text(value) -> tuple[str, bool]:
    """A cell value → (text, came from a number)."""
    if value is None:
        return "", False
    if isinstance(value, bool):
        return ("ya" if value else "tidak"), False
    if isinstance(value, datetime):
        return value.date().isoformat(), False
    if isinstance(value, date):
        return value.isoformat(), False
    if isinstance(value, time):
        return "", False
    if isinstance(value, int):
        return str(value), True
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return "", True
        return (str(int(value)) if value.is_integer() else str(value)), True
    return str(value), False


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[str], set[int]]]:
    from openpyxl import load_workbook

    _require_defusedxml()
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = workbook["Data warga"] if "Data warga" in workbook.sheetnames else None
        sheet = sheet or workbook.worksheets[0]
        for n, values in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1):
            cells, numeric = [], set()
            for index, value in enumerate(values):
                text, is_number = _cell_text(value)
                cells.append(text)
                if is_number and text:
                    numeric.add(index)
            yield n, cells, numeric
    finally:
        workbook.close()


def parse_xlsx(data: bytes) -> ParsedRows:
    check_xlsx_container(data)
    table: list[tuple[int, list[str]]] = []
    numeric: dict[int, set[int]] = {}
    try:
        for n, cells, numbers in _xlsx_rows(data):
            if not any(c.strip() for c in cells):
                continue
            if len(table) > MAX_ROWS + 1:
                break
            table.append((n, cells))
            if numbers:
                numeric[n] = numbers
    except ImportFileError:
        raise
    except Exception:  # openpyxl and defusedxml raise many kinds for a broken file
        raise ImportFileError(
            "File XLSX ini rusak atau tidak bisa dibaca. Simpan ulang dari Excel, lalu unggah lagi."
        ) from None
    return rows_to_fields(table, numeric)


def parse_upload(filename: str, data: bytes) -> tuple[str, ParsedRows]:
    """Dispatch by extension after checking the bytes agree with it."""
    name = (filename or "").lower().strip()
    if len(data) > MAX_BYTES:
        raise ImportFileError("File terlalu besar: paling banyak 2 MB.")
    if name.endswith(".xlsx"):
        return "xlsx", parse_xlsx(data)
    if name.endswith((".csv", ".txt")):
        return "csv", parse_csv(data)
    if name.endswith(".xls"):
        raise ImportFileError(
            "File .xls (Excel lama) belum bisa dibaca. Simpan ulang sebagai .xlsx atau .csv."
        )
    raise ImportFileError("Unggah file .csv atau .xlsx.")


# ---------------------------------------------------------------- templates


def template_csv() -> bytes:
    """Headers only, UTF-8 with BOM so Excel shows the letters right, semicolons because
    Excel on Indonesian Windows splits CSV on them."""
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerow([label for _, label in TEMPLATE_HEADERS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


TEMPLATE_NOTES = (
    "Isi satu warga per baris di lembar Data warga. Jangan ubah baris judul.",
    "Nama lengkap wajib diisi.",
    "NIK boleh kosong. Jika diisi, 16 angka. Kolom NIK sudah berformat teks supaya Excel "
    "tidak mengubah angka terakhir menjadi 0.",
    "Tanggal lahir wajib jika NIK kosong. Tulis seperti 17-08-2008.",
    "Jenis kelamin: L atau P.",
    "RT dan RW: angka, misalnya 03.",
    "No. HP boleh kosong, misalnya 0812-3456-7890.",
    "Kategori: pemula, dewasa, lansia, disabilitas, luar kota, atau lainnya. Boleh kosong.",
    "Persetujuan orang tua/wali: isi ya untuk warga di bawah 18 tahun.",
    "Status kawin: Belum kawin, Kawin, Cerai hidup, atau Cerai mati, seperti di KK. Boleh "
    "kosong (dianggap belum kawin). Warga yang sudah atau pernah kawin wajib rekam KTP-el "
    "berapa pun umurnya.",
    "Paling banyak 1.000 baris dan 2 MB per file.",
)


def template_xlsx() -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True})
    text = workbook.add_format({"num_format": "@"})
    bold = workbook.add_format({"bold": True, "bg_color": "#DDDDDD", "num_format": "@"})
    sheet = workbook.add_worksheet("Data warga")
    for col, (_, label) in enumerate(TEMPLATE_HEADERS):
        sheet.write_string(0, col, label, bold)
        sheet.set_column(col, col, max(12, len(label) + 2), text)
    sheet.freeze_panes(1, 0)
    notes = workbook.add_worksheet("Petunjuk")
    notes.set_column(0, 0, 100)
    for row, line in enumerate(TEMPLATE_NOTES):
        notes.write_string(row, 0, line)
    workbook.close()
    return out.getvalue()


def describe_columns(columns: Iterable[str]) -> list[str]:
    return [FIELD_LABELS.get(c, "") if c else "" for c in columns]

"""Tables people send us: pasted text, CSV and XLSX files, read safely into numbered rows of
text cells. What a column means is the caller's business (a coordinator's resident list,
an office export staff import); here are only the limits and the file-safety rules.

Anything wrong with the input as a whole (too big, not a spreadsheet, undecodable, a zip
bomb) raises ``TableFileError`` with a message ready to show; nothing else may escape,
whatever the bytes.

- Size, rows and columns are bounded before and while reading (``TableRules``).
- Text is UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252; control
  characters are dropped, and bytes that are mostly control characters are not text.
- An XLSX is a zip: its entries, unpacked size, compression ratio and encryption are
  checked before any XML is parsed.
- XML is parsed through defusedxml: openpyxl uses it whenever it is importable (it is a
  pinned dependency), and ``_require_defusedxml`` refuses to open an XLSX otherwise.
- Formulas are never read or evaluated: a cell gives its cached value (``data_only``).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from portal.rules.errors import RuleError

# An XLSX that would unpack into far more than a real table needs is refused.
XLSX_MAX_ENTRIES = 200
XLSX_MAX_UNCOMPRESSED = 40 * 1024 * 1024
XLSX_MAX_RATIO = 150
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DELIMITERS = ("\t", ";", ",")


class TableFileError(RuleError):
    """The input as a whole cannot be used; ``message`` says why, in Indonesian."""


@dataclass(frozen=True, slots=True)
class TableRules:
    """How much one table may hold, and the words its messages use."""

    subject: str  # what a file holds: "daftar warga"
    item: str  # what one row is: "warga"
    max_bytes: int = 2 * 1024 * 1024
    max_rows: int = 1000
    max_columns: int = 30
    max_unpacked: int | None = None  # an XLSX's entries unpacked; None: XLSX_MAX_UNCOMPRESSED
    sheet: str = ""  # the XLSX sheet to read when it exists, else the first
    template: bool = False  # messages point to the downloadable template

    @property
    def size_text(self) -> str:
        return f"{self.max_bytes // (1024 * 1024)} MB"

    @property
    def rows_text(self) -> str:
        return _number(self.max_rows)

    def too_many_rows(self, count: int) -> TableFileError:
        return TableFileError(
            f"Paling banyak {self.rows_text} baris sekali kirim; ada {_number(count)} baris. "
            "Bagi menjadi beberapa bagian."
        )

    def no_rows(self) -> TableFileError:
        return TableFileError(f"Tidak ada baris data. Isi minimal satu baris {self.item}.")

    def _empty_file(self) -> TableFileError:
        return TableFileError(f"File kosong. Pilih file yang berisi {self.subject}.")

    def _not_text(self) -> TableFileError:
        source = " dari templat" if self.template else ""
        return TableFileError(f"File ini bukan file teks CSV. Unggah file .csv atau .xlsx{source}.")


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


@dataclass
class Table:
    """Numbered rows of cells (line of a text, row of a sheet, as the sender sees it)."""

    rows: list[tuple[int, list[str]]]
    # Row number → indexes of cells that held a number in the sheet (a NIK Excel mangled).
    numeric: dict[int, set[int]] = field(default_factory=dict)


Mend = Callable[[list[str]], list[str]]


# ---------------------------------------------------------------- text: paste and CSV


def guess_delimiter(lines: list[str]) -> str | None:
    """The delimiter the lines agree on (tab, semicolon, comma), or None for one cell."""
    return _delimiter(lines)


def _delimiter(lines: list[str]) -> str | None:
    sample = lines[:50]
    best, best_score = None, (0, 0)
    for delimiter in _DELIMITERS:
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


def split_text(text: str, rules: TableRules, *, mend: Mend | None = None) -> Table:
    """Pasted text or a decoded CSV: tab-, semicolon- or comma-separated (whichever the
    lines agree on), or one cell per line. ``mend`` may rejoin cells of a comma-separated
    row that a comma inside a value split apart."""
    if len(text.encode("utf-8", "surrogatepass")) > rules.max_bytes:
        raise TableFileError(f"Teks terlalu besar: paling banyak {rules.size_text} sekali kirim.")
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if "\x00" in text:
        raise TableFileError("Teks berisi karakter yang tidak bisa dibaca (NUL).")
    lines = [line for line in text.split("\n") if line.strip()]
    if not lines:
        raise rules.no_rows()
    if len(lines) > rules.max_rows + 1:  # one more: a header row
        raise rules.too_many_rows(len(lines))
    delimiter = _delimiter(lines)
    if delimiter is None:
        return Table([(n, [line]) for n, line in enumerate(text.split("\n"), 1) if line.strip()])
    rows: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    start = 1
    try:
        for cells in reader:
            if delimiter == "," and mend is not None:
                cells = mend(cells)
            rows.append((start, cells[: rules.max_columns]))
            start = reader.line_num + 1
    except csv.Error:
        raise TableFileError(
            'Isian tidak bisa dibaca sebagai tabel: periksa tanda kutip (") yang tidak ditutup.'
        ) from None
    return Table(rows)


def decode_text(data: bytes, rules: TableRules) -> str:
    """CSV bytes → text: UTF-8 (with or without BOM), UTF-16 with BOM (Excel "Unicode
    text"), else Windows-1252 (Excel's "CSV" on Indonesian/Western Windows)."""
    if not data.strip():
        raise rules._empty_file()
    if data.startswith(b"PK\x03\x04"):
        raise TableFileError(
            "File ini berisi data XLSX (Excel), bukan CSV. Simpan dengan akhiran .xlsx, "
            "atau simpan ulang dari Excel sebagai CSV."
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise TableFileError("File CSV tidak bisa dibaca: penulisan hurufnya rusak.") from None
    else:
        if b"\x00" in data:
            raise rules._not_text()
        text = _decode_8bit(data)
    if len(_CONTROL.findall(text)) > max(3, len(text) // 100):
        raise rules._not_text()
    return _CONTROL.sub("", text)


def _decode_8bit(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise TableFileError(
            "Huruf di file ini tidak dikenali. Simpan ulang dari Excel sebagai "
            '"CSV UTF-8", lalu unggah lagi.'
        ) from None


# ---------------------------------------------------------------- XLSX


def _require_defusedxml() -> None:
    from openpyxl.xml import DEFUSEDXML

    if not DEFUSEDXML:  # pragma: no cover - defusedxml is a pinned dependency
        raise RuntimeError("openpyxl would parse XML without defusedxml; refusing XLSX")


def check_xlsx_container(data: bytes, rules: TableRules) -> None:
    """Look inside the zip before any XML is parsed: magic, entry count, unpacked size,
    compression ratio, encryption and the workbook part."""
    if not data:
        raise rules._empty_file()
    if not data.startswith(b"PK\x03\x04"):
        raise TableFileError(
            "File ini bukan file XLSX (Excel). Simpan dari Excel sebagai .xlsx, "
            "atau unggah sebagai .csv."
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise TableFileError("File XLSX ini rusak dan tidak bisa dibuka.") from None
    if len(infos) > XLSX_MAX_ENTRIES:
        raise TableFileError("File XLSX ini berisi terlalu banyak bagian untuk sebuah daftar.")
    too_packed = any(
        info.file_size > 1024 * 1024
        and info.file_size > XLSX_MAX_RATIO * max(info.compress_size, 1)
        for info in infos
    )
    unpacked_limit = rules.max_unpacked or XLSX_MAX_UNCOMPRESSED
    if sum(info.file_size for info in infos) > unpacked_limit or too_packed:
        raise TableFileError(
            f"Isi file XLSX ini terlalu besar setelah dibuka. Simpan hanya lembar "
            f"{rules.subject} (paling banyak {rules.rows_text} baris), lalu unggah lagi."
        )
    if any(info.flag_bits & 0x1 for info in infos):
        raise TableFileError("File XLSX ini dikunci dengan sandi. Buka kuncinya dulu.")
    if "xl/workbook.xml" not in {info.filename for info in infos}:
        source = " dari templat" if rules.template else ""
        raise TableFileError(f"File ini bukan lembar kerja Excel (.xlsx). Unggah file{source}.")


def _cell_text(value: Any) -> tuple[str, bool]:
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


def _xlsx_rows(data: bytes, rules: TableRules) -> Iterator[tuple[int, list[str], set[int]]]:
    from openpyxl import load_workbook

    _require_defusedxml()
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        wanted = rules.sheet and rules.sheet in workbook.sheetnames
        sheet = workbook[rules.sheet] if wanted else workbook.worksheets[0]
        rows = sheet.iter_rows(max_col=rules.max_columns, values_only=True)
        for n, values in enumerate(rows, start=1):
            cells, numeric = [], set()
            for index, value in enumerate(values):
                text, is_number = _cell_text(value)
                cells.append(text)
                if is_number and text:
                    numeric.add(index)
            yield n, cells, numeric
    finally:
        workbook.close()


def read_xlsx(data: bytes, rules: TableRules) -> Table:
    """The non-empty rows of the sheet, stopping once there are more than a table may hold
    (the caller says so after finding its header)."""
    check_xlsx_container(data, rules)
    table = Table([])
    try:
        for n, cells, numbers in _xlsx_rows(data, rules):
            if not any(c.strip() for c in cells):
                continue
            if len(table.rows) > rules.max_rows + 1:
                break
            table.rows.append((n, cells))
            if numbers:
                table.numeric[n] = numbers
    except TableFileError:
        raise
    except Exception:  # openpyxl and defusedxml raise many kinds for a broken file
        raise TableFileError(
            "File XLSX ini rusak atau tidak bisa dibaca. Simpan ulang dari Excel, lalu unggah lagi."
        ) from None
    return table


def stream_xlsx(data: bytes, rules: TableRules) -> Iterator[tuple[int, list[str], set[int]]]:
    """The non-empty rows of the sheet one by one (a 200,000-row export is never held
    whole), each with the indexes of its cells that held a number."""
    check_xlsx_container(data, rules)
    try:
        for n, cells, numbers in _xlsx_rows(data, rules):
            if any(c.strip() for c in cells):
                yield n, cells, numbers
    except TableFileError:
        raise
    except Exception:  # openpyxl and defusedxml raise many kinds for a broken file
        raise TableFileError(
            "File XLSX ini rusak atau tidak bisa dibaca. Simpan ulang dari Excel, lalu unggah lagi."
        ) from None


# ---------------------------------------------------------------- uploads


def read_upload(
    filename: str, data: bytes, rules: TableRules, *, mend: Mend | None = None
) -> tuple[str, Table]:
    """("xlsx" or "csv", its table): by extension, after checking the bytes agree."""
    name = (filename or "").lower().strip()
    if len(data) > rules.max_bytes:
        raise TableFileError(f"File terlalu besar: paling banyak {rules.size_text}.")
    if name.endswith(".xlsx"):
        return "xlsx", read_xlsx(data, rules)
    if name.endswith((".csv", ".txt")):
        return "csv", split_text(decode_text(data, rules), rules, mend=mend)
    if name.endswith(".xls"):
        raise TableFileError(
            "File .xls (Excel lama) belum bisa dibaca. Simpan ulang sebagai .xlsx atau .csv."
        )
    raise TableFileError("Unggah file .csv atau .xlsx.")

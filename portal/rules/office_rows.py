"""Rows of the office's "belum rekam" export (SIAK, as CSV or XLSX) → checked people.

The export always has a header row; its columns are found by name, in the spellings SIAK
and office spreadsheets use (``NAMA_LGKP``, ``TGL_LHR``, ``NO_RT``, ``KEL_NAME``, "RT/RW").
Each row is checked by the rules every other way in uses: ``portal.rules.nik`` (shape and
soft warnings), ``portal.rules.dates`` (spreadsheet dates), ``portal.domain.rtrw`` (RT/RW
stored as "03"), and the person rules of ``portal.rules.people`` (sex words, the
birth date a NIK implies, name and address limits), reused by import, not copied.

A row with a valid NIK but another error still tells the portal the person is listed, so
the re-import diff does not call them gone; only error-free rows are applied
(``portal.rules.office_diff``). Pure: no database; places come in as
``portal.rules.places.Places``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from portal.domain.rtrw import RtRwError, read_rt_rw
from portal.rules.dates import DateError, parse_date_text
from portal.rules.errors import RuleError
from portal.rules.names import name_key
from portal.rules.nik import Nik, NikError, clean_nik, nik_warnings, parse_nik
from portal.rules.people import derive_birth_date, parse_sex, read_address, read_name
from portal.rules.places import PlaceError, Places

# One file may hold a whole Kabupaten's list with room to spare (the bench reads 100,000).
MAX_ROWS = 200_000
REQUIRED = ("nik", "full_name")

_HEADER_ALIASES = {
    "nik": ("nik", "no nik", "nomor nik", "nik ktp", "nomor induk kependudukan"),
    "full_name": (
        "nama",
        "nama lengkap",
        "nama lgkp",
        "nama penduduk",
        "nama warga",
        "nama sesuai kk",
        "name",
    ),
    "birth_date": ("tanggal lahir", "tgl lahir", "tgl lhr", "tanggal lhr", "lahir", "tgl_lhr"),
    "sex": ("jenis kelamin", "jenis klmin", "jns kelamin", "jk", "l/p", "kelamin", "sex"),
    "address": ("alamat", "alamat lengkap", "alamat rumah", "jalan", "dusun"),
    "rt": ("rt", "no rt", "nomor rt"),
    "rw": ("rw", "no rw", "nomor rw"),
    "rt_rw": ("rt/rw", "rt rw", "rt-rw"),
    "village": (
        "kelurahan",
        "desa",
        "kelurahan/desa",
        "desa/kelurahan",
        "kel/desa",
        "kel",
        "kel name",
        "nama kel",
        "nama kelurahan",
        "nama desa",
    ),
    "village_code": ("kode kelurahan", "kode kel", "no kel", "kode desa", "kode wilayah"),
    "kecamatan": ("kecamatan", "kec", "kec name", "nama kec", "nama kecamatan"),
    "kecamatan_code": ("kode kecamatan", "kode kec", "no kec"),
    "ignore": ("no", "nomor", "no urut", "nomor urut", "#", "urut"),
}
_HEADERS = {alias: name for name, aliases in _HEADER_ALIASES.items() for alias in aliases}
FIELD_LABELS = {
    "nik": "NIK",
    "full_name": "Nama lengkap",
    "birth_date": "Tanggal lahir",
    "sex": "Jenis kelamin",
    "address": "Alamat",
    "rt": "RT",
    "rw": "RW",
    "rt_rw": "RT/RW",
    "village": "Kelurahan/desa",
    "village_code": "Kode kelurahan/desa",
    "kecamatan": "Kecamatan",
    "kecamatan_code": "Kode kecamatan",
}
# The template's columns, in the order SIAK exports them.
TEMPLATE_FIELDS = ("nik", "full_name", "birth_date", "sex", "address", "rt", "rw", "village")
TEMPLATE_HEADERS = tuple(FIELD_LABELS[name] for name in (*TEMPLATE_FIELDS, "kecamatan"))

_PAREN = re.compile(r"\([^)]*\)")
_RT_RW_PAIR = re.compile(
    r"^(?:rt\.?\s*)?0*([0-9]{1,3})\s*(?:[/\-]|\s+rw\.?)\s*(?:rw\.?\s*)?0*([0-9]{1,3})$", re.I
)
# "3,57601E+15": a NIK that went through a spreadsheet as a number.
_SCIENTIFIC = re.compile(r"^[0-9]+(?:[.,][0-9]+)?e\+?[0-9]+$", re.I)

NUMERIC_NIK = (
    "NIK ini tersimpan sebagai angka di Excel, sehingga angka terakhirnya bisa berubah "
    "menjadi 0. Ekspor ulang dengan kolom NIK berformat teks."
)


class OfficeFileError(RuleError):
    """The file as a whole cannot be read (no header, a required column missing)."""


# ---------------------------------------------------------------- header


def _normal_header(text: str) -> str:
    text = _PAREN.sub(" ", str(text).lower()).replace("_", " ").replace(".", " ")
    return " ".join(text.strip(" :*").split())


def header_field(text: str) -> str | None:
    """The field a header cell names ("NAMA_LGKP" → "full_name"), "ignore", or None."""
    normal = _normal_header(text)
    return _HEADERS.get(normal) or _HEADERS.get(normal.replace(" ", ""))


@dataclass(frozen=True, slots=True)
class HeaderMap:
    """Which column holds which field; ``columns`` is the field of every column ("" for a
    column that is not read), shown to staff in the preview."""

    positions: Mapping[str, int]
    columns: tuple[str, ...]

    def cells(self, row: Sequence[Any]) -> dict[str, str]:
        """The text of each known field in ``row`` (missing cells are "")."""
        out = {}
        for name, index in self.positions.items():
            value = row[index] if index < len(row) else ""
            out[name] = "" if value is None else str(value).strip()
        return out


def read_header(cells: Sequence[Any]) -> HeaderMap:
    """The header row → where each field is. Raises ``OfficeFileError`` when a column the
    rows cannot do without is missing, or a field is named twice."""
    positions: dict[str, int] = {}
    columns = []
    for index, cell in enumerate(cells):
        name = header_field(str(cell or "")) if str(cell or "").strip() else None
        if name is None or name == "ignore":
            columns.append("")
            continue
        if name in positions:
            raise OfficeFileError(
                f"Kolom {FIELD_LABELS[name]} ada dua kali di baris judul "
                f"(kolom {positions[name] + 1} dan {index + 1}). Sisakan satu."
            )
        positions[name] = index
        columns.append(name)
    missing = [FIELD_LABELS[name] for name in REQUIRED if name not in positions]
    if "rt_rw" not in positions and not {"rt", "rw"} <= set(positions):
        missing.append("RT dan RW (atau RT/RW)")
    if not {"village", "village_code"} & set(positions):
        missing.append("Kelurahan/desa (nama atau kode)")
    if missing:
        raise OfficeFileError(
            "Baris judul tidak memuat kolom " + ", ".join(missing) + ". Baris pertama file "
            "harus berisi judul kolom, seperti di templat."
        )
    return HeaderMap(positions=positions, columns=tuple(columns))


# ---------------------------------------------------------------- rows


@dataclass
class OfficeRow:
    n: int
    cells: dict[str, str]
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    warnings: list[dict[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def nik(self) -> str | None:
        """The row's NIK when it is valid, even if something else in the row is not."""
        return self.values.get("nik")

    @property
    def fingerprint(self) -> str | None:
        """What the re-import diff compares; None for a row that cannot be applied."""
        return fingerprint(self.values) if self.ok else None


def fingerprint(values: Mapping[str, Any]) -> str:
    """SHA-256 of the office's fields of a person, folded as they are compared: a change
    of spacing or case is not a change."""
    birth = values.get("birth_date")
    parts = (
        values.get("name_key") or "",
        birth.isoformat() if isinstance(birth, date) else "",
        values.get("sex") or "",
        " ".join(str(values.get("address") or "").lower().split()),
        values.get("rw") or "",
        values.get("rt") or "",
        str(values.get("village_id") or ""),
    )
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def check_office_row(
    n: int,
    cells: Mapping[str, str],
    places: Places,
    *,
    today: date,
    numeric: Iterable[str] = (),
) -> OfficeRow:
    """Check one row. ``numeric`` names the fields whose spreadsheet cell held a number."""
    row = OfficeRow(n=n, cells={k: str(v or "").strip() for k, v in cells.items()})
    c = row.cells
    nik = _nik(row, "nik" in set(numeric))
    _name(row)
    _birth_and_sex(row, nik, today)
    address, problem = read_address(c.get("address", ""))
    if problem:
        row.errors["address"] = problem
    row.values["address"] = address
    _rt_rw(row)
    try:
        place = places.resolve(
            c.get("village", ""),
            c.get("kecamatan", ""),
            c.get("village_code", ""),
            c.get("kecamatan_code", ""),
        )
    except PlaceError as exc:
        row.errors["village"] = exc.message
        row.values.update(village_id=None, kecamatan_id=None)
    else:
        row.values.update(village_id=place.village_id, kecamatan_id=place.kecamatan_id)
    return row


def _nik(row: OfficeRow, numeric: bool) -> Nik | None:
    raw = row.cells.get("nik", "")
    row.values["nik"] = None
    if _SCIENTIFIC.match(raw.replace(" ", "")) or (numeric and raw):
        row.errors["nik"] = NUMERIC_NIK
        return None
    if not raw:
        row.errors["nik"] = "NIK kosong: setiap baris data kantor harus ber-NIK"
        return None
    try:
        nik = parse_nik(clean_nik(raw))
    except NikError as exc:
        row.errors["nik"] = exc.message
        return None
    row.values["nik"] = nik.value
    return nik


def _name(row: OfficeRow) -> None:
    full_name, problem = read_name(row.cells.get("full_name", ""), empty="Nama lengkap kosong")
    if problem:
        row.errors["full_name"] = problem
    row.values["full_name"] = full_name
    row.values["name_key"] = name_key(full_name)


def _birth_and_sex(row: OfficeRow, nik: Nik | None, today: date) -> None:
    raw_date = row.cells.get("birth_date", "")
    birth: date | None = None
    if raw_date:
        try:
            birth = parse_date_text(raw_date)
        except DateError as exc:
            row.errors["birth_date"] = exc.message
        else:
            if birth > today:
                row.errors["birth_date"] = "Tanggal lahir tidak boleh sesudah hari ini"
                birth = None
    typed_birth = birth
    if birth is None and "birth_date" not in row.errors and nik is not None:
        birth = derive_birth_date(nik, today)
        if birth is None:
            row.errors["birth_date"] = (
                f"Tanggal lahir kosong, dan tahun di NIK ({nik.birth_yy:02d}) bisa "
                f"19{nik.birth_yy:02d} atau 20{nik.birth_yy:02d}"
            )
    elif birth is None and "birth_date" not in row.errors and "nik" not in row.errors:
        row.errors["birth_date"] = "Tanggal lahir kosong"
    row.values["birth_date"] = birth

    raw_sex = row.cells.get("sex", "")
    sex = parse_sex(raw_sex) if raw_sex else None
    if raw_sex and sex is None:
        row.errors["sex"] = "Jenis kelamin harus L atau P"
    row.values["sex"] = sex or (nik.sex if nik is not None and not raw_sex else None)

    if nik is not None:
        # Office data is the record: a NIK keeps the region it was first issued in, so the
        # region is not questioned; a birth date or sex that differs is noted for staff.
        for warning in nik_warnings(
            nik, birth_date=typed_birth, sex=raw_sex or None, office_prefixes=()
        ):
            row.warnings.append({"code": warning.code, "field": "nik", "message": warning.message})


def _rt_rw(row: OfficeRow) -> None:
    c = row.cells
    rt_raw, rw_raw = c.get("rt", ""), c.get("rw", "")
    pair = c.get("rt_rw", "")
    if pair and not (rt_raw or rw_raw):
        match = _RT_RW_PAIR.match(pair)
        if match is None:
            row.errors["rt"] = f'RT/RW "{pair}" tidak bisa dibaca; tulis seperti 003/002'
            row.values.update(rt=None, rw=None)
            return
        rt_raw, rw_raw = match.group(1), match.group(2)
    for part, raw in (("rt", rt_raw), ("rw", rw_raw)):
        try:
            value = read_rt_rw(raw, part.upper())
        except RtRwError as exc:
            row.errors[part] = exc.message
            value = None
        else:
            if value is None:
                row.errors[part] = f"{part.upper()} kosong"
        row.values[part] = value

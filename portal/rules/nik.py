"""NIK (Nomor Induk Kependudukan): parsing, masking and soft warnings.

A NIK is 16 digits: 2 province + 2 kab/kota + 2 kecamatan + DDMMYY birth date (women:
DD + 40) + a 4-digit serial starting at 0001. There is no check digit, so only the shape can
be checked here; whether a NIK really exists is something only Dukcapil can confirm.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from portal.rules.errors import RuleError

# Kemendagri province codes (the first two NIK digits), Kepmendagri No 300.2.2-2138 Tahun
# 2025 as transcribed in github.com/cahyadsn/wilayah (db/wilayah.sql): 38 provinces.
# 93-96 are the Papua provinces created in 2022; people registered before the split keep
# their old 91/92 NIK, because a NIK never changes. Some older datasets number Papua 94 and
# Papua Barat 91 (BPS style); both codes are in this set either way.
PROVINCES: dict[str, str] = {
    "11": "Aceh",
    "12": "Sumatera Utara",
    "13": "Sumatera Barat",
    "14": "Riau",
    "15": "Jambi",
    "16": "Sumatera Selatan",
    "17": "Bengkulu",
    "18": "Lampung",
    "19": "Kepulauan Bangka Belitung",
    "21": "Kepulauan Riau",
    "31": "DKI Jakarta",
    "32": "Jawa Barat",
    "33": "Jawa Tengah",
    "34": "DI Yogyakarta",
    "35": "Jawa Timur",
    "36": "Banten",
    "51": "Bali",
    "52": "Nusa Tenggara Barat",
    "53": "Nusa Tenggara Timur",
    "61": "Kalimantan Barat",
    "62": "Kalimantan Tengah",
    "63": "Kalimantan Selatan",
    "64": "Kalimantan Timur",
    "65": "Kalimantan Utara",
    "71": "Sulawesi Utara",
    "72": "Sulawesi Tengah",
    "73": "Sulawesi Selatan",
    "74": "Sulawesi Tenggara",
    "75": "Gorontalo",
    "76": "Sulawesi Barat",
    "81": "Maluku",
    "82": "Maluku Utara",
    "91": "Papua",
    "92": "Papua Barat",
    "93": "Papua Selatan",
    "94": "Papua Tengah",
    "95": "Papua Pegunungan",
    "96": "Papua Barat Daya",
}

KOTA_MOJOKERTO_PREFIX = "3576"
KABUPATEN_MOJOKERTO_PREFIX = "3516"

NIK_LENGTH = 16
MASK_CHAR = "•"
_FULL_MASK = MASK_CHAR * NIK_LENGTH

# What people type between digit groups: spaces (incl. no-break), dots, ASCII and Unicode
# dashes (phones autocorrect "-" into en/em dashes).
_SEPARATORS = re.compile(r"[\s.\-\u2010-\u2015\u2212]+")
_ASCII_DIGITS = frozenset("0123456789")

# A 16-digit run not glued to other digits, either contiguous or in four groups of four with
# one consistent separator ("3576 0152 1108 0001"). Deliberately loose (no province or date
# check) because it is used to scrub logs, where a false positive only costs a masked number.
# A KK (family card) number is also 16 digits and is just as sensitive.
NIK_PATTERN = re.compile(
    r"(?<![0-9])(?:[0-9]{16}|[0-9]{4}([ .\-])[0-9]{4}\1[0-9]{4}\1[0-9]{4})(?![0-9])"
)

Sex = Literal["L", "P"]  # laki-laki / perempuan, as printed on the KTP-el


class NikError(RuleError):
    """A NIK that cannot be right; ``code`` says which check refused it."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True)
class NikWarning:
    code: str
    message: str


@dataclass(frozen=True, slots=True, repr=False)
class Nik:
    value: str
    province_code: str
    regency_code: str
    district_code: str
    birth_day: int
    birth_month: int
    birth_yy: int
    sex: Sex
    serial: str

    def matches_birth_date(self, d: date) -> bool:
        return (d.day, d.month, d.year % 100) == (self.birth_day, self.birth_month, self.birth_yy)

    @property
    def province_name(self) -> str:
        return PROVINCES[self.province_code]

    @property
    def masked(self) -> str:
        return mask_nik(self.value)

    # Masked so that a log line, an f-string or a traceback never prints the full number.
    def __repr__(self) -> str:
        return f"Nik({self.masked})"

    def __str__(self) -> str:
        return self.masked


def clean_nik(raw: str) -> str:
    """What was typed or pasted, without the separators people put between digit groups.
    The one cleaning rule: entry, imports and the staff search all use it."""
    return _SEPARATORS.sub("", raw or "")


def is_ascii_digits(text: str) -> bool:
    return bool(text) and set(text) <= _ASCII_DIGITS


def parse_nik(raw: str) -> Nik:
    value = clean_nik(raw or "")
    if not value:
        raise NikError("empty", "Masukkan NIK (16 angka)")
    if not set(value) <= _ASCII_DIGITS:
        raise NikError("not_digits", "NIK hanya boleh berisi angka 0–9")
    if len(value) != NIK_LENGTH:
        raise NikError("length", f"NIK harus 16 angka; Anda mengetik {len(value)} angka")
    province = value[:2]
    if province not in PROVINCES:
        raise NikError(
            "province",
            f"Periksa kembali NIK: 2 angka pertama ({province}) bukan kode provinsi di Indonesia",
        )
    day_raw, month, yy = int(value[6:8]), int(value[8:10]), int(value[10:12])
    sex: Sex = "P" if day_raw > 40 else "L"
    day = day_raw - 40 if sex == "P" else day_raw
    if not _is_possible_birth_date(day_raw, month, yy):
        raise NikError(
            "birth_date",
            "Periksa kembali NIK: angka ke-7 sampai ke-12 harus berisi tanggal lahir yang benar "
            "(tanggal, bulan, tahun; untuk perempuan tanggal ditambah 40)",
        )
    serial = value[12:]
    if serial == "0000":
        raise NikError("serial", "Periksa kembali NIK: 4 angka terakhir tidak mungkin 0000")
    return Nik(
        value=value,
        province_code=province,
        regency_code=value[:4],
        district_code=value[:6],
        birth_day=day,
        birth_month=month,
        birth_yy=yy,
        sex=sex,
        serial=serial,
    )


def _is_possible_birth_date(day_raw: int, month: int, yy: int) -> bool:
    if not (1 <= day_raw <= 31 or 41 <= day_raw <= 71) or not 1 <= month <= 12:
        return False
    day = day_raw - 40 if day_raw > 40 else day_raw
    if (month, day) == (2, 29):
        # YY hides the century: "00" is 2000 (leap) or 1900 (not), so accept 29 Feb when
        # either reading gives a leap year.
        return calendar.isleap(1900 + yy) or calendar.isleap(2000 + yy)
    return day <= calendar.monthrange(2001, month)[1]


def mask_nik(value: str) -> str:
    """Show the region (first 4) and serial (last 4) only; anything not NIK-shaped is fully
    masked, so a typo'd or partial number never leaks digits."""
    if not value:
        return ""
    cleaned = clean_nik(value)
    if len(cleaned) == NIK_LENGTH and set(cleaned) <= _ASCII_DIGITS:
        return cleaned[:4] + MASK_CHAR * 8 + cleaned[-4:]
    return _FULL_MASK


def looks_like_nik(text: str) -> bool:
    """True when `text` contains a NIK-shaped number anywhere."""
    return bool(text) and NIK_PATTERN.search(text) is not None


def redact_niks(text: str) -> str:
    """Replace every NIK-shaped number in `text` with its mask (for logs and error reports)."""
    # Repeat until stable: a mask's last four digits can line up with digits that follow it
    # into a new NIK-shaped group. Each pass removes digits, so this ends.
    previous = None
    while previous != text:
        previous, text = text, NIK_PATTERN.sub(lambda m: mask_nik(m.group(0)), text)
    return text


_SEX_ALIASES = {
    "l": "L",
    "lk": "L",
    "laki-laki": "L",
    "laki laki": "L",
    "pria": "L",
    "p": "P",
    "pr": "P",
    "perempuan": "P",
    "wanita": "P",
}
_SEX_WORDS = {"L": "laki-laki", "P": "perempuan"}


def nik_warnings(
    nik: Nik,
    *,
    birth_date: date | None,
    sex: str | None,
    office_prefixes: Iterable[str],
) -> list[NikWarning]:
    """Soft checks against what else was typed on the form.

    A NIK is never reissued, even when the date or sex encoded in it is wrong, and it keeps
    the region where it was first issued; so a mismatch is a note for staff, never a reason
    to refuse the record.
    """
    warnings: list[NikWarning] = []
    if birth_date is not None and not nik.matches_birth_date(birth_date):
        warnings.append(
            NikWarning(
                "birth_date_mismatch",
                f"Tanggal lahir di NIK ({nik.birth_day:02d}-{nik.birth_month:02d}, tahun "
                f"berakhiran {nik.birth_yy:02d}) berbeda dengan tanggal lahir yang diisi "
                f"({birth_date.day:02d}-{birth_date.month:02d}-{birth_date.year}). "
                "NIK tidak diubah walaupun tanggal di dalamnya keliru, jadi ini hanya catatan: "
                "cocokkan dengan Kartu Keluarga.",
            )
        )
    typed_sex = _SEX_ALIASES.get((sex or "").strip().lower())
    if typed_sex is not None and typed_sex != nik.sex:
        warnings.append(
            NikWarning(
                "sex_mismatch",
                f"Menurut NIK pemiliknya {_SEX_WORDS[nik.sex]} (untuk perempuan tanggal lahir "
                f"di NIK ditambah 40), tetapi jenis kelamin yang diisi {_SEX_WORDS[typed_sex]}. "
                "Ini hanya catatan: cocokkan dengan Kartu Keluarga.",
            )
        )
    prefixes = [p for p in (p.strip() for p in office_prefixes) if p]
    if prefixes and not any(nik.value.startswith(p) for p in prefixes):
        warnings.append(
            NikWarning(
                "outside_area",
                f"Kode wilayah NIK ini ({nik.regency_code}, Provinsi {nik.province_name}) "
                "di luar wilayah kantor ini. Ini hanya catatan: NIK tetap memakai kode wilayah "
                "tempat pertama kali diterbitkan, walaupun pemiliknya sudah pindah domisili.",
            )
        )
    return warnings

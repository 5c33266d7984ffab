"""Finding a kelurahan/desa from what a spreadsheet wrote: a name ("Kel. Gunung Gedangan",
"GUNUNGGEDANGAN", an alias), a Kemendagri code with or without dots ("35.76.02.1001",
"3576021001"), or a code within a kecamatan ("1001" with kecamatan "2" or "35.76.02").
A kecamatan, by name or code, tells apart villages that share a name (the Kabupaten has
four: Sumberjati, Mojorejo, Tempuran, Sawo).

Pure: the caller builds ``Places`` from the office's part of the region tree
(``portal.domain.regions``) with the aliases of the facts file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from portal.rules.errors import RuleError

_PLACE_PREFIX = re.compile(r"^(?:kelurahan|kel|desa|ds|kecamatan|kec)\b\.?\s*", re.I)
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def fold_place(text: str) -> str:
    """A place name compared without case, prefixes ("Kel.", "Desa") or spaces:
    "Kel. Gunung Gedangan" and "GUNUNGGEDANGAN" fold alike."""
    text = _PLACE_PREFIX.sub("", " ".join(str(text).split()).lower())
    return _NOT_ALNUM.sub("", text)


def _digits(text: str) -> str:
    return "".join(ch for ch in str(text) if ch.isascii() and ch.isdigit())


def is_code(text: str) -> bool:
    """A region code written with or without dots ("35.76.01.1007", "3576011007", "01")."""
    compact = str(text).replace(".", "").replace(" ", "")
    return bool(compact) and compact.isascii() and compact.isdigit()


@dataclass(frozen=True, slots=True)
class Place:
    """A kelurahan/desa of the importing office, with its kecamatan."""

    village_id: int
    code: str  # "35.76.01.1007"
    name: str
    kecamatan_id: int
    kecamatan_code: str  # "35.76.01"
    kecamatan_name: str
    aliases: tuple[str, ...] = ()
    kecamatan_aliases: tuple[str, ...] = ()


class PlaceError(RuleError):
    """A village or kecamatan that is not one of the office's."""


class Places:
    """The importing office's villages, found by name (with aliases) or by Kemendagri code,
    a kecamatan (name or code) telling apart villages of the same name."""

    def __init__(self, region_name: str, region_code: str, places: Iterable[Place]) -> None:
        self.region_name = region_name  # "Kota Mojokerto"
        self.region_digits = _digits(region_code)  # "3576"
        self.by_code: dict[str, Place] = {}
        self.by_name: dict[str, list[Place]] = {}
        self.kecamatan: dict[str, str] = {}  # folded name or code digits → kecamatan code
        for place in places:
            self.by_code[_digits(place.code)] = place
            for name in {place.name, *place.aliases}:
                bucket = self.by_name.setdefault(fold_place(name), [])
                if place not in bucket:
                    bucket.append(place)
            for name in {place.kecamatan_name, *place.kecamatan_aliases}:
                self.kecamatan[fold_place(name)] = place.kecamatan_code
            self.kecamatan[_digits(place.kecamatan_code)] = place.kecamatan_code

    def _kecamatan_code(self, text: str) -> str | None:
        if not text.strip():
            return None
        if is_code(text):
            digits = _digits(text)
            if len(digits) <= 2:  # "1", "01": the number within the office
                digits = self.region_digits + digits.zfill(2)
            code = self.kecamatan.get(digits)
        else:
            code = self.kecamatan.get(fold_place(text))
        if code is None:
            raise PlaceError(f'Kecamatan "{text.strip()}" tidak ada di {self.region_name}')
        return code

    def resolve(
        self,
        village: str = "",
        kecamatan: str = "",
        village_code: str = "",
        kecamatan_code: str = "",
    ) -> Place:
        """The place a row names. Raises ``PlaceError`` with the reason in Indonesian."""
        kec_code = self._kecamatan_code(kecamatan_code or kecamatan)
        if village_code.strip() or is_code(village):
            return self._by_code(village_code.strip() or village.strip(), kec_code)
        if not village.strip():
            raise PlaceError("Isi kelurahan/desa")
        found = self.by_name.get(fold_place(village), [])
        if kec_code is not None:
            found = [p for p in found if p.kecamatan_code == kec_code]
        if len(found) == 1:
            return found[0]
        if not found:
            where = f"Kecamatan {self._kec_name(kec_code)}" if kec_code else self.region_name
            raise PlaceError(f'Kelurahan/desa "{village.strip()}" tidak ada di {where}')
        kecs = ", ".join(sorted(f"Kec. {p.kecamatan_name}" for p in found))
        raise PlaceError(
            f'Ada {len(found)} kelurahan/desa bernama "{village.strip()}" ({kecs}): '
            "isi kolom kecamatan"
        )

    def _by_code(self, text: str, kec_code: str | None) -> Place:
        digits = _digits(text)
        if len(digits) == 4 and kec_code:  # "1007" within the kecamatan given
            digits = _digits(kec_code) + digits
        place = self.by_code.get(digits)
        if place is None or (kec_code and place.kecamatan_code != kec_code):
            raise PlaceError(f'Kode kelurahan/desa "{text}" tidak ada di {self.region_name}')
        return place

    def _kec_name(self, code: str) -> str:
        return next(p.kecamatan_name for p in self.by_code.values() if p.kecamatan_code == code)

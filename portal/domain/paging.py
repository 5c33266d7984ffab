"""Numbered pages for listings that are read with LIMIT/OFFSET in SQL.

One ``Pager`` for every numbered listing (accounts, audit log, a coordinator's list); the
staff queue pages by keyset instead (``portal.staff.queue``), because its officers page deep
into 100,000 rows where OFFSET would grow with the page number. ``components/pager.html``
draws the links, keeping the listing's other query parameters.
"""

from __future__ import annotations

from dataclasses import dataclass

PARAM = "halaman"
PAGE_SIZE = 50


@dataclass(frozen=True, slots=True)
class Pager:
    page: int
    pages: int
    total: int
    size: int = PAGE_SIZE

    @classmethod
    def of(cls, requested: object, total: int, size: int = PAGE_SIZE) -> Pager:
        """The page asked for (any junk: the first), kept inside 1..pages."""
        pages = max(1, -(-total // size))
        raw = str(requested or "")
        page = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 7 else 1
        return cls(min(max(page, 1), pages), pages, total, size)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size

    @property
    def first(self) -> int:
        """Number of the first row shown (1-based; 0 when empty)."""
        return self.offset + 1 if self.total else 0

    @property
    def last(self) -> int:
        return min(self.page * self.size, self.total)

    @property
    def previous(self) -> int | None:
        return self.page - 1 if self.page > 1 else None

    @property
    def next(self) -> int | None:
        return self.page + 1 if self.page < self.pages else None

"""Reading the seed file field by field: every error names the entry and the field, and a
field that is never read is reported as unknown (usually a typo)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from portal.content.seed_model import SeedError

T = TypeVar("T")
_HHMM = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")

_MISSING: Any = object()


def _describe(value: object) -> str:
    if value is None:
        return "null"
    return f"{type(value).__name__} {value!r}"


class Entry:
    """One mapping from the file, read field by field. Every error names the entry and the
    field; fields that are never read are reported as unknown (usually a typo)."""

    def __init__(self, data: object, where: str) -> None:
        if not isinstance(data, Mapping):
            raise SeedError(f"{where}: expected a mapping, got {_describe(data)}")
        self.data: Mapping[str, Any] = data
        self.where = where
        self.seen: set[str] = set()

    def error(self, key: str, message: str) -> SeedError:
        return SeedError(f"{self.where}.{key}: {message}")

    def raw(self, key: str, default: Any = _MISSING) -> Any:
        self.seen.add(key)
        if key in self.data:
            return self.data[key]
        if default is _MISSING:
            raise SeedError(f"{self.where}: missing field {key!r}")
        return default

    def text(self, key: str, *, max_len: int | None = None) -> str:
        value = self.raw(key)
        if not isinstance(value, str) or not value.strip():
            raise self.error(key, f"must be non-empty text, got {_describe(value)}")
        if max_len is not None and len(value) > max_len:
            raise self.error(key, f"is {len(value)} characters long; the limit is {max_len}")
        return value

    def opt_text(self, key: str, *, max_len: int | None = None) -> str | None:
        if self.raw(key, None) is None:
            return None
        return self.text(key, max_len=max_len)

    def flag(self, key: str, default: Any = _MISSING) -> bool:
        value = self.raw(key, default)
        if not isinstance(value, bool):
            raise self.error(key, f"must be true or false, got {_describe(value)}")
        return value

    def number(self, key: str, *, minimum: int | None = None, default: Any = _MISSING) -> int:
        value = self.raw(key, default)
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.error(key, f"must be a whole number, got {_describe(value)}")
        if minimum is not None and value < minimum:
            raise self.error(key, f"must be at least {minimum}, got {value}")
        return value

    def day(self, key: str, default: Any = _MISSING) -> dt.date:
        value = self.raw(key, default)
        if isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                raise self.error(key, f"must be a date YYYY-MM-DD, got {value!r}") from None
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            raise self.error(key, f"must be a date YYYY-MM-DD, got {_describe(value)}")
        return value

    def clock(self, key: str) -> dt.time:
        value = self.raw(key)
        if isinstance(value, int) and not isinstance(value, bool):
            # YAML 1.1 reads an unquoted 14:00 as the base-60 number 840.
            raise self.error(key, f'must be a quoted "HH:MM" string, got the number {value}')
        if not isinstance(value, str) or not (match := _HHMM.fullmatch(value)):
            raise self.error(key, f'must be a time "HH:MM" (00:00-23:59), got {_describe(value)}')
        return dt.time(int(match[1]), int(match[2]))

    def opt_clock(self, key: str) -> dt.time | None:
        if self.raw(key, None) is None:
            return None
        return self.clock(key)

    def texts(self, key: str, default: Any = _MISSING) -> tuple[str, ...]:
        value = self.raw(key, default)
        if not isinstance(value, list):
            raise self.error(key, f"must be a list, got {_describe(value)}")
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                raise self.error(
                    f"{key}[{index}]", f"must be non-empty text, got {_describe(item)}"
                )
        if len(set(value)) != len(value):
            duplicates = sorted({item for item in value if value.count(item) > 1})
            raise self.error(key, f"lists {', '.join(duplicates)} more than once")
        return tuple(value)

    def entries(self, key: str, default: Any = _MISSING) -> list[Entry]:
        value = self.raw(key, default)
        if not isinstance(value, list):
            raise self.error(key, f"must be a list, got {_describe(value)}")
        return [
            Entry(item, _item_where(f"{self.where}.{key}", index, item))
            for index, item in enumerate(value)
        ]

    def each(
        self, key: str, read: Callable[[Entry, list[T]], T], default: Any = _MISSING
    ) -> list[T]:
        """Every mapping of the list ``key``, read by ``read(entry, those read before it)``
        and then checked for unknown fields."""
        values: list[T] = []
        for entry in self.entries(key, default):
            values.append(read(entry, values))
            entry.finish()
        return values

    def finish(self) -> None:
        unknown = sorted(set(self.data) - self.seen, key=str)
        if unknown:
            names = ", ".join(repr(name) for name in unknown)
            raise SeedError(f"{self.where}: unknown field(s) {names}")


def _item_where(prefix: str, index: int, item: object) -> str:
    """`locations[3] (kota-mpp-gajah-mada)`: the index, plus the slug or code when present."""
    where = f"{prefix}[{index}]"
    if isinstance(item, Mapping):
        for key in ("slug", "code", "title", "label"):
            name = item.get(key)
            if isinstance(name, str):
                return f"{where} ({name})"
    return where


def one_of(entry: Entry, key: str, allowed: tuple[str, ...]) -> str:
    value = entry.text(key)
    if value not in allowed:
        raise entry.error(key, f"{value!r} is not one of: {', '.join(allowed)}")
    return value


def check_order(entry: Entry, first: str, opens: dt.time, last: str, closes: dt.time) -> None:
    if not opens < closes:
        raise entry.error(last, f"{closes:%H:%M} must be later than {first} {opens:%H:%M}")


def unique(seen: Iterable[str], value: str, entry: Entry, key: str, what: str) -> None:
    if value in seen:
        raise entry.error(key, f"duplicate {what} {value!r}")

"""What a re-import of the office's export changes: who is new, whose data changed, who is
unchanged, and who is gone (no longer listed: recorded elsewhere, moved out, died).

People are matched by NIK, which is lifelong and unique. A row whose NIK is valid but whose
other fields are not still says the person is listed: they are not gone, but their stored
data is kept until the row is fixed (``fingerprint`` None). A NIK listed twice in one file
counts once, at its first row; later rows are ``repeated``.

``row_change`` is the rule for one row; ``diff`` applies it to a whole file. The import job
applies ``row_change`` chunk by chunk against the stored fingerprints of that chunk's NIKs
and finds the gone in SQL; ``tests/unit/test_office_diff.py`` checks both ways agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

NEW = "baru"
CHANGED = "berubah"
UNCHANGED = "tetap"


def row_change(stored: str | None, incoming: str) -> str:
    """How a listed person's row compares with what is stored for their NIK."""
    if stored is None:
        return NEW
    return UNCHANGED if stored == incoming else CHANGED


@dataclass(frozen=True, slots=True)
class Diff:
    new: tuple[str, ...]
    changed: tuple[str, ...]
    unchanged: tuple[str, ...]
    gone: tuple[str, ...]
    # Listed, but their row cannot be applied (kept as stored, not gone).
    held: tuple[str, ...]
    # NIKs listed again after their first row in the same file.
    repeated: tuple[str, ...]

    @property
    def counts(self) -> dict[str, int]:
        return {
            NEW: len(self.new),
            CHANGED: len(self.changed),
            UNCHANGED: len(self.unchanged),
            "hilang": len(self.gone),
        }


def diff(previous: Mapping[str, str], incoming: Iterable[tuple[str, str | None]]) -> Diff:
    """``previous``: NIK → stored fingerprint of everyone the office's last import still
    listed. ``incoming``: (NIK, fingerprint or None for a row that cannot be applied), in
    file order."""
    seen: set[str] = set()
    kinds: dict[str, list[str]] = {NEW: [], CHANGED: [], UNCHANGED: []}
    held: list[str] = []
    repeated: list[str] = []
    for nik, print_ in incoming:
        if nik in seen:
            repeated.append(nik)
            continue
        seen.add(nik)
        if print_ is None:
            held.append(nik)
            continue
        kinds[row_change(previous.get(nik), print_)].append(nik)
    gone = tuple(sorted(set(previous) - seen))
    return Diff(
        new=tuple(kinds[NEW]),
        changed=tuple(kinds[CHANGED]),
        unchanged=tuple(kinds[UNCHANGED]),
        gone=gone,
        held=tuple(held),
        repeated=tuple(repeated),
    )

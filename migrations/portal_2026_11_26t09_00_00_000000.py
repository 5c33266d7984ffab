"""RT/RW: one canonical form. Every stored RT and RW number is rewritten into the form the
app now stores and compares (portal/domain/rtrw.py): at least two digits, no leading zero
beyond that. "3", "003", "RT 3" and "rt.03" become "03"; "0012" becomes "12".

Rows written by earlier releases, imported or typed in by hand may spell a number otherwise
("3", "003"). Scopes, lists and queue filters compare the stored text, so such a row would
fall outside the area it belongs to.

Columns: ``resident.rt/rw``, ``resident_list.rt/rw`` and ``portal_user.scope_rt/scope_rw``,
the only RT/RW columns of any table. Left as they are:

- values that are not an RT/RW number (empty, "0", "12a", "1234"): no number to write them
  as, and guessing would move a row into someone else's area; staff see them as typed;
- the raw JSON of autosaved drafts (``draft_entry.fields``) and pending imports
  (``import_batch.rows``): they are the coordinator's own unfinished input, shown back as
  typed, and every value in them goes through the RT/RW rule when it is stored as a
  resident; both are short-lived (an import expires, a draft is replaced on the next save);
- ``audit_entry.detail``: the audit log is append-only (its triggers refuse UPDATE), and it
  records what was written at the time;
- ``updated_at`` and ``version`` of the rows: the number is the same, only its spelling
  changes, so no one's edit conflicts with this and the purge clock does not restart.

The rule is copied here, not imported: a migration must keep doing what it did when it was
written, whatever the app's rule becomes later.

Backwards is a no-op on purpose: the old spellings are not kept, and the canonical form is
also what the previous release wrote and read, so nothing needs undoing.
"""

import re

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.querystring import QueryString

ID = "2026-11-26T09:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "RT/RW: one canonical form"

COLUMNS = {
    "resident": ("rt", "rw"),
    "resident_list": ("rt", "rw"),
    "portal_user": ("scope_rt", "scope_rw"),
}

# portal/domain/rtrw.py as of this migration.
_RT_RW = re.compile(r"^(?:rt|rw)?\s*\.?\s*0*([0-9]{1,3})$", re.IGNORECASE)


def canonical(raw: str) -> str | None:
    """The canonical form of an RT/RW number, or None when ``raw`` is not one."""
    match = _RT_RW.match(raw.strip())
    if not match or int(match.group(1)) == 0:
        return None
    return f"{int(match.group(1)):02d}"


def rewrites(values: list[str]) -> dict[str, str]:
    """Stored value → canonical form, for the values that are spelled otherwise."""
    changes = {}
    for value in values:
        new = canonical(value)
        if new is not None and new != value:
            changes[value] = new
    return changes


async def canonicalise() -> None:
    engine = engine_finder()
    assert engine is not None
    for table, columns in COLUMNS.items():
        for column in columns:
            rows = await engine.run_querystring(
                QueryString(
                    f"SELECT DISTINCT {column} AS value FROM {table} "  # noqa: S608 (constants)
                    f"WHERE {column} IS NOT NULL"
                )
            )
            changes = rewrites([row["value"] for row in rows])
            if not changes:
                continue
            # One statement per column: one pass over the table, however many spellings.
            cases = " ".join("WHEN {} THEN {}" for _ in changes)
            olds = ", ".join("{}" for _ in changes)
            args = [part for old, new in changes.items() for part in (old, new)]
            await engine.run_querystring(
                QueryString(
                    f"UPDATE {table} SET {column} = CASE {column} {cases} END "  # noqa: S608
                    f"WHERE {column} IN ({olds})",
                    *args,
                    *changes,
                )
            )


async def nothing_to_undo() -> None:
    """See the module docstring: the canonical form is valid for every earlier release."""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="portal", description=DESCRIPTION)
    manager.add_raw(canonicalise)
    manager.add_raw_backwards(nothing_to_undo)
    return manager

"""When two residents may be one person: the one rule, for coordinators' lists and for the
staff page that shows possible duplicates side by side.

- The same NIK: the same person (a NIK is lifelong and unique).
- The same birth date, village and RW/RT, and the same name (``"same"``) or a similar one
  (``"similar"``: a spelling variant, one typo, titles such as "Hj." and "S.Pd.",
  ``portal.rules.names``) with no conflicting sex.

The birth date gates every name comparison, so names are only compared among the handful
of people born that day in one village. What each side may see of a match (a coordinator:
only the other list's area and status; staff: their office's submitted residents) is the
caller's business; the rule is this one.
"""

from __future__ import annotations

from portal.rules.names import name_readings, similar_readings


def name_match(a: dict, b: dict) -> str | None:
    """How two residents' names compare when they may be one person: "same", "similar" or
    None. Takes dicts with name_key, birth_date, rw, rt and sex; the birth date and RT gate
    every name comparison, so names are only compared among a handful of people."""
    if not a["birth_date"] or a["birth_date"] != b["birth_date"]:
        return None
    if (a["rw"], a["rt"]) != (b["rw"], b["rt"]) or not a["name_key"] or not b["name_key"]:
        return None
    if a["name_key"] == b["name_key"]:
        return "same"
    # Twins share a birth date and an RT; a boy and a girl are not one person misspelt.
    if a.get("sex") and b.get("sex") and a["sex"] != b["sex"]:
        return None
    if similar_readings(_readings(a), _readings(b)):
        return "similar"
    return None


def _readings(person: dict) -> tuple[tuple[str, ...], ...]:
    # A row is compared with every earlier row of its birth date: read its name once.
    if "readings" not in person:
        person["readings"] = name_readings(person["name_key"])
    return person["readings"]

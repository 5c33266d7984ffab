"""Moved: the resident check is ``portal.coordinator.resident_check`` (names:
``portal.rules.names``). Kept only for code of other areas that still imports from here
(the staff queue, a benchmark, the fuzz tests); the lead deletes it."""

from portal.coordinator.area import ListArea
from portal.coordinator.resident_check import check_resident
from portal.coordinator.resident_fields import FIELDS
from portal.rules.names import name_key

__all__ = ["FIELDS", "ListArea", "check_resident", "name_key"]

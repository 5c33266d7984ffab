"""Moved: resident imports are ``portal.coordinator.imports`` (columns) and
``portal.rules.tablefiles`` (file safety). Kept only for code of other areas that still
imports from here (web errors, a reliability test, the fuzz tests); the lead deletes it."""

from portal.coordinator.import_template import template_csv, template_xlsx
from portal.coordinator.imports import MAX_BYTES, MAX_ROWS, ImportFileError, parse_upload

__all__ = [
    "MAX_BYTES",
    "MAX_ROWS",
    "ImportFileError",
    "parse_upload",
    "template_csv",
    "template_xlsx",
]

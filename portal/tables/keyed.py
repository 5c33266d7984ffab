"""Piccolo adds an ``id`` serial primary key to every table when the class is made; this
mixin only says so to the type checker (``Village.id`` is a column, ``village.id`` an int)."""

from piccolo.columns import Serial


class Keyed:
    id: Serial

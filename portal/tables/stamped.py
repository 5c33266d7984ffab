"""When a row was made and last changed, and its version (bumped by every update, so a form
sent from an old copy of the row is refused rather than overwriting a newer change).
A mixin: Piccolo copies its columns into each table that inherits it."""

from piccolo.columns import Integer, Timestamptz


class Stamped:
    created_at = Timestamptz()
    updated_at = Timestamptz()
    version = Integer(default=1)

"""Posted forms (and query strings) read into typed dataclasses, the same way everywhere.

A form is a dataclass whose field types say how each value is read::

    @dataclass
    class NoteForm:
        body: Annotated[str, Limit(2000)] = ""
        visible: bool = False
        resident: int | None = None
        pilih: list[str] = field(default_factory=list)

- ``str``: the last value sent, stripped, cut to its ``Limit`` (200 by default): a form is
  not a file upload, and an over-long value must not reach a rule or a log.
- ``Secret``: passwords and codes, never stripped (a space may be part of a passphrase),
  cut at 1,024, and never put back into a form (``refill`` leaves them out).
- ``Verbatim``: text read as sent, not stripped (a pasted table whose first cell is empty
  starts with a tab), still cut to its ``Limit``.
- ``bool``: a checkbox: sent with any value but "", "0", "off" or "false".
- ``int | None``: the number when the value is digits, else None; ``int``: else the default.
- ``list[str]`` / ``list[int]``: every value sent under that name.
- ``UploadFile | None``: the file chosen (multipart), or None when none was (an empty file
  input sends a part without a filename). The file stays spooled; its service reads it.

A field whose name in the form is not a Python name (``lahir-hari``) says so in its
metadata: ``lahir_hari: str = field(default="", metadata={"form_name": "lahir-hari"})``.

Reading never fails: what a value means (a name is required, an RT is a number) is for the
service to say, in Indonesian, next to the field. Unknown names are ignored.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from litestar import Request
from litestar.datastructures import UploadFile
from litestar.di import Provide

from portal.domain.inputs import Limit  # re-exported: ``from portal.web.forms import Limit``

T = TypeVar("T")
DEFAULT_LIMIT = 200
SECRET_LIMIT = 1024
_OFF = frozenset({"", "0", "off", "false"})


@dataclass(frozen=True, slots=True)
class _SecretText:
    """Marks a ``str`` field as a password or code."""


Secret = Annotated[str, _SecretText()]


@dataclass(frozen=True, slots=True)
class _VerbatimText:
    """Marks a ``str`` field as text kept as sent (not stripped)."""


Verbatim = Annotated[str, _VerbatimText()]


class Values(typing.Protocol):
    def get(self, key: str, default: Any = None) -> Any: ...


def _sent(values: Any, name: str) -> list[Any]:
    if hasattr(values, "getall"):
        return list(values.getall(name, []))
    value = values.get(name)
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _file(sent: list[Any], default: Any) -> UploadFile | None:
    chosen = [v for v in sent if isinstance(v, UploadFile) and v.filename]
    return chosen[-1] if chosen else None


def _digits(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 19 else None


def _or(value: Any, default: Any) -> Any:
    return default if value is None else value


def _reader(
    kind: Any, limit: int, secret: bool, verbatim: bool = False
) -> Callable[[list[Any], Any], Any]:
    """How a field of type ``kind`` is read from every value sent under its name: files as
    they are, everything else as text."""
    origin = typing.get_origin(kind)
    args = typing.get_args(kind)
    if origin in (typing.Union, types.UnionType) and set(args) == {UploadFile, type(None)}:
        return _file
    text = _text_reader(kind, origin, args, limit, secret, verbatim)
    return lambda sent, default: text([str(v) for v in sent], default)


def _text_reader(
    kind: Any, origin: Any, args: tuple[Any, ...], limit: int, secret: bool, verbatim: bool
) -> Callable[[list[str], Any], Any]:
    if secret:
        return lambda sent, default: sent[-1][:SECRET_LIMIT] if sent else default
    if verbatim and kind is str:
        return lambda sent, default: sent[-1][:limit] if sent else default
    if kind is str:
        return lambda sent, default: sent[-1].strip()[:limit] if sent else default
    if kind is bool:
        return lambda sent, default: bool(sent) and sent[-1].strip().lower() not in _OFF
    if kind is int:
        return lambda sent, default: _or(_digits(sent[-1]) if sent else None, default)
    if origin in (typing.Union, types.UnionType) and set(args) == {int, type(None)}:
        return lambda sent, default: _digits(sent[-1]) if sent else None
    if origin is list and args == (str,):
        return lambda sent, default: [v.strip()[:limit] for v in sent]
    if origin is list and args == (int,):
        return lambda sent, default: [n for n in map(_digits, sent) if n is not None]
    raise TypeError(f"form field type {kind!r} is not supported")


def _unwrap(kind: Any) -> tuple[Any, tuple[Any, ...]]:
    if typing.get_origin(kind) is Annotated:
        base, *extras = typing.get_args(kind)
        return base, tuple(extras)
    return kind, ()


@functools.cache
def _plan(model: type) -> tuple[tuple[str, str, Callable[[list[Any], Any], Any], Any], ...]:
    hints = typing.get_type_hints(model, include_extras=True)
    plan = []
    for f in dataclasses.fields(model):
        kind, extras = _unwrap(hints[f.name])
        limit = next((e.chars for e in extras if isinstance(e, Limit)), DEFAULT_LIMIT)
        secret = any(isinstance(e, _SecretText) for e in extras)
        verbatim = any(isinstance(e, _VerbatimText) for e in extras)
        if f.default is not dataclasses.MISSING:
            default = f.default
        elif f.default_factory is not dataclasses.MISSING:
            default = None  # lists: built fresh by their reader
        else:
            raise TypeError(f"form field {model.__name__}.{f.name} needs a default")
        key = f.metadata.get("form_name", f.name)
        plan.append((f.name, key, _reader(kind, limit, secret, verbatim), default))
    return tuple(plan)


def parse(model: type[T], values: Values | Mapping[str, Any]) -> T:
    """``values`` (a form or query multi-dict, or a plain dict) as a ``model``."""
    plan = _plan(model)  # type: ignore[arg-type]  # a class is hashable; mypy cannot tell
    fields = {name: read(_sent(values, key), default) for name, key, read, default in plan}
    return model(**fields)


async def read_form(request: Request, model: type[T]) -> T:
    return parse(model, await request.form())


def form_of(model: type[T]) -> Provide:
    """A dependency that hands the posted form to a handler as ``model``:
    ``@post(..., dependencies={"form": form_of(NoteForm)})`` then ``form: NoteForm``."""

    async def provide(request: Request) -> T:
        return await read_form(request, model)

    return Provide(provide)


def query_of(model: type[T]) -> Provide:
    """The same for the query string of a GET."""

    def provide(request: Request) -> T:
        return parse(model, request.query_params)

    return Provide(provide, sync_to_thread=False)


def refill(form: Any) -> dict[str, Any]:
    """A form's values to put back into the page after an error: what was typed stays,
    secrets do not."""
    hints = typing.get_type_hints(type(form), include_extras=True)
    return {
        f.name: getattr(form, f.name)
        for f in dataclasses.fields(form)
        if not any(isinstance(e, _SecretText) for e in _unwrap(hints[f.name])[1])
    }

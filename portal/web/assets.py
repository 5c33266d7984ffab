"""Static files under versioned names.

Our own files get a content hash in their URL (``portal.3f2a9c1b.css``) and are cached for a
year; vendored files already carry their version in the file name. In production nginx
serves the same URLs straight from ``static/`` (deploy/nginx.conf).
"""

from __future__ import annotations

import functools
import hashlib
import mimetypes
import re
from pathlib import Path

from litestar import Response, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import File

from portal import PROJECT_ROOT
from portal.web.guards import STANDALONE

STATIC_DIR = PROJECT_ROOT / "static"
YEAR = 365 * 24 * 3600
_HASHED = re.compile(r"^(?P<stem>.+)\.(?P<hash>[0-9a-f]{8})(?P<suffix>\.[a-z0-9]+)$")


@functools.cache
def manifest() -> dict[str, str]:
    """Logical name → versioned name for every file under ``static/``."""
    names: dict[str, str] = {}
    for path in sorted(STATIC_DIR.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(STATIC_DIR).as_posix()
        if rel.startswith("vendor/"):
            names[rel] = rel
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:8]
        names[rel] = f"{rel[: -len(path.suffix)]}.{digest}{path.suffix}"
    return names


def asset_url(name: str) -> str:
    return "/static/" + manifest()[name]


@functools.cache
def _reverse() -> dict[str, str]:
    return {versioned: logical for logical, versioned in manifest().items()}


# Standalone: no CSRF cookie on files cached for a year by every cache on the way.
@get("/static/{path:path}", name="web:static", sync_to_thread=False, **STANDALONE)
def static_file(path: FromPath[str]) -> Response:
    rel = path.lstrip("/")
    logical = _reverse().get(rel)
    if logical is None:
        raise NotFoundException()
    file_path: Path = STATIC_DIR / logical
    media_type, _ = mimetypes.guess_type(file_path.name)
    return File(
        path=file_path,
        filename=file_path.name,
        media_type=media_type or "application/octet-stream",
        content_disposition_type="inline",
        headers={"Cache-Control": f"public, max-age={YEAR}, immutable"},
    )

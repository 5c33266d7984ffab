"""Typed loader for the project's seed data file, ``portal/data/mojokerto.yaml``.

The file is the project's own copy of the facts behind the portal: both offices, every
kecamatan and kelurahan/desa with its Kemendagri code, service locations, requirement items,
published figures and demo jemput bola sessions. ``load_seed()`` reads it with
``yaml.safe_load`` and checks the whole file before returning anything, so a bad edit stops a
``portal`` command with a `SeedError` naming the entry and field instead of loading half the
data. The values are described in ``seed_model``, read in ``seed_entry`` and checked in
``seed_parser``.
"""

from __future__ import annotations

from pathlib import Path

import yaml  # type: ignore[import-untyped]

from portal.content.seed_model import (
    LOCATION_KINDS,
    REQUIREMENT_TOPICS,
    SERVICES,
    Seed,
    SeedError,
)
from portal.content.seed_parser import parse

# What other modules read from here; every value of the file is in seed_model.
__all__ = [
    "DEFAULT_PATH",
    "LOCATION_KINDS",
    "REQUIREMENT_TOPICS",
    "SERVICES",
    "Seed",
    "SeedError",
    "load_seed",
]

DEFAULT_PATH = Path(__file__).parent.parent / "data" / "mojokerto.yaml"


def load_seed(path: Path | None = None) -> Seed:
    """Read and check the seed file (default: the copy inside the package)."""
    path = DEFAULT_PATH if path is None else path
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SeedError(f"{path}: cannot read the seed file ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise SeedError(f"{path}: not valid YAML: {exc}") from None
    try:
        return parse(raw)
    except SeedError as exc:
        raise SeedError(f"{path}: {exc}") from None

"""Privasi: who controls the data, what is kept and for how long; and what crawlers may
read (an answer of the age checker carries a birth date in its address)."""

from __future__ import annotations

from dataclasses import dataclass

from portal.domain import regions
from portal.domain.regions import OfficeRef
from portal.settings import get_settings

ROBOTS = """User-agent: *
Allow: /
Disallow: /koordinator
Disallow: /petugas
Disallow: /admin
Disallow: /aktivasi
Disallow: /cek-usia?
"""


@dataclass(frozen=True)
class PrivacyNotice:
    offices: tuple[OfficeRef, ...]
    purge_after_days: int


async def privacy_notice() -> PrivacyNotice:
    return PrivacyNotice(await regions.load_offices(), get_settings().purge_after_days)

"""Persyaratan: who must have a KTP-el, from what age, what to bring, cost, the process, IKD.

Every item comes from the Requirement table with its legal basis, source and the date it was
last checked. The minimum recording age differs per office and is read from Office rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from portal.domain import regions
from portal.domain.regions import OfficeRef
from portal.tables.content import Requirement

# Page sections in reading order: (anchor and Requirement.topic, heading).
SECTIONS = (
    ("wajib", "Siapa yang wajib punya KTP-el"),
    ("usia", "Mulai usia berapa bisa rekam"),
    ("dokumen", "Apa yang harus dibawa"),
    ("biaya", "Biaya"),
    ("proses", "Apa yang terjadi saat perekaman"),
    ("perbedaan", "Perekaman, pencetakan, dan aktivasi IKD"),
    ("ikd", "IKD (KTP digital)"),
    ("risiko", "Jika belum rekam"),
    ("lokasi", "Di mana bisa rekam"),
)
# Always shown: it holds the table of each office's minimum age.
AGE_SECTION = "usia"


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title: str
    items: list[dict[str, Any]]


@dataclass(frozen=True)
class RequirementsPage:
    sections: list[Section]
    offices: tuple[OfficeRef, ...]
    office_by_id: dict[int, OfficeRef]


async def requirements_page() -> RequirementsPage:
    offices = await regions.load_offices()
    items = await Requirement.select().order_by(Requirement.position).order_by(Requirement.id)
    sections = [
        Section(topic, title, [i for i in items if i["topic"] == topic])
        for topic, title in SECTIONS
    ]
    known = {topic for topic, _ in SECTIONS}
    other = [i for i in items if i["topic"] not in known]
    if other:
        sections.append(Section("lainnya", "Informasi lain", other))
    return RequirementsPage(
        sections=[s for s in sections if s.items or s.id == AGE_SECTION],
        offices=offices,
        office_by_id={o.id: o for o in offices},
    )

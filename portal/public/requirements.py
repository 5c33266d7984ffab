"""Persyaratan: who must have a KTP-el, from what age, what to bring, cost, the process, IKD.

Every item comes from the Requirement table with its legal basis, source and the date it was
last checked. The minimum recording age differs per office and is read from Office rows.
"""

from litestar import Request, Response

from portal.public import queries
from portal.public.cache import public_page
from portal.public.common import page

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


@public_page("/persyaratan", name="requirements")
async def requirements(request: Request) -> Response:
    regions = await queries.load_regions()
    items = await queries.requirements()
    known = {topic for topic, _ in SECTIONS}
    sections = [
        {"id": topic, "title": title, "items": [i for i in items if i["topic"] == topic]}
        for topic, title in SECTIONS
    ]
    other = [i for i in items if i["topic"] not in known]
    if other:
        sections.append({"id": "lainnya", "title": "Informasi lain", "items": other})
    ages = [{"office": office, "text": queries.min_age_text(office)} for office in regions.offices]
    return page(
        request,
        "public/requirements.html",
        {
            "sections": [s for s in sections if s["items"] or s["id"] == "usia"],
            "ages": ages,
            "office_by_id": regions.office_by_id,
        },
    )

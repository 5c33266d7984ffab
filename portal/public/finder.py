"""Cari tempat layanan: office → kecamatan → kelurahan/desa → the locations that serve it and
upcoming jemput bola sessions there. A plain GET form (each step submits without
JavaScript); with htmx the form region is swapped in place as choices change."""

from litestar import Request, Response
from litestar.params import FromQuery

from portal.clock import now_local
from portal.public import queries
from portal.public.cache import public_page
from portal.public.common import page
from portal.public.hours import open_status


@public_page("/cari-tempat", ttl=60, name="finder")
async def finder(
    request: Request,
    kantor: FromQuery[str | None] = None,
    kecamatan: FromQuery[str | None] = None,
    desa: FromQuery[str | None] = None,
) -> Response:
    regions = await queries.load_regions()
    office = regions.office_by_slug.get(kantor or "")
    kec = regions.kecamatan_by_code.get(kecamatan or "")
    if kec is None or office is None or kec["office"] != office["id"]:
        kec = None  # a kecamatan of another office (office changed) starts the step again
    village = regions.village_by_code.get(desa or "")
    if village is None or kec is None or village["kecamatan"] != kec["id"]:
        village = None
    context = {
        "offices": regions.offices,
        "office": office,
        "kec": kec,
        "village": village,
        "kecamatan_list": regions.kecamatan_of[office["id"]] if office else [],
        "village_list": regions.villages_of[kec["id"]] if kec else [],
    }
    if village is not None:
        now = now_local()
        locations = await queries.load_locations(regions)
        serving = queries.locations_serving(locations, village["code"])
        fallback = None
        if not serving:
            fallback = next(
                (loc for loc in locations if loc.slug == office["main_location_slug"]), None
            )
        sessions = [
            s
            for s in await queries.upcoming_sessions(regions, now.date(), office_id=office["id"])
            if s.relevant_to(village["code"])
        ]
        context |= {
            "results": [
                {"loc": loc, "status": open_status(now, loc.weekly, loc.special)} for loc in serving
            ],
            "fallback": fallback,
            "fallback_status": (
                open_status(now, fallback.weekly, fallback.special) if fallback else None
            ),
            "sessions": sessions,
        }
    return page(request, "public/finder.html", context, block="finder")

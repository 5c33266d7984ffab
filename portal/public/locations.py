"""Lokasi layanan: every service location, and one page per location with its hours,
services, the areas it serves, a map link and whether it is open right now (WIB)."""

from litestar import Request, Response
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery

from portal.clock import now_local
from portal.domain.links import geo_uri, map_query, osm_search_url
from portal.public import queries
from portal.public.cache import public_page
from portal.public.common import page
from portal.public.hours import open_status, weekly_table

# "Open now" changes by the minute: these pages are cached for one minute at most.
OPEN_NOW_TTL = 60
KIND_ORDER = {"mpp": 0, "dinas": 1, "kantor_kecamatan": 2, "kantor_kelurahan": 3, "sekolah": 4}


def map_links(name: str, address: str | None, area: str) -> dict[str, str]:
    query = map_query(name, address, area)
    return {"geo": geo_uri(query), "osm": osm_search_url(query)}


@public_page("/lokasi", ttl=OPEN_NOW_TTL, name="locations")
async def location_list(request: Request, kantor: FromQuery[str | None] = None) -> Response:
    regions = await queries.load_regions()
    locations = await queries.load_locations(regions)
    now = now_local()
    chosen = regions.office_by_slug.get(kantor or "")
    groups = []
    for office in regions.offices:
        if chosen and office is not chosen:
            continue
        mine = sorted(
            (loc for loc in locations if loc.office is office),
            key=lambda loc: (KIND_ORDER.get(loc.kind, 9), loc.name),
        )
        groups.append(
            {
                "office": office,
                "locations": [
                    {"loc": loc, "status": open_status(now, loc.weekly, loc.special)}
                    for loc in mine
                ],
            }
        )
    return page(
        request,
        "public/locations.html",
        {"groups": groups, "offices": regions.offices, "chosen": chosen},
    )


@public_page("/lokasi/{slug:str}", ttl=OPEN_NOW_TTL, name="location")
async def location_detail(request: Request, slug: FromPath[str]) -> Response:
    regions = await queries.load_regions()
    found = await queries.load_locations(regions, slug=slug)
    if not found:
        raise NotFoundException()
    loc = found[0]
    now = now_local()
    sessions = [
        s
        for s in await queries.upcoming_sessions(regions, now.date(), office_id=loc.office["id"])
        if s.row["location"] == loc.id
    ]
    return page(
        request,
        "public/location.html",
        {
            "loc": loc,
            "status": open_status(now, loc.weekly, loc.special),
            "week": weekly_table(loc.weekly),
            "special_days": loc.upcoming_special(now.date()),
            "served": [regions.describe_served(code) for code in loc.served],
            "maps": map_links(loc.name, loc.address, loc.office["short_name"]),
            "sessions": sessions,
        },
    )

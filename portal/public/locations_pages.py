"""Lokasi layanan: every location, and one page per location. "Open now" changes by the
minute, so these pages are cached for one minute at most."""

from litestar import Request, Response
from litestar.params import FromPath, FromQuery

from portal.clock import now_local
from portal.public.cache import public_page
from portal.public.locations import location_list, location_page
from portal.web.render import render

OPEN_NOW_TTL = 60


@public_page("/lokasi", ttl=OPEN_NOW_TTL, name="public:locations")
async def locations(request: Request, kantor: FromQuery[str | None] = None) -> Response:
    listing = await location_list(kantor or "", now_local())
    return render(request, "public/locations.html", vars(listing))


@public_page("/lokasi/{slug:str}", ttl=OPEN_NOW_TTL, name="public:location")
async def location(request: Request, slug: FromPath[str]) -> Response:
    page = await location_page(slug, now_local())
    return render(request, "public/locations_detail.html", vars(page))

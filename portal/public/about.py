"""Privacy notice and robots.txt."""

from litestar import Request, Response

from portal.public import queries
from portal.public.cache import public_page
from portal.public.common import page
from portal.settings import get_settings

ROBOTS = """User-agent: *
Allow: /
Disallow: /koordinator
Disallow: /petugas
Disallow: /admin
Disallow: /aktivasi
Disallow: /cek-usia?
"""


@public_page("/privasi", name="privacy")
async def privacy(request: Request) -> Response:
    regions = await queries.load_regions()
    return page(
        request,
        "public/privacy.html",
        {"offices": regions.offices, "purge_after_days": get_settings().purge_after_days},
    )


@public_page("/robots.txt", browser_cache="public, max-age=3600", name="robots")
async def robots() -> Response:
    return Response(ROBOTS, media_type="text/plain; charset=utf-8")

"""Privacy notice and robots.txt."""

from litestar import Request, Response

from portal.public.cache import public_page
from portal.public.privacy import ROBOTS, privacy_notice
from portal.web.render import render


@public_page("/privasi", name="public:privacy")
async def privacy(request: Request) -> Response:
    facts = await privacy_notice()
    return render(request, "public/privacy.html", vars(facts))


@public_page("/robots.txt", browser_cache="public, max-age=3600", name="public:robots")
async def robots() -> Response:
    return Response(ROBOTS, media_type="text/plain; charset=utf-8")

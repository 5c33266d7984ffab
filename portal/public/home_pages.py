"""The home page."""

from litestar import Request, Response

from portal.clock import today_local
from portal.public.cache import public_page
from portal.public.home import office_cards
from portal.web.render import render


@public_page("/", name="public:home")
async def home(request: Request) -> Response:
    cards = await office_cards(today_local())
    return render(request, "public/home.html", {"offices": cards})

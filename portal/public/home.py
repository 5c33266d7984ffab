"""The home page: what the portal is, which office says what, and the routes to each task."""

from litestar import Request, Response

from portal.clock import today_local
from portal.public import queries
from portal.public.cache import public_page
from portal.public.common import page


@public_page("/", name="home")
async def home(request: Request) -> Response:
    regions = await queries.load_regions()
    today = today_local()
    sessions = await queries.upcoming_sessions(regions, today)
    offices = []
    for office in regions.offices:
        main = await queries.load_locations(regions, slug=office["main_location_slug"])
        offices.append(
            {
                "row": office,
                "min_age": queries.min_age_text(office),
                "main_location": main[0] if main else None,
                "next_session": next((s for s in sessions if s.office is office), None),
            }
        )
    return page(request, "public/home.html", {"offices": offices})

"""The home page."""

from litestar import Request, Response, get

from portal.tables.regions import Office
from portal.web.render import render

PUBLIC = {"public": True, "skip_csrf": True}


@get("/", opt=PUBLIC, name="home")
async def home(request: Request) -> Response:
    offices = await Office.select(Office.slug, Office.name, Office.short_name).order_by(Office.id)
    return render(request, "public/home.html", {"offices": offices})

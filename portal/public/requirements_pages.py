"""Persyaratan."""

from litestar import Request, Response

from portal.public.cache import public_page
from portal.public.requirements import requirements_page
from portal.web.render import render


@public_page("/persyaratan", name="public:requirements")
async def requirements(request: Request) -> Response:
    page = await requirements_page()
    return render(request, "public/requirements.html", vars(page))

"""Cari tempat layanan. A plain GET form (each step submits without JavaScript); with htmx
the form region is swapped in place as choices change."""

from litestar import Request, Response
from litestar.di import NamedDependency

from portal.clock import now_local
from portal.public.cache import public_page
from portal.public.finder import FinderQuery, find
from portal.web.forms import query_of
from portal.web.render import render


@public_page(
    "/cari-tempat", ttl=60, name="public:finder", dependencies={"form": query_of(FinderQuery)}
)
async def finder(request: Request, form: NamedDependency[FinderQuery]) -> Response:
    found = await find(form, now_local())
    return render(request, "public/finder.html", vars(found), block="finder")

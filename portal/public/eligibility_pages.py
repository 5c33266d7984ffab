"""Cek apakah saya sudah bisa rekam: a GET form, nothing stored. Only the empty form is
cached; an answer carries a birth date in its address, so it is sent with ``no-store``."""

from litestar import Request, Response
from litestar.di import NamedDependency

from portal.clock import today_local
from portal.public.cache import public_page
from portal.public.eligibility import EligibilityQuery, eligibility_page
from portal.web.forms import query_of
from portal.web.render import render


@public_page(
    "/cek-usia",
    cache_query=False,
    name="public:eligibility",
    dependencies={"form": query_of(EligibilityQuery)},
)
async def eligibility(request: Request, form: NamedDependency[EligibilityQuery]) -> Response:
    page = await eligibility_page(form, today_local())
    headers = {"Cache-Control": "no-store"} if page.form.submitted else None
    return render(request, "public/eligibility.html", vars(page), headers=headers)

"""Cek apakah saya sudah bisa rekam: a GET form, nothing stored. Only the empty form is
cached; an answer carries a birth date in its URL, so it is sent with ``no-store``."""

from litestar import Request, Response

from portal.clock import today_local
from portal.public import queries
from portal.public.cache import public_page
from portal.public.checker import OfficeRule, read_form
from portal.public.common import page


@public_page("/cek-usia", cache_query=False, name="eligibility")
async def eligibility(request: Request) -> Response:
    regions = await queries.load_regions()
    offices = {
        o["slug"]: OfficeRule(o["slug"], o["short_name"], o["min_age_years"], o["min_age_months"])
        for o in regions.offices
    }
    today = today_local()
    form = read_form(dict(request.query_params), offices, today)
    office_row = regions.office_by_slug.get(form.office.slug) if form.office else None
    headers = {"Cache-Control": "no-store"} if form.submitted else None
    return page(
        request,
        "public/eligibility.html",
        {
            "form": form,
            "offices": regions.offices,
            "office_row": office_row,
            "today": today,
            "min_ages": {o["slug"]: queries.min_age_text(o) for o in regions.offices},
        },
        headers=headers,
        status_code=200,
    )

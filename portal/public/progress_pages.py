"""Capaian: aggregates only, recounted every minute."""

from litestar import Request, Response

from portal.clock import now_local
from portal.public.cache import public_page
from portal.public.progress import SERIES, progress
from portal.web.render import render


@public_page("/capaian", ttl=60, name="public:progress")
async def progress_page(request: Request) -> Response:
    offices = await progress()
    return render(
        request,
        "public/progress.html",
        {"offices": offices, "series": SERIES, "computed_at": now_local()},
    )

"""/admin: the admin's start page."""

from __future__ import annotations

from litestar import Request, Response, get

from portal.accounts import admin_home
from portal.web.deps import Access
from portal.web.render import render


@get("/", name="accounts:admin-home")
async def admin_home_page(request: Request, access: Access) -> Response:
    counts = await admin_home.active_accounts(access)
    return render(request, "accounts/admin_home.html", {"counts": counts})

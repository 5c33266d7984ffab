"""/admin: the admin's start page."""

from __future__ import annotations

from litestar import Request, Response, get

from portal.accounts.pages import page
from portal.auth.guards import require_admin
from portal.tables.accounts import User


@get("/admin", guards=[require_admin])
async def admin_home(request: Request) -> Response:
    counts = {}
    for role in ("admin", "staff", "coordinator"):
        counts[role] = await User.count().where((User.role == role) & User.active.eq(True))
    return page(request, "accounts/admin_home.html", {"counts": counts})

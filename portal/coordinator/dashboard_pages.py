"""The coordinator's home page."""

from __future__ import annotations

from litestar import Request, Response, get

from portal.coordinator.dashboard import dashboard as coordinator_dashboard
from portal.coordinator.office_people import dashboard_card
from portal.domain import form_tokens
from portal.web.deps import Access
from portal.web.render import render


@get("/", name="coordinator:home")
async def dashboard(request: Request, access: Access) -> Response:
    board = await coordinator_dashboard(access)
    context = {"board": board, "create_token": form_tokens.new_token()}
    context["office_list"] = await dashboard_card(access)
    return render(request, "coordinator/dashboard.html", context)

"""The audit log pages: /petugas/audit (staff: their office's entries) and /admin/audit
(every entry). Admin, having every office, sees everything on both."""

from __future__ import annotations

from litestar import Request, Response, get

from portal.accounts import audit_log
from portal.accounts.audit_log import AuditFilters
from portal.auth.guards import require_staff
from portal.domain.scope import Scope
from portal.web.deps import Access
from portal.web.forms import parse
from portal.web.render import render

# The address keeps the words people read ("from", "to"), not Python names.
PARAMS = {"from": "since", "to": "until"}


async def _log(request: Request, access: Scope, page: str) -> Response:
    values = {PARAMS.get(k, k): v for k, v in request.query_params.items()}
    log = await audit_log.read_log(access, parse(AuditFilters, values))
    context = {"log": log, "route": page}
    status = 400 if log.errors else 200
    return render(request, "accounts/audit_log.html", context, block="results", status_code=status)


# The guard sits on the handler too: every /petugas route carries it itself (the staff
# area's route walk checks the handlers).
@get("/", name="accounts:office-audit", guards=[require_staff])
async def office_audit(request: Request, access: Access) -> Response:
    return await _log(request, access, "accounts:office-audit")


@get("/audit", name="accounts:audit")
async def full_audit(request: Request, access: Access) -> Response:
    return await _log(request, access, "accounts:audit")

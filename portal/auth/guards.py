"""Area guards. Every route is either public (``opt={"public": True}``) or guarded here;
a test walks the route table to prove it."""

from __future__ import annotations

from collections.abc import Callable

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers import BaseRouteHandler

Guard = Callable[[ASGIConnection, BaseRouteHandler], None]


def require_role(*roles: str) -> Guard:
    def guard(connection: ASGIConnection, _: BaseRouteHandler) -> None:
        user = connection.scope.get("user")
        if user is None:
            raise NotAuthorizedException()
        if user.role not in roles:
            raise PermissionDeniedException()

    guard.roles = roles  # type: ignore[attr-defined]  # read by the route-walking test
    return guard


require_signed_in = require_role("admin", "staff", "coordinator")
require_coordinator = require_role("coordinator")
require_staff = require_role("staff", "admin")
require_admin = require_role("admin")

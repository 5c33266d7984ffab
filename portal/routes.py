"""Every route handler the app serves, by area. Each area owns its own routes module."""

from portal.accounts.routes import ACCOUNT_ROUTES
from portal.coordinator.routes import COORDINATOR_ROUTES
from portal.ops.routes import OPS_ROUTES
from portal.public.routes import PUBLIC_ROUTES
from portal.staff.routes import STAFF_ROUTES
from portal.web.assets import static_file
from portal.web.errors import body_too_large_page
from portal.web.health import healthz, readyz

ROUTES = [
    healthz,
    readyz,
    static_file,
    body_too_large_page,
    *PUBLIC_ROUTES,
    *ACCOUNT_ROUTES,
    *COORDINATOR_ROUTES,
    *STAFF_ROUTES,
    *OPS_ROUTES,
]

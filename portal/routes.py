"""Every route handler the app serves, by area."""

from portal.public.home import home
from portal.web.assets import static_file
from portal.web.health import healthz, readyz

ROUTES = [
    healthz,
    readyz,
    static_file,
    home,
]

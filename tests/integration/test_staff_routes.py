"""Every staff route is guarded by require_staff, on the handler itself."""

from portal.auth.guards import require_staff
from portal.staff.routes import HANDLERS


def test_every_petugas_route_requires_staff(app):
    handlers = [
        (route.path, handler)
        for route in app.routes
        if route.path.startswith("/petugas") and not route.path.startswith("/petugas/koordinator")
        for handler in getattr(route, "route_handlers", [])
        if handler.http_methods != {"OPTIONS"}  # Litestar's automatic OPTIONS answer
    ]
    # The walk sees every handler of the staff router (requirement items and figures share
    # theirs, so there are fewer handlers than pages).
    assert {h.name for _, h in handlers} >= {h.name for h in HANDLERS}
    assert len(handlers) >= len(HANDLERS) >= 25
    for path, handler in handlers:
        assert require_staff in (handler.guards or []), path
        assert not handler.opt.get("public"), path

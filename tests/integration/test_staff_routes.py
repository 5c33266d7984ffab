"""Every staff route is guarded by require_staff, on the handler itself."""

from portal.auth.guards import require_staff


def test_every_petugas_route_requires_staff(app):
    handlers = [
        (route.path, handler)
        for route in app.routes
        if route.path.startswith("/petugas") and not route.path.startswith("/petugas/koordinator")
        for handler in getattr(route, "route_handlers", [])
        if handler.http_methods != {"OPTIONS"}  # Litestar's automatic OPTIONS answer
    ]
    assert len(handlers) >= 30
    for path, handler in handlers:
        assert require_staff in (handler.guards or []), path
        assert not handler.opt.get("public"), path

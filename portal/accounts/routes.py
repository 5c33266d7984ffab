"""Account routes: /masuk, /keluar, /aktivasi/…, /akun, account management for staff
(/petugas/koordinator) and admin (/admin, /admin/petugas, /admin/akun/…/peran), audit log
pages. One router per path prefix and guard; none of these pages may be kept by a browser
or proxy cache (sign-in pages, one-time links and codes, personal data)."""

from __future__ import annotations

from litestar import Router
from litestar.datastructures import CacheControlHeader

from portal.accounts import (
    activation_pages,
    admin_home_pages,
    area_pages,
    audit_log_pages,
    profile_pages,
    roles_pages,
    signin_pages,
    two_factor_pages,
)
from portal.accounts.manage import COORDINATORS, STAFF
from portal.accounts.manage_pages import handlers
from portal.accounts.web import given
from portal.auth.guards import require_admin, require_signed_in, require_staff

NO_STORE = CacheControlHeader(no_store=True)


ACCOUNT_ROUTES: list = [
    Router(
        "/",
        route_handlers=[*signin_pages.HANDLERS, *activation_pages.HANDLERS],
        cache_control=NO_STORE,
    ),
    Router(
        "/akun",
        guards=[require_signed_in],
        route_handlers=[*profile_pages.HANDLERS, *two_factor_pages.HANDLERS],
        cache_control=NO_STORE,
    ),
    Router(
        "/petugas/koordinator",
        guards=[require_staff],
        dependencies={"kind": given(COORDINATORS)},
        route_handlers=[*handlers(COORDINATORS), *area_pages.HANDLERS],
        cache_control=NO_STORE,
    ),
    Router(
        "/petugas/audit",
        route_handlers=[audit_log_pages.office_audit],
        cache_control=NO_STORE,
    ),
    Router(
        "/admin",
        guards=[require_admin],
        route_handlers=[admin_home_pages.admin_home_page, audit_log_pages.full_audit],
        cache_control=NO_STORE,
    ),
    Router(
        "/admin/petugas",
        guards=[require_admin],
        dependencies={"kind": given(STAFF)},
        route_handlers=handlers(STAFF),
        cache_control=NO_STORE,
    ),
    Router(
        "/admin/akun",
        guards=[require_admin],
        route_handlers=roles_pages.HANDLERS,
        cache_control=NO_STORE,
    ),
]

"""Account routes: /masuk, /keluar, /aktivasi/…, /akun, account management for staff
(/petugas/koordinator) and admin (/admin, /admin/petugas, /admin/akun/…/peran), audit log
pages."""

from portal.accounts.activation_pages import ACTIVATION_ROUTES
from portal.accounts.admin_home import admin_home
from portal.accounts.audit_pages import AUDIT_ROUTES
from portal.accounts.manage import MANAGE_ROUTES
from portal.accounts.profile import PROFILE_ROUTES
from portal.accounts.roles import ROLE_ROUTES
from portal.accounts.signin import SIGNIN_ROUTES

ACCOUNT_ROUTES: list = [
    *SIGNIN_ROUTES,
    *ACTIVATION_ROUTES,
    *PROFILE_ROUTES,
    *MANAGE_ROUTES,
    *ROLE_ROUTES,
    *AUDIT_ROUTES,
    admin_home,
]

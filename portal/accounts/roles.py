"""/admin/akun/{id}/peran: an admin changes someone's role (coordinator, staff, admin),
office and coordinator scope on one page.

The rules, beyond those of every account form (CSRF, errors next to fields, an audit entry
with before → after, every session of the account ending at once):

- Admin only, and never on one's own account: an admin who could demote themselves could
  also leave the portal without an admin, and a change of one's own access should be
  someone else's decision. Another admin (or ``portal create-user --role admin``) does it.
- The acting admin types their own password: granting or moving access to residents'
  data must take more than a session left open on an office computer.
- Admins are not office-scoped (their ``office`` is empty; ``staff_office_id`` answers
  None), so an admin may move an account to either office. Staff cannot reach this page;
  their own scope form (``/petugas/koordinator/{id}/wilayah``) keeps to their office.
- Taking the admin role away is refused if no other admin who can sign in would remain
  (race-safe, see ``another_admin_remains``).
- Staff and admin sign in with TOTP: sign-in asks anyone in those roles without an
  authenticator to set one up before a session exists (``portal.accounts.signin``), so a
  coordinator made staff enrols at their next sign-in; nothing is switched off here.
- Optimistic locking on ``auth_version``: a form read before another change is refused
  with 409 and the current data.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from portal.accounts.display import ROLE_LABELS
from portal.accounts.manage import (
    ACCOUNT_PAGES,
    CONFLICT,
    LAST_ADMIN,
    change_account,
    coordinator_fields,
    coordinator_form_context,
    form_version,
    load_account,
    office_field,
    scope_values,
)
from portal.accounts.pages import form_secret, form_text, form_values, page, see_other
from portal.accounts.passwords import check_current_password
from portal.accounts.regions import offices
from portal.auth.guards import require_admin
from portal.tables.accounts import ROLES, User

ROLE_CHOICES = [(role, ROLE_LABELS[role]) for role in ("coordinator", "staff", "admin")]
NOT_A_COORDINATOR = {
    "title": "",
    "scope_kecamatan": None,
    "scope_village": None,
    "scope_rw": None,
    "scope_rt": None,
}


async def role_fields(actor: User, form: Any, errors: dict[str, str]) -> dict[str, Any]:
    """Role, office and scope from the form. Only the fields of the chosen role are read;
    the others are emptied (a staff member has no village, an admin no office)."""
    role = form_text(form, "role", 20)
    if role not in ROLES:
        errors["role"] = "Pilih peran"
        return {}
    if role == "coordinator":
        return {"role": role, **await coordinator_fields(actor, form, errors)}
    office = {"office": None} if role == "admin" else await office_field(form, errors)
    return {"role": role, **office, **NOT_A_COORDINATOR}


class AccountRoles(Controller):
    path = "/admin/akun"
    guards = [require_admin]  # noqa: RUF012 (Litestar reads it as a class attribute)

    async def _load(self, user_id: int) -> dict:
        account = await load_account(user_id, ROLES, None)
        if not account["active"]:
            raise NotFoundException()  # reactivate first: a deactivated account has no access
        return account

    async def _page(
        self,
        request: Request,
        account: dict,
        values: dict,
        *,
        errors: dict[str, str] | None = None,
        problem: str = "",
        status: int = 200,
    ) -> Response:
        actor: User = request.scope["user"]
        own = account["id"] == actor.id
        context = {
            "account": account,
            "values": values,
            "errors": errors or {},
            "problem": problem,
            "own": own,
            "base": ACCOUNT_PAGES[account["role"]],
            "action": f"{self.path}/{account['id']}/peran",
            "roles": ROLE_CHOICES,
            "offices": await offices(),
            **await coordinator_form_context(actor),
        }
        return page(request, "accounts/manage_scope.html", context, status=403 if own else status)

    @get("/{user_id:int}/peran")
    async def role_form(self, request: Request, user_id: FromPath[int]) -> Response:
        account = await self._load(user_id)
        return await self._page(
            request, account, {"role": account["role"], **scope_values(account)}
        )

    @post("/{user_id:int}/peran")
    async def role_submit(self, request: Request, user_id: FromPath[int]) -> Response:
        actor: User = request.scope["user"]
        account = await self._load(user_id)
        if account["id"] == actor.id:
            return await self._page(request, account, {})
        form = await request.form()
        errors: dict[str, str] = {}
        fields = await role_fields(actor, form, errors)
        errors.update(
            await check_current_password(request, actor, form_secret(form, "current_password"))
        )
        if errors:
            return await self._page(request, account, form_values(form), errors=errors, status=400)
        outcome = await change_account(
            request, account, fields, version=form_version(form), action="account.role_changed"
        )
        if outcome in ("conflict", "last_admin"):
            fresh = await self._load(user_id)
            values = {"role": fresh["role"], **scope_values(fresh)}
            problem = CONFLICT if outcome == "conflict" else LAST_ADMIN
            return await self._page(request, fresh, values, problem=problem, status=409)
        message = "tetap" if outcome == "unchanged" else "peran"
        if (
            outcome == "changed"
            and account["role"] == "coordinator"
            and fields["role"] != "coordinator"
            and not account["totp_enabled"]
        ):
            message = "peran-2fa"  # sign-in will insist on an authenticator first
        return see_other(f"{ACCOUNT_PAGES[fields['role']]}/{user_id}?pesan={message}")


ROLE_ROUTES = [AccountRoles]

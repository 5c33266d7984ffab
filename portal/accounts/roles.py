"""An admin changes someone's role (coordinator, staff, admin), office and coordinator area
in one step.

The rules, beyond those of every account form (errors next to fields, an audit entry with
before → after, every session of the account ending at once):

- Admin only, and never on one's own account: an admin who could demote themselves could
  also leave the portal without an admin, and a change of one's own access should be
  someone else's decision. Another admin (or ``portal create-user --role admin``) does it.
- The acting admin types their own password: granting or moving access to residents'
  data must take more than a session left open on an office computer.
- Admins are not office-scoped (their ``office`` is empty), so an admin may move an
  account to either office. Staff cannot reach this; their own area form
  (``portal.accounts.area``) keeps to their office.
- Taking the admin role away is refused if no other admin who can sign in would remain
  (race-safe, see ``manage.another_admin_remains``).
- Staff and admin sign in with TOTP: sign-in asks anyone in those roles without an
  authenticator to set one up before a session exists (``portal.accounts.signin``), so a
  coordinator made staff enrols at their next sign-in; nothing is switched off here.
- Optimistic locking on ``auth_version``: a form read before another change is refused
  (``Conflict``) and the current data shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.accounts import account_fields, manage, passwords
from portal.accounts.account_fields import AccountInput
from portal.domain.errors import Forbidden, Invalid, NotFound, Throttled
from portal.domain.scope import Scope

# The order the role choice lists them in.
ROLE_ORDER = ("coordinator", "staff", "admin")


@dataclass(frozen=True)
class RoleChange:
    role: str  # the account's role now
    message: str  # tetap | peran | peran-2fa


async def role_account(access: Scope, user_id: int) -> dict:
    """The account whose role may be changed: an active one (reactivate first: a
    deactivated account has no access to change)."""
    account = await manage.load_any(access, user_id)
    if not account["active"]:
        raise NotFound()
    return account


async def change_role(access: Scope, user_id: int, form: AccountInput, password: str) -> RoleChange:
    """``Forbidden`` on one's own account, ``Invalid`` by field (the password's included),
    ``Conflict`` when the account changed meanwhile or would leave no admin."""
    actor = access.actor
    account = await role_account(access, user_id)
    if account["id"] == actor.user_id:
        raise Forbidden()
    errors: dict[str, str] = {}
    fields = await account_fields.role_fields(access, form, errors)
    try:
        errors.update(await passwords.check_current_password(actor, password))
    except Throttled as exc:
        errors["current_password"] = exc.message
    if errors:
        raise Invalid(errors)
    changed = await manage.change_account(
        actor, account, fields, version=form.version, action="account.role_changed"
    )
    role = fields["role"]
    if not changed:
        return RoleChange(role, "tetap")
    was_coordinator = account["role"] == "coordinator"
    if was_coordinator and role != "coordinator" and not account["totp_enabled"]:
        return RoleChange(role, "peran-2fa")  # sign-in will insist on an authenticator first
    return RoleChange(role, "peran")

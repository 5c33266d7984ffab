"""/admin/akun/{id}/peran: an admin changes someone's role, office and coordinator area on
one page (the rules: ``portal.accounts.roles``)."""

from __future__ import annotations

from dataclasses import dataclass

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from portal.accounts import manage, roles
from portal.accounts.account_fields import AccountInput, form_values
from portal.accounts.web import Again, refusal
from portal.domain.errors import Conflict, Forbidden, Invalid
from portal.domain.scope import Scope
from portal.domain.vocabulary import ROLES
from portal.web import flash
from portal.web.deps import Access
from portal.web.forms import Secret, form_of, refill
from portal.web.render import render
from portal.web.urls import url

ROLE_CHOICES = [(role, ROLES[role]) for role in roles.ROLE_ORDER]


@dataclass
class RoleForm(AccountInput):
    current_password: Secret = ""


async def _role(
    request: Request, access: Scope, user_id: int, again: Again | None = None
) -> Response:
    shown = refusal(again)
    account = await roles.role_account(access, user_id)
    own = account["id"] == access.user_id
    values = again.values if again and again.values else form_values(account)
    context = {"account": account, "kind": manage.kind_of(account["role"]), "own": own}
    context.update(shown.context, values=values, roles=ROLE_CHOICES, offices=access.offices)
    context["action"] = url(request, "accounts:role-submit", user_id=user_id)
    context.update(await manage.form_choices(access, manage.COORDINATORS))
    return render(request, "accounts/roles.html", context, status_code=403 if own else shown.status)


@get("/{user_id:int}/peran", name="accounts:role")
async def role_page(request: Request, access: Access, user_id: FromPath[int]) -> Response:
    return await _role(request, access, user_id)


@post("/{user_id:int}/peran", name="accounts:role-submit", dependencies={"form": form_of(RoleForm)})
async def role_submit(
    request: Request, access: Access, user_id: FromPath[int], form: NamedDependency[RoleForm]
) -> Response:
    try:
        change = await roles.change_role(access, user_id, form, form.current_password)
    except Forbidden:  # one's own account
        return await _role(request, access, user_id)
    except Invalid as exc:
        return await _role(request, access, user_id, Again(exc, refill(form)))
    except Conflict as exc:  # changed meanwhile: the current data, not what was typed
        return await _role(request, access, user_id, Again(exc))
    target = url(request, manage.kind_of(change.role).route("detail"), user_id=user_id)
    return flash.redirect(target, change.message)


HANDLERS = [role_page, role_submit]

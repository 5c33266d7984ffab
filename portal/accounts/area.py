"""Staff change a coordinator's title and area (village, RW, RT) inside their office. The
change ends the coordinator's sessions, so the new area applies at once."""

from __future__ import annotations

from portal.accounts import account_fields, manage
from portal.accounts.account_fields import AccountInput
from portal.domain.errors import Invalid
from portal.domain.scope import Scope


async def change_area(access: Scope, user_id: int, form: AccountInput) -> None:
    """``Invalid`` by field, or ``Conflict`` when the account changed since the form was
    read (nothing is written)."""
    account = await manage.load_account(access, manage.COORDINATORS, user_id)
    errors: dict[str, str] = {}
    fields = await account_fields.coordinator_fields(access, form, errors)
    if errors:
        raise Invalid(errors)
    await manage.change_account(
        access.actor, account, fields, version=form.version, action="account.scope_changed"
    )

"""The admin's start page: how many active accounts each role has."""

from __future__ import annotations

from portal.domain.scope import Scope
from portal.domain.vocabulary import ROLES
from portal.tables.accounts import User


async def active_accounts(access: Scope) -> dict[str, int]:
    access.require_staff()
    return {
        role: await User.count().where((User.role == role) & User.active.eq(True)) for role in ROLES
    }

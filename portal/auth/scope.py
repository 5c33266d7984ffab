"""Who may act where: the one place that turns a user's role and scope into checks and
query filters. Every area uses these instead of comparing ids by hand.

Objects outside a user's scope are answered with 404 (``NotFoundException``), not 403, so a
guessed id does not reveal that something exists in another office or another RT.

- admin: every office.
- staff: their own office only.
- coordinator: their office, and inside it their village (kelurahan/desa), and when set
  their RW and RT.
"""

from __future__ import annotations

from typing import Any

from litestar.exceptions import NotFoundException, PermissionDeniedException
from piccolo.columns import Column
from piccolo.columns.combination import Where, WhereRaw

from portal.tables.accounts import User


def fk_id(value: Any) -> int | None:
    """A foreign key as an id, whether Piccolo gave the id or the joined row."""
    if value is None or isinstance(value, int):
        return value
    return getattr(value, "id", None)


def staff_office_id(user: User) -> int | None:
    """The office a staff member acts for; None for admin (every office). Anyone else is
    refused: a coordinator must never reach staff-wide queries."""
    if user.role == "admin":
        return None
    if user.role == "staff" and fk_id(user.office) is not None:
        return fk_id(user.office)
    raise PermissionDeniedException()


def office_where(user: User, office_column: Column) -> Where | WhereRaw:
    """A where-clause limiting ``office_column`` to what ``user`` (staff/admin) may see.
    Usage: ``Resident.select().where(office_where(user, Resident.office))``."""
    office_id = staff_office_id(user)
    if office_id is None:
        return WhereRaw("1 = 1")
    return office_column == office_id


def assert_same_office(user: User, office_id: int | None) -> None:
    """Staff may only touch their own office's objects; admin any. 404 otherwise."""
    if user.role == "admin":
        return
    if user.role != "staff" or office_id is None or fk_id(user.office) != fk_id(office_id):
        raise NotFoundException()


def coordinator_can_use_village(user: User, village: Any) -> bool:
    """May this coordinator put residents of ``village`` (a Village row, dict or id) on a
    list? Only their own village; staff and admin are not coordinators and get False."""
    if user.role != "coordinator" or not user.active:
        return False
    village_id = village["id"] if isinstance(village, dict) else fk_id(village)
    return village_id is not None and fk_id(user.scope_village) == village_id


def coordinator_can_use_area(
    user: User, village: Any, rw: str | None = None, rt: str | None = None
) -> bool:
    """Village plus RW/RT: a Ketua RT's scope is one RT, a Ketua RW's one RW."""
    if not coordinator_can_use_village(user, village):
        return False
    if user.scope_rw and normalise_rw_rt(rw) != user.scope_rw:
        return False
    return not (user.scope_rt and normalise_rw_rt(rt) != user.scope_rt)


def coordinator_where(user: User, coordinator_column: Column) -> Where:
    """Coordinators see only their own objects (lists, residents via their list)."""
    if user.role != "coordinator":
        raise PermissionDeniedException()
    return coordinator_column == user.id


def assert_own(user: User, coordinator_id: Any) -> None:
    """The object belongs to this coordinator, or it does not exist as far as they know."""
    if user.role != "coordinator" or fk_id(coordinator_id) != user.id:
        raise NotFoundException()


def assert_can_see_list(user: User, resident_list: Any) -> None:
    """One rule for a ResidentList (row or dict) whoever asks: its coordinator, staff of
    its office, or admin. Anything else: 404."""
    if user.role == "coordinator":
        assert_own(user, _field(resident_list, "coordinator"))
    else:
        assert_same_office(user, _field(resident_list, "office"))


def _field(row: Any, name: str) -> Any:
    return row.get(name) if isinstance(row, dict) else getattr(row, name, None)


def normalise_rw_rt(value: Any) -> str | None:
    """ "2", "02", "002" → "02"; empty → None. RW/RT numbers are written with two digits."""
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    if not text.isdigit() or len(text) > 3 or int(text) == 0:
        raise ValueError("Nomor RW/RT harus angka 1 sampai 999")
    return f"{int(text):02d}"

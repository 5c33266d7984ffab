"""Which office(s) a staff request acts for.

Staff act for their own office only. Admin has no office: every listing lets them pick one
(``?kantor=<slug>``) or see both, and every single object they open is checked against both.
Objects outside the scope answer 404, never 403, so a guessed id reveals nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Request
from litestar.exceptions import NotFoundException, PermissionDeniedException

from portal.tables.accounts import User
from portal.tables.regions import Office


def fk_id(value: Any) -> int | None:
    """A foreign key as an id, whether Piccolo gave the id or the joined row."""
    if value is None or isinstance(value, int):
        return value
    if isinstance(value, dict):
        return value.get("id")
    return getattr(value, "id", None)


@dataclass(frozen=True)
class OfficeRef:
    id: int
    slug: str
    name: str
    short_name: str
    region_code: str


@dataclass(frozen=True)
class StaffScope:
    user: User
    offices: tuple[OfficeRef, ...]  # every office this user may act for
    current: OfficeRef | None  # the office chosen for listings; None = all of `offices`

    @property
    def is_admin(self) -> bool:
        return self.user.role == "admin"

    @property
    def allowed_ids(self) -> list[int]:
        """Offices whose objects this user may open or change."""
        return [o.id for o in self.offices]

    @property
    def listing_ids(self) -> list[int]:
        """Offices shown in listings: the chosen one, else all allowed."""
        return [self.current.id] if self.current else self.allowed_ids

    @property
    def kantor(self) -> str:
        """The ``kantor`` query value that keeps an admin's choice in links ("" for staff)."""
        return self.current.slug if self.is_admin and self.current else ""

    @property
    def office_options(self) -> list[tuple[str, str]]:
        return [(o.slug, o.short_name) for o in self.offices]

    def office(self, office_id: int | None) -> OfficeRef:
        for office in self.offices:
            if office.id == office_id:
                return office
        raise NotFoundException()

    def check(self, office_id: Any) -> None:
        if fk_id(office_id) not in self.allowed_ids:
            raise NotFoundException()

    def single_office(self) -> OfficeRef | None:
        """The office a new object belongs to when there is no choice to make."""
        if self.current is not None:
            return self.current
        return self.offices[0] if len(self.offices) == 1 else None


async def all_offices() -> tuple[OfficeRef, ...]:
    rows = await Office.select(
        Office.id, Office.slug, Office.name, Office.short_name, Office.region_code
    ).order_by(Office.id)
    return tuple(OfficeRef(**row) for row in rows)


async def staff_scope(request: Request, kantor: str | None = None) -> StaffScope:
    user: User | None = request.scope.get("user")
    if user is None or user.role not in ("staff", "admin"):
        raise PermissionDeniedException()
    offices = await all_offices()
    if user.role == "staff":
        own = tuple(o for o in offices if o.id == fk_id(user.office))
        if not own:
            raise PermissionDeniedException()
        return StaffScope(user, own, own[0])
    chosen = next((o for o in offices if o.slug == kantor), None) if kantor else None
    return StaffScope(user, offices, chosen)

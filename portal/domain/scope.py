"""Who may see and change what: the one place that turns a signed-in user into query
conditions and checks. Every service that reads or writes scoped data takes a ``Scope``.

- admin: every office; listings may be narrowed to one (``kantor``), single objects are
  checked against both.
- staff: their own office only.
- coordinator: their own objects (lists and the residents on them), made inside their area:
  their village (kelurahan/desa), and when set their RW and RT.

Objects outside a scope are answered with ``NotFound`` (404), never 403, so a guessed id
does not reveal that something exists in another office or another RT.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from piccolo.columns import Column
from piccolo.columns.combination import And, Where

from portal.domain.actor import Actor, fk_id
from portal.domain.errors import Forbidden, NotFound
from portal.domain.regions import OfficeRef, load_offices
from portal.domain.rtrw import parse_rt_rw

# A where-clause, alone or combined with others.
Combinable = Where | And
STAFF_ROLES = frozenset({"staff", "admin"})


@dataclass(frozen=True, slots=True)
class Area:
    """A coordinator's area: one village, and inside it optionally one RW and one RT."""

    kecamatan_id: int | None
    village_id: int | None
    rw: str | None
    rt: str | None

    def holds(self, village_id: Any, rw: Any = None, rt: Any = None) -> bool:
        """Is this place inside the area? RW/RT are compared in their canonical form."""
        if self.village_id is None or fk_id(village_id) != self.village_id:
            return False
        if self.rw and parse_rt_rw(rw) != self.rw:
            return False
        return not (self.rt and parse_rt_rw(rt) != self.rt)


@dataclass(frozen=True)
class Scope:
    actor: Actor
    offices: tuple[OfficeRef, ...]  # every office this user may act for
    current: OfficeRef | None  # the office chosen for listings; None = all of ``offices``
    area: Area | None = None  # coordinators only

    # --- who ---------------------------------------------------------------------------------
    @property
    def user_id(self) -> int:
        assert self.actor.user_id is not None
        return self.actor.user_id

    @property
    def is_admin(self) -> bool:
        return self.actor.role == "admin"

    @property
    def is_staff(self) -> bool:
        return self.actor.role in STAFF_ROLES

    @property
    def is_coordinator(self) -> bool:
        return self.actor.role == "coordinator"

    def require_staff(self) -> Scope:
        """Staff-wide data is never handed to a coordinator, whatever a handler forgot."""
        if not self.is_staff:
            raise Forbidden()
        return self

    def require_coordinator(self) -> Scope:
        if not self.is_coordinator:
            raise Forbidden()
        return self

    # --- offices -------------------------------------------------------------------------------
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

    def office(self, office_id: Any) -> OfficeRef:
        """One of the allowed offices; NotFound for any other."""
        for office in self.offices:
            if office.id == fk_id(office_id):
                return office
        raise NotFound()

    def check_office(self, office_id: Any) -> None:
        self.office(office_id)

    def choose(self, kantor: str | None) -> Scope:
        """This scope with an admin's office choice sent in a posted form (a ``kantor``
        field) rather than the query string; the choice of anyone else is ignored."""
        if not self.is_admin:
            return self
        chosen = next((o for o in self.offices if o.slug == kantor), None) if kantor else None
        return replace(self, current=chosen)

    def single_office(self) -> OfficeRef | None:
        """The office a new object belongs to when there is no choice to make."""
        if self.current is not None:
            return self.current
        return self.offices[0] if len(self.offices) == 1 else None

    # --- query conditions --------------------------------------------------------------------
    def office_where(self, column: Column, *, listing: bool = True) -> Where:
        """``column`` (an office foreign key) limited to this scope: the listing choice by
        default, every allowed office with ``listing=False``."""
        ids = self.listing_ids if listing else self.allowed_ids
        return column.is_in(ids or [-1])

    def owner_where(self, column: Column) -> Where:
        """Coordinators see only their own objects (lists, residents via their list)."""
        self.require_coordinator()
        return column == self.user_id

    def check_owner(self, owner_id: Any) -> None:
        if not self.is_coordinator or fk_id(owner_id) != self.user_id:
            raise NotFound()

    def can_see(self, *, owner_id: Any = None, office_id: Any = None) -> bool:
        """One rule for an object whoever asks: its coordinator, staff of its office, admin."""
        if self.is_coordinator:
            return fk_id(owner_id) == self.user_id
        return fk_id(office_id) in self.allowed_ids

    def check_can_see(self, *, owner_id: Any = None, office_id: Any = None) -> None:
        if not self.can_see(owner_id=owner_id, office_id=office_id):
            raise NotFound()

    def area_holds(self, village_id: Any, rw: Any = None, rt: Any = None) -> bool:
        """May this coordinator put people of this place on a list (or see them on an
        office list)? Staff and admin are not coordinators: False."""
        return self.area is not None and self.area.holds(village_id, rw, rt)

    def area_where(self, village: Column, rw: Column, rt: Column) -> Combinable:
        """Rows inside the coordinator's area (canonical RW/RT stored)."""
        self.require_coordinator()
        area = self.area or Area(None, None, None, None)
        where: Combinable = village == (area.village_id if area.village_id is not None else -1)
        if area.rw:
            where &= rw == area.rw
        if area.rt:
            where &= rt == area.rt
        return where


async def scope_for(user: Any, *, kantor: str | None = None, ip: str = "") -> Scope:
    """The scope of a signed-in ``User``; ``kantor`` is an admin's office choice."""
    actor = Actor.of(user, ip)
    if not user.active:
        raise Forbidden()
    if user.role == "admin":
        offices = await load_offices()
        chosen = next((o for o in offices if o.slug == kantor), None) if kantor else None
        return Scope(actor, offices, chosen)
    office_id = fk_id(user.office)
    if office_id is None:
        raise Forbidden()
    own = await load_offices([office_id])
    if not own:
        raise Forbidden()
    if user.role == "staff":
        return Scope(actor, own, own[0])
    if user.role == "coordinator":
        area = Area(
            kecamatan_id=fk_id(user.scope_kecamatan),
            village_id=fk_id(user.scope_village),
            rw=user.scope_rw or None,
            rt=user.scope_rt or None,
        )
        return Scope(actor, own, own[0], area)
    raise Forbidden()

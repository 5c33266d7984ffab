"""A new list: where a coordinator may make one (their area), and making it once per form.

The area comes from the coordinator's ``Scope``: their village, and their RW/RT when the
account fixes them; a kelurahan-wide coordinator may narrow a list to one RW (and RT).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from portal.clock import today_local
from portal.coordinator.area import area_label
from portal.coordinator.resident_list import own_list
from portal.coordinator.rows import now
from portal.coordinator.submit import NOTE_MAX, TITLE_MAX
from portal.domain import audit, form_tokens
from portal.domain.errors import Invalid, NotFound
from portal.domain.form_tokens import FormTokenReused
from portal.domain.regions import VillageRef, region_tree
from portal.domain.rtrw import parse_rt_rw
from portal.domain.scope import Scope
from portal.rules.dates import format_date_id
from portal.tables.residents import Resident, ResidentList

NO_AREA = "Akun Anda belum punya wilayah. Hubungi petugas Dispendukcapil."


@dataclass(frozen=True)
class Choices:
    """Where this coordinator may make a list: villages to pick from, and a fixed RW/RT."""

    villages: tuple[VillageRef, ...]
    rw: str | None
    rt: str | None

    def village(self, village_id: int | None) -> VillageRef | None:
        return next((v for v in self.villages if v.id == village_id), None)

    @property
    def one_village(self) -> VillageRef | None:
        return self.villages[0] if len(self.villages) == 1 else None

    @property
    def village_options(self) -> list[tuple[int, str]]:
        return [(v.id, v.name) for v in self.villages]

    @property
    def one_tap(self) -> bool:
        """Everything is fixed: the dashboard's button makes the list at once."""
        return self.one_village is not None and bool(self.rw) and bool(self.rt)

    @property
    def text(self) -> str:
        """ "Kel. Surodinawan RW 02 RT 03"; just "RW 02" when the village is to be picked."""
        if village := self.one_village:
            return area_label(village.kind, village.name, self.rw, self.rt)
        return " ".join(
            f"{part} {value}" for part, value in (("RW", self.rw), ("RT", self.rt)) if value
        )


async def choices(access: Scope) -> Choices:
    area = access.require_coordinator().area
    if area is None:
        return Choices((), None, None)
    tree = await region_tree(access.allowed_ids)
    if area.village_id is not None:
        village = tree.village(area.village_id)
        villages: tuple[VillageRef, ...] = (village,) if village else ()
    else:  # an account scoped to a whole kecamatan picks the village
        kecamatan = tree.kecamatan_by_id(area.kecamatan_id)
        villages = kecamatan.villages if kecamatan else ()
    return Choices(villages, area.rw, area.rt)


@dataclass
class NewListInput:
    """What the form says; sizes and numbers are checked by ``read_new_list``."""

    village: int | None = None
    rw: str = ""
    rt: str = ""
    title: str = ""
    note: str = ""


@dataclass(frozen=True)
class NewList:
    village: VillageRef
    rw: str | None
    rt: str | None
    title: str
    note: str


def read_new_list(form: NewListInput, where: Choices, token: str) -> NewList:
    """The form as a list to make, or ``Invalid`` with a message per field."""
    errors: dict[str, str] = {}
    village = where.one_village or where.village(form.village)
    if not where.villages:
        errors["village"] = NO_AREA
    elif village is None:
        errors["village"] = "Pilih kelurahan atau desa"
    rw = where.rw or _rt_rw(form.rw, "rw", errors)
    rt = where.rt or _rt_rw(form.rt, "rt", errors)
    if rt and not rw and "rw" not in errors:
        errors["rw"] = "Isi RW juga, karena RT hanya jelas di dalam satu RW"
    title = " ".join(form.title.split())
    if len(title) > TITLE_MAX:
        errors["title"] = f"Judul paling banyak {TITLE_MAX} huruf"
    if len(form.note) > NOTE_MAX:
        errors["note"] = f"Catatan paling banyak {NOTE_MAX} huruf"
    if not token:
        errors["form"] = "Formulir tidak lengkap. Muat ulang halaman lalu coba lagi."
    if errors or village is None:
        raise Invalid(errors)
    return NewList(village, rw, rt, title, form.note)


def _rt_rw(typed: str, part: str, errors: dict[str, str]) -> str | None:
    value = parse_rt_rw(typed) if typed else None
    if typed and value is None:
        errors[part] = f"{part.upper()} harus berupa angka, misalnya 03"
    return value


class ListAlreadyMade(FormTokenReused):
    """The form already made ``made`` and now says something else: nothing was made."""

    def __init__(self, object_id: int, made: ResidentList | None) -> None:
        super().__init__(object_id)
        self.made = made


async def create_list(access: Scope, form: NewListInput, *, token: str) -> ResidentList:
    """Make a draft list in the coordinator's area; the same form token twice returns the
    first list (``ListAlreadyMade`` when it came back with other values). Tapping "new
    list" again before adding anyone opens the same empty draft instead of leaving a trail
    of empty ones."""
    new = read_new_list(form, await choices(access), token)
    values = {"village": new.village.id, "rw": new.rw, "rt": new.rt}
    values |= {"title": new.title, "note": new.note}
    try:
        existing = await form_tokens.recall(token, "list.create", access.user_id, values)
    except FormTokenReused as exc:
        raise ListAlreadyMade(exc.object_id, await own_list(access, exc.object_id)) from None
    if not existing and not new.title and not new.note:
        existing = await _empty_draft(access, new)
    if existing:
        return await _found(access, existing)
    await form_tokens.sweep()
    try:
        made = await form_tokens.act_once(
            token, "list.create", access.user_id, values, lambda: _make(access, new)
        )
    except FormTokenReused as exc:
        raise ListAlreadyMade(exc.object_id, await own_list(access, exc.object_id)) from None
    return await _found(access, made)


async def _found(access: Scope, list_id: int) -> ResidentList:
    found = await own_list(access, list_id)
    if found is None:
        raise NotFound()
    return found


async def _make(access: Scope, new: NewList) -> int:
    moment = now()
    lst = ResidentList(
        public_id=uuid.uuid4(),
        coordinator=access.user_id,
        office=new.village.office_id,
        village=new.village.id,
        rw=new.rw,
        rt=new.rt,
        title=new.title or f"Daftar {format_date_id(today_local())}",
        note=new.note,
        state="draft",
        created_at=moment,
        updated_at=moment,
    )
    await lst.save()
    await audit.record(
        access.actor,
        "list.create",
        office_id=new.village.office_id,
        object_type="resident_list",
        object_id=lst.public_id,
        detail={"area": area_label(new.village.kind, new.village.name, new.rw, new.rt)},
    )
    return lst.id


async def _empty_draft(access: Scope, new: NewList) -> int | None:
    drafts = await ResidentList.select(ResidentList.id, ResidentList.rw, ResidentList.rt).where(
        access.owner_where(ResidentList.coordinator),
        ResidentList.state == "draft",
        ResidentList.village == new.village.id,
    )
    for lst in drafts:
        if (lst["rw"], lst["rt"]) != (new.rw, new.rt):
            continue
        if await Resident.count().where(Resident.resident_list == lst["id"]) == 0:
            return lst["id"]
    return None

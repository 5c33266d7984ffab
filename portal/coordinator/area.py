"""A list's area: its village with RW/RT, and the rules of the office that serves it.

Every resident of a list is checked against it (``resident_check``), and duplicates are
looked for inside its village (``duplicates``).
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.coordinator.columns import columns
from portal.domain.actor import fk_id
from portal.domain.errors import NotFound
from portal.domain.regions import load_offices
from portal.rules.ages import RecordingRule
from portal.tables.regions import Village
from portal.tables.residents import ResidentList


@dataclass(frozen=True, slots=True)
class ListArea:
    """What a resident is checked against: the list's area and its office's rules."""

    office_id: int
    kecamatan_id: int
    village_id: int
    village_name: str
    village_kind: str
    rw: str | None
    rt: str | None
    nik_prefix: str
    rule: RecordingRule

    @property
    def label(self) -> str:
        return area_label(self.village_kind, self.village_name, self.rw, self.rt)

    @property
    def village_label(self) -> str:
        return area_label(self.village_kind, self.village_name, None, None)


def area_label(kind: str, village: str, rw: str | None, rt: str | None) -> str:
    """ "Kel. Surodinawan RW 02 RT 03", "Desa Punggul RW 01"."""
    text = f"{'Desa' if kind == 'desa' else 'Kel.'} {village}"
    if rw:
        text += f" RW {rw}"
    if rt:
        text += f" RT {rt}"
    return text


async def list_area(lst: ResidentList) -> ListArea:
    village = (
        await Village.select(
            *columns(Village, "id name kind kecamatan"),
            Village.kecamatan.office.as_alias("office_id"),
        )
        .where(Village.id == fk_id(lst.village))
        .first()
    )
    offices = await load_offices([village["office_id"]]) if village else ()
    if village is None or not offices:
        raise NotFound()
    office = offices[0]
    rule = RecordingRule(
        min_years=office.min_age_years,
        min_months=office.min_age_months,
        area=office.short_name if office.has_own_min_age else "",
    )
    return ListArea(
        office_id=office.id,
        kecamatan_id=village["kecamatan"],
        village_id=village["id"],
        village_name=village["name"],
        village_kind=village["kind"],
        rw=lst.rw,
        rt=lst.rt,
        nik_prefix=office.nik_prefix,
        rule=rule,
    )

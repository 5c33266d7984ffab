"""Kecamatan and kelurahan/desa of the offices in scope, for filters, forms and lookups."""

from __future__ import annotations

from dataclasses import dataclass, field

from portal.tables.regions import Kecamatan, Village


@dataclass(frozen=True)
class VillageRef:
    id: int
    code: str
    name: str
    kind: str
    kecamatan_id: int


@dataclass
class KecamatanRef:
    id: int
    code: str
    name: str
    office_id: int
    villages: list[VillageRef] = field(default_factory=list)


@dataclass
class Regions:
    kecamatan: list[KecamatanRef]

    def kecamatan_by_code(self, code: str) -> KecamatanRef | None:
        return next((k for k in self.kecamatan if k.code == code), None)

    def village_by_code(self, code: str) -> VillageRef | None:
        return next((v for k in self.kecamatan for v in k.villages if v.code == code), None)

    def codes(self) -> set[str]:
        return {k.code for k in self.kecamatan} | {
            v.code for k in self.kecamatan for v in k.villages
        }

    def label(self, code: str) -> str:
        kec = self.kecamatan_by_code(code)
        if kec:
            return f"Kec. {kec.name}"
        village = self.village_by_code(code)
        if village:
            return f"{village.kind.capitalize()} {village.name}"
        return code


async def office_regions(office_ids: list[int]) -> Regions:
    kec_rows = (
        await Kecamatan.select(Kecamatan.id, Kecamatan.code, Kecamatan.name, Kecamatan.office)
        .where(Kecamatan.office.is_in(office_ids))
        .order_by(Kecamatan.name)
    )
    kecamatan = {
        r["id"]: KecamatanRef(r["id"], r["code"], r["name"], r["office"]) for r in kec_rows
    }
    if kecamatan:
        villages = (
            await Village.select(
                Village.id, Village.code, Village.name, Village.kind, Village.kecamatan
            )
            .where(Village.kecamatan.is_in(list(kecamatan)))
            .order_by(Village.name)
        )
        for v in villages:
            kecamatan[v["kecamatan"]].villages.append(
                VillageRef(v["id"], v["code"], v["name"], v["kind"], v["kecamatan"])
            )
    return Regions(list(kecamatan.values()))

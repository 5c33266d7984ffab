"""The office's "belum rekam" export as the e2e database stands, for the import browser test:
``python -m e2e.office_export OFFICE_SLUG`` prints a CSV of every current person in the
office's register (the people other browser tests use stay listed when the test uploads
it again with its own additions). Runs in the server's environment (same database)."""

from __future__ import annotations

import asyncio
import csv
import os
import sys


async def main(slug: str) -> None:
    os.environ.setdefault("PICCOLO_CONF", "portal.piccolo_conf")
    from portal.rules import office_rows
    from portal.tables.office_lists import OfficePerson
    from portal.tables.regions import Office

    office = await Office.objects().where(Office.slug == slug).first()
    people = (
        await OfficePerson.select(
            OfficePerson.nik,
            OfficePerson.full_name,
            OfficePerson.birth_date,
            OfficePerson.sex,
            OfficePerson.address,
            OfficePerson.rt,
            OfficePerson.rw,
            OfficePerson.village.name.as_alias("village"),
            OfficePerson.kecamatan.name.as_alias("kecamatan"),
        )
        .where(
            OfficePerson.office == office.id,
            OfficePerson.gone_import.is_null(),
            OfficePerson.nik.is_not_null(),
        )
        .order_by(OfficePerson.id)
    )
    out = csv.writer(sys.stdout)
    out.writerow(office_rows.TEMPLATE_HEADERS)
    for p in people:
        born = p["birth_date"].strftime("%d-%m-%Y") if p["birth_date"] else ""
        out.writerow(
            [
                p["nik"],
                p["full_name"],
                born,
                p["sex"] or "",
                p["address"],
                p["rt"] or "",
                p["rw"] or "",
                p["village"],
                p["kecamatan"],
            ]
        )


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))

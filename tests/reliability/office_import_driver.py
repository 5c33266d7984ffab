"""Drives an office import from outside the servers, through the service (the upload page
is the pages' branch): ``python -m tests.reliability.office_import_driver upload ROWS``
prints the import's public id; ``confirm PUBLIC_ID`` confirms it once it is read."""

from __future__ import annotations

import asyncio
import io
import sys
from datetime import date


async def _access():
    from portal.domain.scope import scope_for
    from portal.tables.accounts import User

    officer = await User.objects().where(User.username == "petugas.kota").first()
    return await scope_for(officer)


async def upload(rows: int) -> str:
    from bench.office_import import csv_of, people
    from portal.staff import office_imports
    from portal.tables.regions import Village

    villages = [
        (v["code"], v["name"], v["kec"])
        for v in await Village.select(
            Village.code, Village.name, Village.kecamatan.name.as_alias("kec")
        )
        .where(Village.kecamatan.office.slug == "kota")
        .order_by(Village.code)
    ]
    data = csv_of(people(rows, villages, {}))
    form = office_imports.UploadInput("belum-rekam.csv", io.BytesIO(data), len(data), date.today())
    return await office_imports.upload(await _access(), form)


async def confirm(public_id: str) -> None:
    from portal.staff import office_imports

    access = await _access()
    view = await office_imports.import_view(access, public_id)
    await office_imports.confirm(access, public_id, view.version)


if __name__ == "__main__":
    if sys.argv[1] == "upload":
        sys.stdout.write(asyncio.run(upload(int(sys.argv[2]))) + "\n")
    else:
        asyncio.run(confirm(sys.argv[2]))

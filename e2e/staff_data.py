"""Put a submitted coordinator list with residents into the e2e database and print their ids.

Staff browser tests need residents to triage; the coordinator's own forms have browser
tests of their own, so this writes the rows directly. Runs in the server's environment:
``python -m e2e.staff_data TAG [EXTRA]`` → JSON {"Name TAG": id, ...}; EXTRA more residents
("Warga Tambahan NN TAG") make the tag's results longer than a queue page. The tag keeps each
test's residents apart in the shared server database.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import uuid
from datetime import UTC, date, datetime

PEOPLE = (
    # name, NIK tail, category, flags
    ("Ani Rahayu", "0001", "pemula", {}),
    ("Budi Santoso", "0002", "dewasa", {"warn_nik": True}),
    ("Citra Lestari", "0003", "disabilitas", {}),
    ("Dewi Anggraini", "0004", "pemula", {"warn_duplicate": True}),
)


async def main(tag: str, extra: int = 0) -> None:
    os.environ.setdefault("PICCOLO_CONF", "portal.piccolo_conf")
    from portal.tables.accounts import User
    from portal.tables.regions import Village
    from portal.tables.residents import Resident, ResidentList

    coordinator = await User.objects().where(User.username == "rt03.surodinawan").first()
    village = await Village.objects().where(Village.id == coordinator.scope_village).first()
    now = datetime.now(UTC)
    lst = ResidentList(
        public_id=uuid.uuid4(),
        coordinator=coordinator.id,
        office=coordinator.office,
        village=village.id,
        rw="02",
        rt="03",
        title=f"Daftar RT 03 {tag}",
        state="submitted",
        created_at=now,
        updated_at=now,
        submitted_at=now,
    )
    await lst.save()
    serial = int(tag[-4:], 16) % 10000 if tag else 0
    ids = {}
    people = [
        *PEOPLE,
        *((f"Warga Tambahan {i:02d}", f"{1000 + i}", "dewasa", {}) for i in range(extra)),
    ]
    for name, tail, category, flags in people:
        full = f"{name} {tag}"
        row = Resident(
            resident_list=lst.id,
            office=lst.office,
            kecamatan=village.kecamatan,
            village=village.id,
            full_name=full,
            name_key=" ".join(full.lower().split()),
            nik=f"3576014101{serial % 100:02d}{tail}",
            birth_date=date(2008, 1, 1),
            sex="P",
            address="Jl. Surodinawan Gg. 3",
            rw="02",
            rt="03",
            category=category,
            status="diterima",
            created_at=now,
            updated_at=now,
            submitted_at=now,
            **flags,
        )
        await row.save()
        ids[full] = row.id
    print(json.dumps(ids))


if __name__ == "__main__":
    asyncio.run(
        main(sys.argv[1] if len(sys.argv) > 1 else "", int(sys.argv[2]) if len(sys.argv) > 2 else 0)
    )

"""Office exports in tests: CSV and XLSX bytes of fictitious people (portal.demo_office_list),
uploaded through the service and run through the job with ``run_pending``."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date

from openpyxl import Workbook

from portal import demo_office_list as demo
from portal.domain.scope import Scope, scope_for
from portal.staff import office_import_job, office_imports
from portal.staff.office_imports import UploadInput
from portal.tables.office_lists import OfficeImport, OfficePerson
from tests.integration import staff_fixtures as fx
from tests.integration.drive.office_fixtures import SURODINAWAN

HEADER = ("NIK", "NAMA_LGKP", "TGL_LHR", "JENIS_KLMIN", "ALAMAT", "RT", "RW", "KEL_NAME")


def line(p: demo.Person, village: str = "Surodinawan") -> list[str]:
    """A person as a SIAK export row (dates as DD-MM-YYYY, as the office writes them)."""
    birth = p.birth_date.strftime("%d-%m-%Y") if p.birth_date else ""
    place = [p.rt or "", p.rw or "", village]
    return [p.nik or "", p.full_name, birth, p.sex or "", p.address, *place]


def people(count: int, seed: int, *, rt: str = "03", rw: str = "02") -> list[demo.Person]:
    return demo.fake_people(
        count,
        kecamatan_code=SURODINAWAN.rsplit(".", 1)[0],
        village_name="Surodinawan",
        rw=rw,
        rts=(rt,),
        today=date.today(),
        seed=seed,
    )


def csv_of(rows: Iterable[Sequence[str]], header: Sequence[str] = HEADER) -> bytes:
    out = io.StringIO()
    for cells in (header, *rows):
        out.write(";".join(cells) + "\r\n")
    return out.getvalue().encode("utf-8")


def xlsx_of(rows: Iterable[Sequence[object]], header: Sequence[str] = HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for cells in rows:
        sheet.append(list(cells))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def officer_scope(slug: str = "kota") -> Scope:
    return await scope_for(await fx.staff(slug))


async def upload(
    access: Scope, data: bytes, filename: str = "belum-rekam.csv", **extra: object
) -> str:
    form = UploadInput(filename=filename, file=io.BytesIO(data), size=len(data), **extra)
    return await office_imports.upload(access, form)


async def run(worker: str = "uji") -> int:
    return await office_import_job.run_pending(worker)


async def imported(access: Scope, data: bytes, filename: str = "belum-rekam.csv") -> str:
    """Uploaded, read, confirmed and applied; → the import's public id."""
    public_id = await upload(access, data, filename)
    await run()
    view = await office_imports.import_view(access, public_id)
    assert view.state == "parsed", (view.state, view.problem)
    await office_imports.confirm(access, public_id, view.version)
    await run()
    assert (await office_imports.import_view(access, public_id)).state == "applied"
    return public_id


async def import_id(public_id: str) -> int:
    row = await OfficeImport.select(OfficeImport.id).where(OfficeImport.public_id == public_id)
    return row[0]["id"]


async def register(office_slug: str = "kota") -> dict[str, dict]:
    """NIK → the register row, of everyone the office's register holds."""
    office = await fx.office(office_slug)
    rows = await OfficePerson.select().where(OfficePerson.office == office.id)
    return {r["nik"]: r for r in rows}

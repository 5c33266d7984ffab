"""The office import pages through the test client (docs/drive.md §4, §6.1, §6.2): upload a
CSV with errors, the job reads it (``run_pending``, as `portal jobs --once` would), the
preview shows the counts and each error beside its row, the errors CSV, confirm, the job
applies it, and the coordinator's "Daftar dari kantor" lists the people. Around it: who may
see the pages, another office's import, CSRF, a stale form, the upload's size limits and
the htmx progress block."""

from __future__ import annotations

import csv
import io
from datetime import date

from portal import demo_office_list as demo
from portal.rules import office_rows
from portal.settings import get_settings
from portal.staff import office_import_job
from portal.tables.accounts import AuditEntry
from portal.tables.office_lists import OfficeImport, OfficePerson
from tests.integration import staff_fixtures as fx
from tests.integration.chunked import CHUNK, post_chunked
from tests.integration.coordinator.helpers import make_coordinator
from tests.integration.staff_client import csrf, page, post, text

IMPORTS = "/petugas/sisir"
UPLOAD = IMPORTS + "/unggah"
OFFICE_LIST = "/koordinator/daftar-kantor"
HTMX = {"HX-Request": "true"}


def people(count: int, seed: int) -> list[demo.Person]:
    return demo.fake_people(
        count,
        kecamatan_code="35.76.01",
        village_name="Surodinawan",
        rw="02",
        rts=("03",),
        today=date.today(),
        seed=seed,
    )


def csv_of(listed: list[demo.Person], extra: list[list[str]] = ()) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(office_rows.TEMPLATE_HEADERS)
    for p in listed:
        writer.writerow(
            [
                p.nik,
                p.full_name,
                p.birth_date.strftime("%d-%m-%Y") if p.birth_date else "",
                p.sex or "",
                p.address,
                p.rt or "",
                p.rw or "",
                "Surodinawan",
                "Prajuritkulon",
            ]
        )
    writer.writerows(extra)
    return out.getvalue().encode()


def bad_rows(good: demo.Person) -> list[list[str]]:
    """A NIK too short, an unknown kelurahan, and the first person's NIK again."""
    return [
        ["12345", "Salah Nik", "01-02-1990", "L", "Jl. Salah 1", "03", "02", "Surodinawan", ""],
        [
            demo.nik_for("35.76.01", date(1991, 3, 4), "P", 901),
            "Desa Tak Dikenal",
            "04-03-1991",
            "P",
            "Jl. Entah 2",
            "03",
            "02",
            "Kelurahan Antah Berantah",
            "Prajuritkulon",
        ],
        [good.nik or "", "Ulang Nik", "05-06-1992", "L", "Jl. Ulang 3", "03", "02", "Surodinawan"],
    ]


async def upload(client, content: bytes, name: str = "belum-rekam.csv", **fields):
    token = await csrf(client)
    return await client.post(
        UPLOAD,
        data={"tanggal": "2026-11-30", **fields},
        files={"berkas": (name, content, "text/csv")},
        headers={"x-csrftoken": token},
        follow_redirects=False,
    )


async def uploaded(client, content: bytes) -> str:
    """Upload and follow to the import page; → its path."""
    response = await upload(client, content)
    assert response.status_code == 303, response.text[:500]
    return response.headers["location"].split("?")[0]


def version_of(response) -> str:
    return page(response).select_one("input[name=versi]")["value"]


async def run_jobs() -> None:
    await office_import_job.run_pending("uji")


async def test_an_import_with_errors_from_upload_to_the_coordinators_list(
    client, login_as, officer
):
    listed = people(6, seed=71)
    here = await uploaded(client, csv_of(listed, bad_rows(listed[0])))
    shown = await client.get(here + "?pesan=sisir-diunggah")
    assert shown.status_code == 200
    assert "Berkas sudah diunggah" in shown.text
    progress = page(shown).select_one("#kemajuan")
    assert progress["data-hx-get"] == here and "delay:2s" in progress["data-hx-trigger"]
    assert progress.select_one("progress") is not None and not progress.select("[role=status]")
    assert "Muat ulang untuk melihat kemajuan" in text(progress)
    assert not page(shown).select("meta[http-equiv]")

    await run_jobs()
    preview = await client.get(here)
    assert preview.status_code == 200
    doc = page(preview)
    assert doc.select_one("#kemajuan [role=status]") is not None
    assert not doc.select_one("#kemajuan").has_attr("data-hx-trigger")  # polling stops
    counts = {li["class"][0]: text(li) for li in doc.select("ul.import-counts li")}
    # The repeated NIK leaves its first row valid: 6 people, 3 rows to fix.
    assert counts["count-baru"].startswith("6 ") and counts["count-galat"].startswith("3 ")
    assert counts["count-hilang"].startswith("0 ")
    errors = doc.select("#galat-judul ~ div table tbody tr")
    assert len(errors) == 3
    by_row = {text(r.select_one("td[data-label=Baris]")): r for r in errors}
    assert "NIK" in text(by_row["8"].select_one("td[data-label='Yang perlu diperbaiki']"))
    assert "Salah Nik" in text(by_row["8"].select_one("td[data-label='Isi di file']"))
    assert "Antah Berantah" in text(by_row["9"])
    assert "Kelurahan/desa" in text(
        by_row["9"].select_one("td[data-label='Yang perlu diperbaiki']")
    )
    assert listed[0].nik not in preview.text  # masked everywhere on the page

    new_rows = await client.get(here + "/baris?jenis=baru")
    assert new_rows.status_code == 200
    names = [text(td.select_one("strong")) for td in page(new_rows).select("td[data-label=Nama]")]
    assert sorted(names) == sorted(p.full_name for p in listed)
    assert listed[1].nik not in new_rows.text and "••••" in new_rows.text
    assert (await client.get(here + "/baris?jenis=entah")).status_code == 404

    exported = await client.get(here + "/galat.csv")
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Baris" and len(rows) == 4
    assert {r[1] for r in rows[1:]} >= {"12345", listed[0].nik}
    audited = await AuditEntry.select(AuditEntry.action, AuditEntry.detail).output(load_json=True)
    actions = [a["action"] for a in audited]
    assert "office_import.upload" in actions and "office_import.view_rows" in actions
    export = next(a for a in audited if a["action"] == "office_import.export_errors")
    assert export["detail"]["nik_revealed"] is True and listed[0].nik not in str(export)

    confirmed = await post(client, here + "/simpan", {"versi": version_of(preview)})
    assert confirmed.status_code == 303
    assert "pesan=sisir-disimpan" in confirmed.headers["location"]
    assert "Sedang disimpan" in (await client.get(confirmed.headers["location"])).text
    await run_jobs()
    done = await client.get(here)
    assert "Selesai" in text(page(done).select_one("#kemajuan [role=status]"))
    assert not page(done).select("input[name=versi]")  # nothing left to decide
    register = await OfficePerson.select(OfficePerson.full_name)
    assert sorted(r["full_name"] for r in register) == sorted(p.full_name for p in listed)

    listing = await client.get(IMPORTS)
    assert listing.status_code == 200
    past = page(listing).select("tbody tr")
    assert len(past) == 1 and "belum-rekam.csv" in text(past[0]) and "Selesai" in text(past[0])

    await login_as(await make_coordinator("rt03.sisir"))
    theirs = await client.get(OFFICE_LIST)
    assert theirs.status_code == 200
    for p in listed:
        assert p.full_name in theirs.text
    assert "Salah Nik" not in theirs.text


async def test_htmx_polling_gets_the_progress_block_then_a_fresh_load(client, officer):
    here = await uploaded(client, csv_of(people(3, seed=72)))
    polled = await client.get(here, headers=HTMX)
    assert polled.status_code == 200
    assert polled.text.lstrip().startswith("<section") and "<html" not in polled.text
    assert "Menu petugas" not in polled.text and 'id="kemajuan"' in polled.text
    assert "HX-Redirect" not in polled.headers and "hx-request" in polled.headers["vary"].lower()
    await run_jobs()
    # Done: htmx loads the page afresh at its plain address (the upload's message dropped).
    finished = await client.get(here + "?pesan=sisir-diunggah", headers=HTMX)
    assert finished.headers.get("HX-Redirect") == here
    assert 'role="status"' in finished.text and "data-hx-trigger" not in finished.text
    full = await client.get(here)
    assert "HX-Redirect" not in full.headers and "<html" in full.text


async def test_the_same_file_again_is_pointed_out_and_one_import_at_a_time(client, officer):
    content = csv_of(people(3, seed=73))
    first = await uploaded(client, content)
    second = await upload(client, content)
    assert second.status_code == 409
    assert "Masih ada impor yang belum selesai" in second.text
    assert 'value="2026-11-30"' in second.text  # what was typed is kept
    await run_jobs()
    preview = await client.get(first)
    cancelled = await post(client, first + "/batal", {"versi": version_of(preview)})
    assert cancelled.status_code == 303 and "sisir-dibatalkan" in cancelled.headers["location"]
    again = await uploaded(client, content)
    shown = await client.get(again)
    assert "File yang sama persis sudah pernah diunggah" in shown.text
    assert first in shown.text


async def test_a_file_that_cannot_be_used_is_refused_beside_the_file_field(client, officer):
    refused = await upload(client, b"bukan,tabel\nsama,sekali\n", tanggal="2026-11-30")
    assert refused.status_code == 400
    doc = page(refused)
    field = doc.select_one("#berkas").find_parent("div", class_="field")
    assert "has-error" in field["class"] and field.select_one(".error-message")
    assert doc.select_one(".error-summary a[href='#berkas']") is not None
    assert doc.select_one("#tanggal")["value"] == "2026-11-30"
    wrong_type = await upload(client, b"MZ\x90\x00", name="data.exe")
    assert wrong_type.status_code == 400 and ".csv atau .xlsx" in wrong_type.text
    future = await upload(client, csv_of(people(1, seed=74)), tanggal="2999-01-01")
    assert future.status_code == 400 and "sesudah hari ini" in future.text
    typo = await upload(client, csv_of(people(1, seed=74)), tanggal="31-02-2026")
    assert typo.status_code == 400 and "bukan tanggal yang benar" in typo.text
    assert page(typo).select_one("#tanggal")["value"] == "31-02-2026"
    assert await OfficeImport.count() == 0


async def test_a_stale_confirm_gets_the_conflict_message(client, officer):
    here = await uploaded(client, csv_of(people(2, seed=75)))
    await run_jobs()
    preview = await client.get(here)
    version = version_of(preview)
    assert (await post(client, here + "/batal", {"versi": version})).status_code == 303
    stale = await post(client, here + "/simpan", {"versi": version})
    assert stale.status_code == 409
    assert "sudah berubah sejak halaman dibuka" in stale.text
    row = await OfficeImport.select(OfficeImport.state).first()
    assert row["state"] == "cancelled"


async def test_only_staff_of_the_office_reach_the_pages(client, login_as, officer):
    here = await uploaded(client, csv_of(people(2, seed=76)))
    await run_jobs()
    version = version_of(await client.get(here))
    # The other office: every page and action of this import is "not found".
    await login_as(await fx.staff("kabupaten"))
    for path in (here, here + "/baris?jenis=baru", here + "/galat.csv"):
        assert (await client.get(path)).status_code == 404, path
    assert (await post(client, here + "/simpan", {"versi": version})).status_code == 404
    assert (await client.get(IMPORTS)).status_code == 200
    assert "belum-rekam.csv" not in (await client.get(IMPORTS)).text
    # A coordinator is refused; an anonymous visitor is sent to sign in.
    await login_as(await make_coordinator("rt03.bukan-petugas"))
    assert (await client.get(IMPORTS)).status_code == 403
    assert (await client.get(here)).status_code == 403
    client.cookies.clear()
    anonymous = await client.get(IMPORTS, follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/masuk")
    assert await OfficeImport.count().where(OfficeImport.state == "parsed") == 1


async def test_an_upload_needs_the_csrf_token(client, officer):
    refused = await client.post(
        UPLOAD,
        data={"tanggal": "2026-11-30"},
        files={"berkas": ("a.csv", csv_of(people(1, seed=77)), "text/csv")},
    )
    assert refused.status_code == 403
    assert await OfficeImport.count() == 0


async def test_the_upload_takes_more_than_other_forms_but_only_from_staff(
    client, login_as, officer
):
    settings = get_settings()
    token = await csrf(client)
    headers = {"x-csrftoken": token, "Content-Type": "text/plain"}
    # Staff: over the everyday 3 MiB but under the import limit reaches the handler.
    bigger = b"x" * (settings.max_body_bytes + 1)
    passed = await client.post(UPLOAD, content=bigger, headers=headers)
    assert passed.status_code == 400 and "Pilih file" in passed.text
    over = await client.post(
        UPLOAD, content=b"x" * (settings.max_import_bytes + 1), headers=headers
    )
    assert over.status_code == 413 and "Berkas data kantor paling besar 32 MB" in over.text
    # Anyone else is held to the everyday limit on that path too, before it is read.
    await login_as(await make_coordinator("rt03.besar"))
    coordinator = await client.post(UPLOAD, content=bigger, headers=headers)
    assert coordinator.status_code == 413 and "3 MB" in coordinator.text
    client.cookies.clear()
    anonymous = await client.post(UPLOAD, content=bigger, headers={"Content-Type": "text/plain"})
    assert anonymous.status_code == 413
    assert await OfficeImport.count() == 0


async def test_the_template_and_the_menu(client, officer):
    template = await client.get(IMPORTS + "/templat.csv")
    assert template.status_code == 200
    header = template.content.decode("utf-8-sig").splitlines()[0]
    assert header.split(",") == list(office_rows.TEMPLATE_HEADERS)
    shown = await client.get(IMPORTS)
    menu = page(shown).select_one("nav.staff-nav a[aria-current=page]")
    assert text(menu) == "Sisir data" and menu["href"] == IMPORTS
    tabs = [text(a) for a in page(shown).select("nav.status-tabs a")]
    assert tabs == ["Impor data kantor", "Laporan dari RT", "Cakupan"]
    for path in (IMPORTS + "/laporan", IMPORTS + "/cakupan"):
        assert "Impor data kantor" in (await client.get(path)).text


async def test_the_demo_imports_read_sensibly(client, login_as):
    """`portal demo-data`: each office's applied import shows on its page with the people
    it brought in, and its summary opens."""
    from portal import demo as demo_data
    from portal.tables.accounts import User

    await demo_data._demo_accounts()
    await demo.load()
    for username in ("petugas.kota", "petugas.kab"):
        officer = await User.objects().where(User.username == username).first()
        await login_as(officer)
        shown = await client.get(IMPORTS)
        rows = page(shown).select("tbody tr")
        assert len(rows) == 1 and demo.DEMO_FILENAME in text(rows[0]), username
        listed = await OfficePerson.count().where(OfficePerson.office == officer.office)
        assert listed > 0
        assert text(rows[0].select_one("td[data-label=Baru]")) == str(listed)
        assert text(rows[0].select_one("td[data-label=Baris]")) == str(listed)
        assert "Selesai" in text(rows[0]) and "data per" in text(rows[0])
        detail = await client.get(rows[0].select_one("a")["href"])
        assert detail.status_code == 200 and "Ringkasan impor" in detail.text


async def test_a_chunked_upload_from_anyone_but_staff_stops_at_the_everyday_limit(
    app, client, login_as
):
    """No Content-Length, and the CSRF token in the body (not a header), so CSRF reads the
    form: the gate counts the bytes and stops at 3 MiB for a coordinator, though the route
    itself would read 32 MiB for staff."""
    await login_as(await make_coordinator("rt03.potong"))
    await client.get("/koordinator")  # a session and a CSRF cookie, as a browser has
    limit = get_settings().max_body_bytes
    result = await post_chunked(app, "POST", UPLOAD, client, limit // len(CHUNK) + 2)
    assert result.status == 413
    assert result.chunks_read * len(CHUNK) <= limit + len(CHUNK)


async def test_an_admin_names_the_office_the_file_is_for(client, login_as):
    await login_as(await fx.admin())
    content = csv_of(people(2, seed=78))
    unnamed = await upload(client, content)
    assert unnamed.status_code == 400
    field = page(unnamed).select_one("#kantor-unggah").find_parent("div", class_="field")
    assert "Pilih kantor" in text(field.select_one(".error-message"))
    assert page(unnamed).select_one(".error-summary a[href='#kantor-unggah']") is not None
    named = await upload(client, content, kantor="kabupaten")
    assert named.status_code == 303
    row = await OfficeImport.select(OfficeImport.office.slug.as_alias("slug")).first()
    assert row["slug"] == "kabupaten"
    listing = await client.get(IMPORTS + "?kantor=kabupaten")
    assert "belum-rekam.csv" in listing.text
    assert "belum-rekam.csv" not in (await client.get(IMPORTS + "?kantor=kota")).text

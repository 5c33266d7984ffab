"""Staff-maintained public content: locations, hours, special days, requirements, figures."""

from datetime import date

from portal.tables.accounts import AuditEntry
from portal.tables.content import PublishedFigure, Requirement, SiteRevision
from portal.tables.locations import Location, OpeningHours, SpecialDay
from portal.tables.regions import Office
from tests.integration import staff_fixtures as fx
from tests.integration.staff_client import page, post, text


async def revision() -> int:
    return (await SiteRevision.select(SiteRevision.revision).first())["revision"]


async def office_id(slug: str) -> int:
    return (await Office.select(Office.id).where(Office.slug == slug).first())["id"]


async def a_location(slug: str) -> dict:
    return await (
        Location.select()
        .where(Location.office == await office_id(slug))
        .order_by(Location.id)
        .first()
    )


async def restore_location(row: dict) -> None:
    """Reference content is loaded once per run: put back what a test changed."""
    await Location.update({Location.name: row["name"], Location.notes: row["notes"]}).where(
        Location.id == row["id"]
    )


async def test_location_preview_then_save_changes_the_public_site(client, login_as):
    await login_as(await fx.staff("kota"))
    loc = await a_location("kota")
    try:
        form = page(await client.get(f"/petugas/konten/lokasi/{loc['id']}"))
        assert form.select_one("#name")["value"] == loc["name"]
        data = {
            "name": "MPP Uji Pratinjau",
            "kind": loc["kind"],
            "address": "Jl. Uji 1",
            "services": ["perekaman", "aktivasi_ikd"],
            "notes": "Bawa KK asli",
            "checked_on": "2026-11-01",
            "active": "1",
            "aksi": "pratinjau",
        }
        before = await revision()
        preview = await post(client, f"/petugas/konten/lokasi/{loc['id']}", data)
        assert preview.status_code == 200
        box = page(preview).select_one("section.preview")
        assert "MPP Uji Pratinjau" in text(box) and "Aktivasi IKD" in text(box)
        assert (await fx.fresh_row(Location, loc["id"]))["name"] == loc["name"]
        assert await revision() == before

        saved = await post(
            client, f"/petugas/konten/lokasi/{loc['id']}", {**data, "aksi": "simpan"}
        )
        assert saved.status_code == 303
        row = await fx.fresh_row(Location, loc["id"])
        assert row["name"] == "MPP Uji Pratinjau" and row["checked_on"] == date(2026, 11, 1)
        assert await revision() == before + 1
        assert await AuditEntry.count().where(AuditEntry.action == "content_location_updated") == 1
        assert "lihat di situs publik" in (await client.get(saved.headers["location"])).text.lower()

        bad = await post(
            client, f"/petugas/konten/lokasi/{loc['id']}", {**data, "name": "", "services": []}
        )
        assert bad.status_code == 422
        assert "Tulis nama lokasi" in bad.text and "minimal satu layanan" in bad.text
    finally:
        await restore_location(loc)


async def test_opening_hours_and_special_days(client, login_as):
    await login_as(await fx.staff("kota"))
    loc = await a_location("kota")
    old_hours = await OpeningHours.select().where(OpeningHours.location == loc["id"])
    try:
        bad = await post(
            client,
            f"/petugas/konten/lokasi/{loc['id']}/jam",
            {"opens_0": "08:00", "closes_0": "07:00", "opens_1": "8"},
        )
        assert bad.status_code == 422 and "harus sesudah jam buka" in bad.text
        ok = await post(
            client,
            f"/petugas/konten/lokasi/{loc['id']}/jam",
            {
                "opens_0": "08:00",
                "closes_0": "15:00",
                "opens_4": "08:00",
                "closes_4": "11:00",
                "note_4": "Jumat pendek",
            },
        )
        assert ok.status_code == 303
        hours = (
            await OpeningHours.select()
            .where(OpeningHours.location == loc["id"])
            .order_by(OpeningHours.weekday)
        )
        assert [(h["weekday"], h["note"]) for h in hours] == [(0, ""), (4, "Jumat pendek")]

        before = await revision()
        missing = await post(
            client, f"/petugas/konten/lokasi/{loc['id']}/hari-khusus", {"day": "2027-02-14"}
        )
        assert missing.status_code == 422
        added = await post(
            client,
            f"/petugas/konten/lokasi/{loc['id']}/hari-khusus",
            {"day": "2027-02-14", "closed": "1", "note": "Hari pemungutan suara"},
        )
        assert added.status_code == 303 and await revision() == before + 1
        day = await SpecialDay.select().where(SpecialDay.note == "Hari pemungutan suara").first()
        assert day["closed"] is True and day["day"] == date(2027, 2, 14)
        removed = await post(
            client, f"/petugas/konten/lokasi/{loc['id']}/hari-khusus/{day['id']}/hapus"
        )
        assert removed.status_code == 303
        assert not await SpecialDay.exists().where(SpecialDay.id == day["id"])
    finally:
        await OpeningHours.delete().where(OpeningHours.location == loc["id"])
        for h in old_hours:
            h.pop("id")
            await OpeningHours.insert(OpeningHours(**h))


async def test_requirements_own_office_only_and_shared_items_for_admin(client, login_as):
    await login_as(await fx.staff("kota"))
    shared = await Requirement.select().where(Requirement.office.is_null()).first()
    kab_item = (
        await Requirement.select().where(Requirement.office == await office_id("kabupaten")).first()
    )
    if shared:
        assert (await client.get(f"/petugas/konten/persyaratan/{shared['id']}")).status_code == 404
    if kab_item:
        assert (
            await client.get(f"/petugas/konten/persyaratan/{kab_item['id']}")
        ).status_code == 404
    data = {
        "topic": "dokumen",
        "title": "Bawa fotokopi KK",
        "body": "Paragraf satu.\n\nParagraf dua.",
        "source": "Dispendukcapil Kota",
        "position": "5",
        "aksi": "pratinjau",
    }
    preview = await post(client, "/petugas/konten/persyaratan/baru", data)
    assert preview.status_code == 200
    assert len(page(preview).select("section.preview article p")) >= 2
    assert not await Requirement.exists().where(Requirement.title == "Bawa fotokopi KK")
    try:
        created = await post(client, "/petugas/konten/persyaratan/baru", {**data, "aksi": "simpan"})
        assert created.status_code == 303
        item = await Requirement.select().where(Requirement.title == "Bawa fotokopi KK").first()
        assert item["office"] == await office_id("kota") and item["slug"] == "bawa-fotokopi-kk"
        edited = await post(
            client,
            f"/petugas/konten/persyaratan/{item['id']}",
            {**data, "title": "Bawa KK asli", "aksi": "simpan"},
        )
        assert edited.status_code == 303
        assert (await fx.fresh_row(Requirement, item["id"]))["title"] == "Bawa KK asli"
    finally:
        await Requirement.delete().where(Requirement.slug.like("bawa-fotokopi-kk%"))
    if shared:
        await login_as(await fx.admin())
        assert (await client.get(f"/petugas/konten/persyaratan/{shared['id']}")).status_code == 200


async def test_figures_create_edit_delete(client, login_as):
    await login_as(await fx.staff("kabupaten"))
    data = {
        "label": "Pemilih pemula belum rekam",
        "value": "1.234",
        "unit": "orang",
        "as_of": "2026-10-31",
        "source": "Dispendukcapil Kabupaten",
        "position": "90",
    }
    bad = await post(client, "/petugas/konten/angka/baru", {**data, "value": "banyak"})
    assert bad.status_code == 422 and "harus angka bulat" in bad.text
    before = await revision()
    created = await post(client, "/petugas/konten/angka/baru", data)
    assert created.status_code == 303 and await revision() == before + 1
    fig = (
        await PublishedFigure.select()
        .where(PublishedFigure.label == "Pemilih pemula belum rekam")
        .first()
    )
    assert fig["value"] == 1234 and fig["office"] == await office_id("kabupaten")
    await post(client, f"/petugas/konten/angka/{fig['id']}", {**data, "value": "1200"})
    assert (await fx.fresh_row(PublishedFigure, fig["id"]))["value"] == 1200
    await login_as(await fx.staff("kota"))
    assert (await client.get(f"/petugas/konten/angka/{fig['id']}")).status_code == 404
    assert (await post(client, f"/petugas/konten/angka/{fig['id']}/hapus")).status_code == 404
    await login_as(await fx.staff("kabupaten"))
    deleted = await post(client, f"/petugas/konten/angka/{fig['id']}/hapus")
    assert deleted.status_code == 303
    assert not await PublishedFigure.exists().where(PublishedFigure.id == fig["id"])


async def test_content_index_lists_only_own_office(client, login_as):
    await login_as(await fx.staff("kota"))
    response = await client.get("/petugas/konten")
    kab = await a_location("kabupaten")
    kota = await a_location("kota")
    assert kota["name"] in response.text and kab["name"] not in response.text
    assert (await client.get(f"/petugas/konten/lokasi/{kab['id']}")).status_code == 404

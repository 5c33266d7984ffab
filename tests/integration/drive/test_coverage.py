"""Staff coverage of the office's list: counts per kecamatan, kelurahan/desa and RT, RTs no
coordinator covers, and reminders for coordinators who have not opened their list (gone
once they open it; no resident data in the message)."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import unquote

from portal import demo_office_list as demo
from portal.tables.office_lists import OfficePerson
from tests.integration import staff_fixtures as fx
from tests.integration.coordinator.helpers import make_coordinator
from tests.integration.drive import office_fixtures as office
from tests.integration.staff_client import page, text

COVERAGE = "/petugas/sisir/cakupan"


def table(response) -> dict[str, dict[str, str]]:
    """{first cell: {column label: cell text}} of the coverage table."""
    rows = {}
    for tr in page(response).select("tbody tr"):
        cells = {td["data-label"]: text(td) for td in tr.select("td")}
        rows[next(iter(cells.values()))] = cells
    return rows


def reminders(response) -> dict[str, str]:
    """{coordinator name: the message} of the reminder cards."""
    return {
        text(card.select_one("h3")): card.select_one("textarea").get_text()
        for card in page(response).select("li.card")
    }


async def drive() -> dict:
    kota = await office.office_import("kota")
    rt03 = await office.people_in(kota, office.SURODINAWAN, "02", "03", count=4)
    rt04 = await office.people_in(kota, office.SURODINAWAN, "02", "04", count=3)
    wates = await office.people_in(kota, office.WATES, "01", "01", count=2)
    gone = await office.people_in(kota, office.WATES, "01", "02", count=1)
    await OfficePerson.update(
        {OfficePerson.gone_import: kota, OfficePerson.gone_at: datetime.now(UTC)}
    ).where(OfficePerson.id == gone[0])
    kab = await office.office_import("kabupaten")
    await office.people_in(kab, office.TAWANGREJO, "01", "01", count=5)
    head = await make_coordinator("rt03.cakupan")
    cadre = await make_coordinator("pkk.cakupan", office.WATES, rw=None, rt=None)
    # A coordinator of an RT nobody is listed in is not asked to open anything.
    await make_coordinator("rt09.cakupan", office.SURODINAWAN, rw="09", rt="09")
    await demo.mark_as_found(rt03[0], "pindah", head.id, detail="Ke Surabaya")
    await demo.mark_as_found(rt03[1], "meninggal", head.id)
    return {"rt03": rt03, "rt04": rt04, "wates": wates, "head": head, "cadre": cadre}


async def test_counts_per_kecamatan_village_and_rt(client, login_as):
    await drive()
    await login_as(await fx.staff("kota"))
    top = await client.get(COVERAGE)
    assert top.status_code == 200
    rows = table(top)
    assert set(rows) == {"Kec. Prajuritkulon", "Kec. Magersari"}
    prajurit = rows["Kec. Prajuritkulon"]
    assert prajurit["Terdaftar"] == "7" and prajurit["Sudah dicek"].startswith("2")
    assert prajurit["Sudah pindah"] == "1" and prajurit["Meninggal"] == "1"
    assert prajurit["Tanpa koordinator"] == "3"
    assert rows["Kec. Magersari"]["Terdaftar"] == "2"  # the person gone from the export is not
    assert "2 dari 9 orang sudah dicek" in text(page(top))
    assert "3 orang tinggal di RT yang belum punya koordinator" in top.text

    villages = table(await client.get(COVERAGE + "?kecamatan=35.76.01"))
    assert villages["Kelurahan Surodinawan"]["Terdaftar"] == "7"
    rts = table(await client.get(f"{COVERAGE}?kecamatan=35.76.01&kelurahan={office.SURODINAWAN}"))
    assert rts["RW 02 / RT 03"]["Terdaftar"] == "4"
    assert rts["RW 02 / RT 03"]["Koordinator"] == "Koordinator rt03.cakupan"
    assert rts["RW 02 / RT 04"]["Koordinator"] == "Tanpa koordinator"
    # The other office's people are not counted here, and Kabupaten staff see only theirs.
    await login_as(await fx.staff("kabupaten"))
    theirs = table(await client.get(COVERAGE))
    assert set(theirs) == {"Kec. Jatirejo"} and theirs["Kec. Jatirejo"]["Terdaftar"] == "5"


async def test_reminders_for_coordinators_who_have_not_opened_their_list(client, login_as):
    people = await drive()
    await login_as(await fx.staff("kota"))
    shown = await client.get(COVERAGE)
    waiting = reminders(shown)
    assert set(waiting) == {"Koordinator rt03.cakupan", "Koordinator pkk.cakupan"}
    message = waiting["Koordinator rt03.cakupan"]
    assert "Kel. Surodinawan RW 02 RT 03" in message and "2 nama belum dicek" in message
    assert "/koordinator/daftar-kantor" in message
    share = page(shown).select_one("a[href^='https://wa.me/?text=']")["href"]
    assert "Yth." in unquote(share)
    names_and_niks = await OfficePerson.select(OfficePerson.full_name, OfficePerson.nik)
    for sent in [*waiting.values(), unquote(share)]:
        for row in names_and_niks:
            assert row["full_name"] not in sent and row["nik"] not in sent
    # The RT head opens the list: they are no longer reminded, and counted as opened.
    await login_as(people["head"])
    assert (await client.get("/koordinator/daftar-kantor")).status_code == 200
    await login_as(await fx.staff("kota"))
    after = await client.get(COVERAGE)
    assert set(reminders(after)) == {"Koordinator pkk.cakupan"}
    assert "1 koordinator sudah membuka daftarnya" in after.text
    # A drill-down keeps only the coordinators of that part.
    magersari = await client.get(COVERAGE + "?kecamatan=35.76.02")
    assert set(reminders(magersari)) == {"Koordinator pkk.cakupan"}


async def test_coverage_before_any_import(client, login_as):
    await login_as(await fx.staff("kota"))
    shown = await client.get(COVERAGE)
    assert shown.status_code == 200 and "Belum ada data belum rekam dari kantor" in shown.text
    assert "Sisir data" in shown.text

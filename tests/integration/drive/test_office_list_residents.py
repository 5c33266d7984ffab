""" "Masih tinggal di sini": office people become residents of the coordinator's draft list
through the existing batch preview (consent for a minor, the office's NIK never shown) and
its confirm, which links them back; one of them then follows the normal loop to "sudah
rekam"."""

from __future__ import annotations

import re
from datetime import date

from portal import demo_office_list as demo
from portal.clock import today_local
from portal.rules.ages import add_years
from portal.rules.dates import format_month_year_id
from portal.tables.accounts import AuditEntry
from portal.tables.office_lists import OfficePerson
from portal.tables.residents import ImportBatch, Resident, ResidentList
from tests.integration import staff_fixtures as fx
from tests.integration.coordinator.helpers import Browser, make_coordinator, page
from tests.integration.drive import office_fixtures as office
from tests.integration.staff_client import post, text

LIST = "/koordinator/daftar-kantor"
ADULT = "Slamet Riyadi Uji"
MINOR = "Ayu Kusuma Uji"


async def two_who_still_live_here() -> tuple[int, int]:
    kota = await office.office_import()
    adult = office.someone(ADULT, date(1979, 8, 17), "L", serial=41, address="Jl. Kenari No. 4")
    minor_birth = add_years(today_local(), -17).replace(day=1)
    minor = office.someone(MINOR, minor_birth, "P", serial=42, address="Jl. Kenari No. 4")
    ids = await demo.add_people(kota, office.SURODINAWAN, [adult, minor])
    return ids[0], ids[1]


def batch_path(location: str) -> str:
    assert re.search(r"/koordinator/impor/[0-9a-f-]{36}$", location), location
    return location


async def test_still_living_here_becomes_a_resident_through_the_preview(client, login_as):
    await through_the_preview(client, login_as)


async def through_the_preview(client, login_as):
    adult_id, minor_id = await two_who_still_live_here()
    coordinator = await make_coordinator("rt03.tinggal")
    await login_as(coordinator)
    me = Browser(client)
    niks = {r["id"]: r["nik"] for r in await OfficePerson.select(OfficePerson.id, OfficePerson.nik)}
    ticked = await office.picks(adult_id, minor_id)
    marked = await me.post(LIST + "/tandai", {"pilih": ticked, "hasil": "tinggal", "_token": "t1"})
    assert marked.status_code == 303
    preview_url = batch_path(marked.headers["location"])
    # A double tap lands on the same preview, and makes no second batch.
    again = await me.post(LIST + "/tandai", {"pilih": ticked, "hasil": "tinggal", "_token": "t1"})
    assert again.headers["location"] == preview_url
    assert await ImportBatch.count() == 1

    shown = await client.get(preview_url)
    assert shown.status_code == 200
    assert "Daftar dari kantor" in shown.text and "tidak perlu diketik ulang" in shown.text
    assert ADULT in shown.text and MINOR in shown.text
    assert all(nik not in shown.text for nik in niks.values())  # masked, as on every row
    # The minor waits for the guardian's consent.
    assert "Warga ini belum 18 tahun" in shown.text and "1</strong> perlu diperbaiki" in shown.text
    draft = await ResidentList.objects().first()
    assert draft.title == f"Dari daftar kantor {format_month_year_id(today_local())}"
    assert (draft.rw, draft.rt, draft.state) == ("02", "03", "draft")

    # Fixing the minor's row: the office's NIK is not in the form, and is kept.
    fix_link = page(shown).find("a", string=re.compile("Perbaiki baris"))
    fix = await client.get(fix_link["href"])
    assert niks[minor_id] not in fix.text
    assert niks[minor_id][:4] + "••••••••" + niks[minor_id][-4:] in fix.text
    form = page(fix).select_one("form.resident-form")
    fields = {i["name"]: i.get("value", "") for i in form.select("input") if i.get("name")}
    fields.update(sex="P", guardian_consent="on", category="pemula")
    fixed = await me.post(form["action"], fields)
    assert fixed.status_code == 303
    checked_again = await client.get(preview_url)
    assert "Warga ini belum 18 tahun" not in checked_again.text
    assert "2</strong> siap disimpan" in checked_again.text

    confirmed = await me.post(preview_url + "/simpan")
    assert confirmed.status_code == 303
    residents = {r["full_name"]: r for r in await Resident.select()}
    assert set(residents) == {ADULT, MINOR}
    adult = residents[ADULT]
    assert adult["nik"] == niks[adult_id] and adult["birth_date"] == date(1979, 8, 17)
    assert (adult["sex"], adult["address"], adult["rw"], adult["rt"]) == (
        "L",
        "Jl. Kenari No. 4",
        "02",
        "03",
    )
    assert residents[MINOR]["nik"] == niks[minor_id] and residents[MINOR]["guardian_consent"]
    assert {r["status"] for r in residents.values()} == {"draft"}
    linked = {r["id"]: r["resident"] for r in await OfficePerson.select()}
    assert linked == {adult_id: adult["id"], minor_id: residents[MINOR]["id"]}
    link = await AuditEntry.select().where(AuditEntry.action == "office_person.link")
    assert len(link) == 1 and niks[adult_id] not in str(link[0]["detail"])

    # The list and the person page say so; the finding is fixed now.
    listed = await client.get(LIST + "?tampil=semua")
    assert "Sudah masuk daftar warga" in listed.text
    assert not page(listed).select(f"#pilih-{adult_id}")
    person_page = await client.get(f"{LIST}/{adult_id}")
    assert f"/koordinator/daftar/{draft.public_id}" in person_page.text
    refused = await me.post(f"{LIST}/{adult_id}", {"versi": "3", "hasil": "pindah"})
    assert refused.status_code == 409

    return draft, residents


async def test_a_resident_from_the_office_list_goes_on_to_sudah_rekam(client, login_as):
    draft, _ = await through_the_preview(client, login_as)
    me = Browser(client)
    list_url = f"/koordinator/daftar/{draft.public_id}"
    token = page(await me.get(list_url)).select_one("input[name=submit_token]")["value"]
    assert (await me.post(list_url + "/kirim", {"submit_token": token})).status_code == 303

    await login_as(await fx.staff("kota"))
    queue = page(await client.get("/petugas/antrian"))
    pick = {
        b["aria-label"].removeprefix("Pilih "): b["value"]
        for b in queue.select("input[name=pilih]")
    }
    verified = await post(
        client, "/petugas/antrian/massal", {"aksi": "verifikasi", "pilih": [pick[ADULT]]}
    )
    assert verified.status_code == 303 and "ok=1" in verified.headers["location"]
    session = await fx.session(day=today_local(), areas=(office.SURODINAWAN,))
    queue = page(await client.get("/petugas/antrian?status=diverifikasi"))
    pick = {
        b["aria-label"].removeprefix("Pilih "): b["value"]
        for b in queue.select("input[name=pilih]")
    }
    scheduled = await post(
        client,
        "/petugas/antrian/massal",
        {"aksi": "jadwalkan", "pilih": [pick[ADULT]], "sesi": str(session.id)},
    )
    assert scheduled.status_code == 303 and "ok=1" in scheduled.headers["location"]
    roster = page(await client.get(f"/petugas/jadwal/{session.id}"))
    key = next(
        row.select_one("input[type=radio]")["name"]
        for row in roster.select("table.roster tbody tr:not(.group)")
        if ADULT in text(row)
    )
    attended = await post(client, f"/petugas/jadwal/{session.id}/kehadiran", {key: "ya"})
    assert attended.status_code == 303
    adult = await Resident.objects().where(Resident.full_name == ADULT).first()
    assert adult.status == "sudah_rekam" and adult.recorded_on == today_local()
    # Still the office person's resident: the report's road ends in a recording.
    assert await OfficePerson.exists().where(OfficePerson.resident == adult.id)


async def test_a_discarded_preview_leaves_the_person_waiting(client, login_as):
    adult_id, _ = await two_who_still_live_here()
    await login_as(await make_coordinator("rt03.batal"))
    me = Browser(client)
    ticked = await office.picks(adult_id)
    marked = await me.post(LIST + "/tandai", {"pilih": ticked, "hasil": "tinggal"})
    preview_url = batch_path(marked.headers["location"])
    assert (await me.post(preview_url + "/batal")).status_code == 303
    listed = await client.get(LIST + "?tampil=semua")
    assert "1 orang ditandai masih tinggal di sini tetapi belum masuk daftar warga" in listed.text
    assert "Belum masuk daftar warga" in (await client.get(f"{LIST}/{adult_id}")).text
    # "Masih tinggal" again from the person page makes a new batch to confirm.
    version = (await office.person(adult_id))["version"]
    again = await me.post(f"{LIST}/{adult_id}", {"versi": str(version), "hasil": "tinggal"})
    second = batch_path(again.headers["location"])
    assert second != preview_url
    assert (await me.post(second + "/simpan")).status_code == 303
    assert (await office.person(adult_id))["resident"] is not None

"""After recording, through the staff pages: a card state is born with the recording, then
printed (one blank), collected in person, or a Suket; IKD beside it; a print taken back;
every refusal says why and stores nothing."""

from __future__ import annotations

from portal.clock import today_local
from portal.tables.accounts import AuditEntry
from portal.tables.cards import CardState
from portal.tables.residents import Resident
from tests.integration import staff_fixtures as fx
from tests.integration.drive import cards_fixtures as cx
from tests.integration.staff_client import page, post, text

MPP = "Mal Pelayanan Publik (MPP) Gajah Mada"  # the Kota's main location, from the facts


def moving(card: dict, action: str, **more) -> dict:
    return {"versi": card["version"], "tindakan": action, **more}


async def act(client, person, action: str, **more):
    card = await cx.card(person)
    return await post(
        client, f"/petugas/pasca-rekam/warga/{person.id}", moving(card, action, **more)
    )


async def audited(action: str) -> int:
    return await AuditEntry.count().where(AuditEntry.action == action)


async def test_every_road_to_recorded_gives_a_waiting_card(client, officer):
    lst = await fx.submitted_list(await fx.coordinator("kota"))
    by_page, at_session, verified = await fx.residents(lst, 3, status="diverifikasi")
    response = await post(
        client,
        f"/petugas/warga/{by_page.id}/rekam",
        {"versi": by_page.version, "tanggal_rekam": cx.TODAY.isoformat(), "tempat_rekam": "MPP"},
    )
    assert response.status_code == 303
    s = await fx.session("kota", day=cx.TODAY)
    await fx.schedule(officer, [at_session], s.id)
    version = (await fx.fresh(at_session))["version"]
    came = await post(
        client, f"/petugas/jadwal/{s.id}/kehadiran", {f"hadir-{at_session.id}.{version}": "ya"}
    )
    assert came.status_code == 303
    assert (await fx.fresh(at_session))["status"] == "sudah_rekam"
    states = {r["resident"]: r["state"] for r in await CardState.select()}
    assert states == {by_page.id: "menunggu_cetak", at_session.id: "menunggu_cetak"}
    assert verified.id not in states  # not recorded: no card
    shown = await client.get(f"/petugas/warga/{by_page.id}")
    panel = page(shown).select_one("#kartu")
    assert "Menunggu cetak" in text(panel) and "IKD belum diaktifkan" in text(panel)
    assert page(await client.get(f"/petugas/warga/{verified.id}")).select_one("#kartu") is None


async def test_print_then_collect_in_person(client, officer):
    (person,) = await cx.recorded(officer)
    await cx.stock(10)
    printed = await act(client, person, "dicetak", tempat_ambil="")
    assert printed.status_code == 303 and printed.headers["location"].endswith("#kartu")
    card = await cx.card(person)
    assert (card["state"], card["pickup_place"], card["printed_by"]) == ("dicetak", MPP, officer.id)
    assert await cx.balance() == 9 == await cx.ledger_sum()
    [blank] = await cx.movements("cetak")
    assert (blank["quantity"], blank["balance_after"], blank["resident"]) == (-1, 9, person.id)
    shown = await client.get(printed.headers["location"])
    assert "Warga ditandai KTP-el-nya dicetak." in text(page(shown).select_one(".notice"))
    assert f"siap diambil di {MPP}" in text(page(shown).select_one("#kartu"))

    not_in_person = await act(client, person, "diambil")
    assert not_in_person.status_code == 422
    doc = page(not_in_person)
    assert "pemiliknya sendiri" in text(doc.select_one("#kartu .error-message"))
    assert doc.select_one(".error-summary a[href='#datang_sendiri']")
    assert (await cx.card(person))["state"] == "dicetak"
    collected = await act(client, person, "diambil", datang_sendiri="1")
    assert collected.status_code == 303
    card = await cx.card(person)
    assert (card["state"], card["collected_in_person"]) == ("diambil", True)
    assert card["collected_by"] == officer.id
    assert await audited("card.move") == 2
    assert await cx.balance() == 9  # collecting uses no blank


async def test_a_print_with_no_blank_left_points_to_a_suket(client, officer):
    (person,) = await cx.recorded(officer)
    refused = await act(client, person, "dicetak")
    assert refused.status_code == 409
    assert "Blangko habis" in refused.text and "Terbitkan Suket" in refused.text
    assert (await cx.card(person))["state"] == "menunggu_cetak"
    assert await cx.movements() == [] and await audited("card.move") == 0
    suket = await act(client, person, "suket")
    assert suket.status_code == 303
    assert (await cx.card(person))["state"] == "suket"
    await cx.stock(1)
    assert (await act(client, person, "dicetak")).status_code == 303
    card = await cx.card(person)
    assert card["state"] == "dicetak" and card["suket_at"] is not None
    assert await cx.balance() == 0 == await cx.ledger_sum()


async def test_printing_waits_for_the_17th_birthday_unless_married(client, officer):
    await cx.stock(5)
    young = cx.born_years_ago(17, days=30)  # 17 in a month
    (waiting,) = await cx.recorded(officer, birth_date=young)
    (married,) = await cx.recorded(officer, birth_date=young, married=True)
    refused = await act(client, waiting, "dicetak")
    assert refused.status_code == 409
    assert "Belum 17 tahun" in refused.text
    assert f"{cx.add_years(young, 17).day} " in refused.text  # the date it may be printed
    assert (await cx.card(waiting))["state"] == "menunggu_cetak"
    panel = text(page(await client.get(f"/petugas/warga/{waiting.id}")).select_one("#kartu"))
    assert "Belum 17 tahun" in panel
    assert (await act(client, married, "dicetak")).status_code == 303
    assert await cx.balance() == 4


async def test_a_print_is_taken_back_with_a_reason_and_returns_its_blank(client, officer):
    await cx.stock(3)
    (person, had_suket) = await cx.recorded(officer, 2)
    await act(client, person, "dicetak")
    await act(client, had_suket, "suket")
    await act(client, had_suket, "dicetak")
    assert await cx.balance() == 1
    undo = f"/petugas/pasca-rekam/warga/{person.id}/batal-cetak"
    card = await cx.card(person)
    no_reason = await post(client, undo, {"versi": card["version"], "alasan_batal_cetak": " "})
    assert no_reason.status_code == 422 and "Tulis alasan pembatalan cetak" in no_reason.text
    assert (await cx.card(person))["state"] == "dicetak"
    stale = await post(client, undo, {"versi": card["version"] - 1, "alasan_batal_cetak": "x"})
    assert stale.status_code == 409 and "baru saja diubah" in stale.text
    done = await post(
        client, undo, {"versi": card["version"], "alasan_batal_cetak": "Salah centang"}
    )
    assert done.status_code == 303
    card = await cx.card(person)
    assert (card["state"], card["printed_at"], card["pickup_place"]) == ("menunggu_cetak", None, "")
    assert card["note"] == "Cetak dibatalkan: Salah centang"
    [back] = await cx.movements("koreksi")
    assert (back["quantity"], back["resident"], back["balance_after"]) == (1, person.id, 2)
    assert await cx.balance() == 2 == await cx.ledger_sum()
    assert await audited("card.undo_print") == 1
    second = await cx.card(had_suket)
    await post(client, f"/petugas/pasca-rekam/warga/{had_suket.id}/batal-cetak",
               {"versi": second["version"], "alasan_batal_cetak": "Kartu rusak"})  # fmt: skip
    assert (await cx.card(had_suket))["state"] == "suket"  # the Suket still stands
    await act(client, had_suket, "dicetak")
    await act(client, had_suket, "diambil", datang_sendiri="1")
    collected = await cx.card(had_suket)
    gone = await post(client, f"/petugas/pasca-rekam/warga/{had_suket.id}/batal-cetak",
                      {"versi": collected["version"], "alasan_batal_cetak": "x"})  # fmt: skip
    assert gone.status_code == 409 and "Hanya KTP-el" in gone.text
    assert (await cx.card(had_suket))["state"] == "diambil"


async def test_ikd_is_independent_of_the_card(client, officer):
    (person,) = await cx.recorded(officer)
    assert (await act(client, person, "ikd")).status_code == 303
    card = await cx.card(person)
    assert card["state"] == "menunggu_cetak" and card["ikd_activated_at"] is not None
    twice = await act(client, person, "ikd")
    assert twice.status_code == 409 and "sudah aktif" in twice.text
    assert (await act(client, person, "ikd_batal")).status_code == 303
    assert (await cx.card(person))["ikd_activated_at"] is None
    assert await audited("card.ikd") == 2
    assert await cx.movements() == []


async def test_a_stale_card_is_a_conflict(client, officer):
    (person,) = await cx.recorded(officer)
    card = await cx.card(person)
    stale = await post(
        client, f"/petugas/pasca-rekam/warga/{person.id}", moving(card, "suket", versi=0)
    )
    assert stale.status_code == 409 and "baru saja diubah petugas lain" in stale.text
    assert (await cx.card(person))["state"] == "menunggu_cetak"


async def test_bulk_moves_report_what_was_done_and_skipped(client, officer):
    await cx.stock(10)
    adults = await cx.recorded(officer, 3)
    (young,) = await cx.recorded(officer, birth_date=cx.born_years_ago(16))
    await act(client, adults[2], "dicetak")  # already printed: skipped
    cards = {p.id: await cx.card(p) for p in (*adults, young)}
    picks = [f"{rid}.{c['version']}" for rid, c in cards.items()]
    picks[1] = f"{adults[1].id}.0"  # someone changed it meanwhile
    back = "/petugas/pasca-rekam?keadaan=menunggu_cetak"
    response = await post(
        client,
        "/petugas/pasca-rekam/ubah",
        {"tindakan": "dicetak", "pilih": picks, "kembali": back},
    )
    assert response.status_code == 303
    location = response.headers["location"]
    assert location.startswith(back) and "ok=1" in location and "lewat=2" in location
    assert "bentrok=1" in location
    notice = text(page(await client.get(location)).select_one(".notice"))
    assert "1 warga ditandai KTP-el-nya dicetak." in notice
    assert "2 warga dilewati" in notice and "1 warga dilewati karena baru saja diubah" in notice
    assert (await cx.card(adults[0]))["state"] == "dicetak"
    assert (await cx.card(young))["state"] == "menunggu_cetak"
    assert await cx.balance() == 8 == await cx.ledger_sum()


async def test_bulk_refusals_say_why_and_store_nothing(client, officer):
    people = await cx.recorded(officer, 3)
    picks = [f"{p.id}.1" for p in people]
    await cx.stock(2)
    short = await post(client, "/petugas/pasca-rekam/ubah", {"tindakan": "dicetak", "pilih": picks})
    assert short.status_code == 303 and "pesan=blangko-kurang" in short.headers["location"]
    notice = text(page(await client.get(short.headers["location"])).select_one(".notice"))
    assert "Stok blangko tinggal 2" in notice and "tidak ada yang dicetak" in notice
    assert await CardState.count().where(CardState.state == "dicetak") == 0
    assert await cx.balance() == 2 and await cx.movements("cetak") == []
    assert await audited("card.move") == 0
    for form, code in (
        ({"tindakan": "dicetak"}, "kosong"),
        ({"pilih": picks}, "aksi"),
        ({"tindakan": "diambil", "pilih": picks}, "kartu-datang-sendiri"),
    ):
        refused = await post(client, "/petugas/pasca-rekam/ubah", form)
        assert f"pesan={code}" in refused.headers["location"]
    ikd = await post(client, "/petugas/pasca-rekam/ubah", {"tindakan": "ikd", "pilih": picks})
    assert "pesan=kartu-ikd" in ikd.headers["location"] and "ok=3" in ikd.headers["location"]


async def test_the_listing_filters_and_pages_in_sql(client, officer):
    await cx.stock(5)
    many = await cx.recorded(officer, 52)
    await cx.recorded(await fx.staff("kabupaten"), 2, office="kabupaten")
    await act(client, many[0], "dicetak")
    await act(client, many[1], "ikd")
    first = page(await client.get("/petugas/pasca-rekam"))
    assert "52 warga cocok" in text(first.select_one(".result-line"))
    assert len(first.select("table.queue tbody tr")) == 50
    second = page(await client.get("/petugas/pasca-rekam?halaman=2"))
    assert len(second.select("table.queue tbody tr")) == 2
    counts = text(first.select_one("ul.counts"))
    assert "51 menunggu cetak" in counts and "1 ktp-el dicetak" in counts
    assert "1 IKD aktif" in counts
    printed = page(await client.get("/petugas/pasca-rekam?keadaan=dicetak"))
    assert [text(a) for a in printed.select("tbody td[data-label=Nama] a")] == [many[0].full_name]
    ikd = page(await client.get("/petugas/pasca-rekam?ikd=sudah"))
    assert [text(a) for a in ikd.select("tbody td[data-label=Nama] a")] == [many[1].full_name]
    elsewhere = page(await client.get(f"/petugas/pasca-rekam?desa={fx.KOTA_OTHER_VILLAGE}"))
    assert "0 warga cocok" in text(elsewhere.select_one(".result-line"))
    nik = many[2].nik
    assert nik not in (await client.get("/petugas/pasca-rekam")).text  # masked


async def test_another_offices_cards_are_out_of_reach(client, officer):
    (theirs,) = await cx.recorded(await fx.staff("kabupaten"), office="kabupaten")
    await cx.stock(5, "kabupaten")
    await cx.stock(5)
    card = await cx.card(theirs)
    single = await post(client, f"/petugas/pasca-rekam/warga/{theirs.id}", moving(card, "dicetak"))
    assert single.status_code == 404
    undo = await post(
        client,
        f"/petugas/pasca-rekam/warga/{theirs.id}/batal-cetak",
        {"versi": card["version"], "alasan_batal_cetak": "x"},
    )
    assert undo.status_code == 404
    bulk = await post(
        client,
        "/petugas/pasca-rekam/ubah",
        {"tindakan": "dicetak", "pilih": [f"{theirs.id}.{card['version']}"]},
    )
    assert "ok=" not in bulk.headers["location"]
    assert (await cx.card(theirs))["state"] == "menunggu_cetak"
    assert await cx.balance("kabupaten") == 5 and await cx.balance() == 5
    assert theirs.full_name not in (await client.get("/petugas/pasca-rekam")).text


async def test_a_coordinator_cannot_reach_the_pages(client, login_as):
    (person,) = await cx.recorded(await fx.staff("kota"))
    await login_as(await fx.coordinator("kota"))
    assert (await client.get("/petugas/pasca-rekam", follow_redirects=False)).status_code in (
        302,
        303,
        403,
    )
    moved = await post(client, f"/petugas/pasca-rekam/warga/{person.id}", {"tindakan": "suket"})
    assert moved.status_code in (302, 303, 403)
    assert (await cx.card(person))["state"] == "menunggu_cetak"


async def test_the_card_panel_shows_what_happened(client, officer):
    await cx.stock(1)
    (person,) = await cx.recorded(officer)
    await act(client, person, "dicetak", tempat_ambil="Kantor Kelurahan Surodinawan")
    panel = page(await client.get(f"/petugas/warga/{person.id}")).select_one("#kartu")
    assert "KTP-el dicetak" in text(panel)
    assert "siap diambil di Kantor Kelurahan Surodinawan" in text(panel)
    assert panel.select_one("form[action$='/batal-cetak']")
    assert not panel.select_one("input[name=tempat_ambil]")  # printed: no second print
    row = await Resident.select(Resident.status).where(Resident.id == person.id).first()
    assert row["status"] == "sudah_rekam"
    assert today_local() == cx.TODAY

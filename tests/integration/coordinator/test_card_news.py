"""What a coordinator is told after recording: the status line says where the KTP-el is
(waiting, ready to collect where, collected, a Suket) and whether IKD is active; the
message to pass on names whose card is ready and where, with no NIK or birth date."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import unquote

from portal.clock import today_local
from portal.domain.actor import Actor
from portal.domain.scope import scope_for
from portal.domain.transactions import write_transaction
from portal.staff import after_recording, card_stock, triage
from portal.staff.after_recording import MoveInput
from portal.tables.cards import CardState
from portal.tables.residents import Resident
from tests.integration.coordinator.helpers import make_staff, page, resident_fields


async def _recorded_list(browser, *names: str) -> tuple[str, dict[str, int]]:
    url = await browser.new_list()
    for n, name in enumerate(names):
        fields = resident_fields(name=name, nik=f"35760117089000{n + 1:02d}", dob_year="1990")
        assert (await browser.add(url, **fields)).status_code == 303
    await browser.post(url + "/kirim", {"submit_token": "tok-cards-" + url[-8:]})
    await Resident.update({Resident.status: "diverifikasi"}).where(Resident.status == "diterima")
    ids = {r["full_name"]: r["id"] for r in await Resident.select(Resident.id, Resident.full_name)}
    return url, ids


async def _staff_scope():
    return await scope_for(await make_staff())


async def _move(access, resident_id: int, *actions: str, place: str = "") -> None:
    for action in actions:
        version = (await CardState.select().where(CardState.resident == resident_id).first())[
            "version"
        ]
        form = MoveInput(tindakan=action, datang_sendiri=True, tempat_ambil=place)
        outcome = await after_recording.move(
            access, [(resident_id, version)], action, form, today_local()
        )
        assert outcome.done == [resident_id], (action, outcome)


async def test_the_status_line_follows_the_card(browser):
    url, ids = await _recorded_list(browser, "Ani", "Budi", "Citra", "Dedi", "Eka")
    access = await _staff_scope()
    versions = {r["id"]: r["version"] for r in await Resident.select(Resident.id, Resident.version)}
    items = [(rid, versions[rid]) for name, rid in ids.items() if name != "Eka"]
    day = today_local().isoformat()
    await triage.mark_recorded(access, items, day, "MPP Gajah Mada", today_local())
    async with write_transaction():
        await card_stock.move_stock(
            Actor.system("test"),
            access.offices[0].id,
            "masuk",
            10,
            day=today_local(),
            moment=datetime.now(UTC),
        )
    await _move(access, ids["Budi"], "dicetak", "ikd", place="Kantor Kelurahan Surodinawan")
    await _move(access, ids["Citra"], "dicetak", "diambil")
    await _move(access, ids["Dedi"], "suket")
    lines = {
        li.select_one("a").get_text(strip=True): li.get_text(" ", strip=True)
        for li in page(await browser.get(url)).select("ol.residents > li")
    }
    assert "Sudah rekam KTP-el (" in lines["Ani"] and "KTP-el menunggu dicetak" in lines["Ani"]
    assert "KTP-el siap diambil di Kantor Kelurahan Surodinawan · IKD aktif" in lines["Budi"]
    assert "KTP-el sudah diambil" in lines["Citra"]
    assert "Suket diterbitkan" in lines["Dedi"]
    assert "KTP-el" not in lines["Eka"].replace("rekam KTP-el", "")  # not recorded: no card news
    detail = await browser.get(f"{url}/warga/{ids['Budi']}")
    assert "KTP-el siap diambil di Kantor Kelurahan Surodinawan" in detail.text


async def test_the_message_names_whose_card_is_ready_and_where(browser):
    url, ids = await _recorded_list(browser, "budi", "Ani", "Citra")
    assert "Pesan jadwal untuk warga" not in (await browser.get(url)).text
    access = await _staff_scope()
    versions = {r["id"]: r["version"] for r in await Resident.select(Resident.id, Resident.version)}
    day = today_local().isoformat()
    await triage.mark_recorded(
        access, [(i, versions[i]) for i in ids.values()], day, "MPP", today_local()
    )
    # Recorded but not printed: nothing to pass on yet.
    assert "Pesan jadwal untuk warga" not in (await browser.get(url)).text
    async with write_transaction():
        await card_stock.move_stock(
            Actor.system("test"),
            access.offices[0].id,
            "masuk",
            5,
            day=today_local(),
            moment=datetime.now(UTC),
        )
    await _move(access, ids["budi"], "dicetak")
    await _move(access, ids["Ani"], "dicetak")
    await _move(access, ids["Citra"], "dicetak", "diambil")  # collected: no longer waiting
    doc = page(await browser.get(url))
    message = doc.select_one("textarea#schedule-message").text
    blocks = message.split("\n\n")
    assert blocks[0] == "Kabar KTP-el untuk warga Kel. Surodinawan RW 02 RT 03:"
    place = "Mal Pelayanan Publik (MPP) Gajah Mada"
    assert blocks[1].splitlines() == [
        f"KTP-el sudah dicetak dan siap diambil di {place} (diambil sendiri oleh pemiliknya):",
        "- Ani",
        "- budi",
    ]
    assert blocks[2] == "Pengambilan KTP-el gratis dan tidak bisa diwakilkan."
    assert "Citra" not in message
    assert "3576" not in message and "1990" not in message and "17 Agustus" not in message
    share = doc.find("a", string="Kirim lewat WhatsApp")["href"]
    assert unquote(share[20:]) == message
    dashboard = page(await browser.get("/koordinator"))
    assert dashboard.select("a[href$='#pesan-jadwal']")

"""Blank-card stock per office: deliveries, spoiled blanks, counter prints and recounts, the
ledger that always sums to the balance, the reorder warning at the threshold, weeks left,
the office scope, and two prints of the last blank at the same moment."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import httpx

from portal.domain.actor import Actor
from portal.domain.transactions import write_transaction
from portal.staff import card_stock
from portal.tables.accounts import AuditEntry
from portal.tables.cards import CardState, CardStock
from tests.conftest import ENGINE
from tests.integration import staff_fixtures as fx
from tests.integration.drive import cards_fixtures as cx
from tests.integration.staff_client import csrf, page, post, text


def delivery(**changes) -> dict:
    return {
        "jumlah": "4.000",
        "tanggal": cx.TODAY.isoformat(),
        "nomor_surat": "B/470/12/2026",
        **changes,
    }


async def test_a_delivery_is_checked_then_recorded(client, officer):
    bad = await post(
        client,
        "/petugas/blangko/masuk",
        delivery(
            jumlah="empat ribu", tanggal=(cx.TODAY + timedelta(days=1)).isoformat(), nomor_surat=""
        ),
    )
    assert bad.status_code == 422
    doc = page(bad)
    summary = text(doc.select_one(".error-summary"))
    assert "Jumlah blangko harus angka" in summary
    assert "tidak boleh di masa depan" in summary and "nomor surat" in summary
    assert doc.select_one("#jumlah")["value"] == "empat ribu"  # what was typed stays
    assert await cx.movements() == [] and await AuditEntry.count() == 0
    done = await post(client, "/petugas/blangko/masuk", delivery())
    assert done.status_code == 303
    shown = page(await client.get(done.headers["location"]))
    assert "Kiriman blangko dicatat" in text(shown.select_one(".notice"))
    assert "4.000" in text(shown.select_one(".stock-figure"))
    ledger = text(shown.select_one("section[aria-labelledby=ledger-title] table"))
    assert "Kiriman blangko masuk" in ledger and "B/470/12/2026" in ledger and "+4.000" in ledger
    [entry] = (
        await AuditEntry.select()
        .where(AuditEntry.action == "card_stock.delivery")
        .output(load_json=True)
    )
    assert entry["detail"]["amount"] == 4000 and entry["detail"]["balance_after"] == 4000


async def test_the_ledger_always_sums_to_the_balance(client, officer):
    steps = [
        ("/petugas/blangko/masuk", delivery(jumlah="100"), 100),
        ("/petugas/blangko/koreksi", {"jenis": "rusak", "banyak": "3", "alasan": "Gagal"}, 97),
        ("/petugas/blangko/koreksi", {"jenis": "cetak", "banyak": "40", "alasan": "Loket"}, 57),
        ("/petugas/blangko/koreksi", {"jenis": "koreksi", "banyak": "-7", "alasan": "Hitung"}, 50),
        ("/petugas/blangko/koreksi", {"jenis": "koreksi", "banyak": "2", "alasan": "Hitung"}, 52),
    ]
    for path, form, expected in steps:
        assert (await post(client, path, form)).status_code == 303
        assert await cx.balance() == expected == await cx.ledger_sum()
    (person,) = await cx.recorded(officer)
    await cx.print_card(client, person)
    assert await cx.balance() == 51 == await cx.ledger_sum()
    after = [m["balance_after"] for m in await cx.movements()]
    assert after == [100, 97, 57, 50, 52, 51]


async def test_an_adjustment_cannot_take_more_than_the_stock(client, officer):
    await cx.stock(10)
    too_many = await post(
        client, "/petugas/blangko/koreksi", {"jenis": "rusak", "banyak": "11", "alasan": "x"}
    )
    assert too_many.status_code == 422 and "Stok tinggal 10 blangko" in too_many.text
    no_note = await post(client, "/petugas/blangko/koreksi", {"jenis": "rusak", "banyak": "1"})
    assert no_note.status_code == 422 and "Tulis alasannya" in no_note.text
    no_kind = await post(client, "/petugas/blangko/koreksi", {"banyak": "1", "alasan": "x"})
    assert no_kind.status_code == 422 and "Pilih jenis" in no_kind.text
    minus = await post(
        client, "/petugas/blangko/koreksi", {"jenis": "rusak", "banyak": "-1", "alasan": "x"}
    )
    assert minus.status_code == 422
    assert await cx.balance() == 10 and len(await cx.movements()) == 1


async def dashboard_warning(client) -> str:
    panel = page(await client.get("/petugas")).select_one("section[aria-labelledby=stock-title]")
    warning = panel.select_one(".notice")
    return text(warning) if warning else ""


async def test_the_warning_shows_at_exactly_the_threshold(client, officer):
    await cx.stock(501)
    assert await dashboard_warning(client) == ""
    (person,) = await cx.recorded(officer)
    await cx.print_card(client, person)
    assert await cx.balance() == 500
    warning = await dashboard_warning(client)
    assert "Stok blangko tinggal 500, sudah di batas pesan ulang (500)" in warning
    lowered = await post(client, "/petugas/blangko/batas", {"batas": "499"})
    assert lowered.status_code == 303
    assert await dashboard_warning(client) == ""
    bad = await post(client, "/petugas/blangko/batas", {"batas": "lima ratus"})
    assert bad.status_code == 422 and "Batas pesan ulang harus angka" in bad.text
    row = await CardStock.select(CardStock.reorder_at).first()
    assert row["reorder_at"] == 499
    assert await AuditEntry.count().where(AuditEntry.action == "card_stock.threshold") == 1
    listing = await client.get("/petugas/pasca-rekam")
    assert "Tawarkan IKD" not in listing.text
    await post(client, "/petugas/blangko/batas", {"batas": "500"})
    assert "Tawarkan IKD lebih dulu" in (await client.get("/petugas/pasca-rekam")).text


async def test_weeks_left_follow_the_last_four_weeks_of_use(client, officer):
    await cx.stock(1000)
    page_text = text(page(await client.get("/petugas/blangko")).select_one("main"))
    assert "belum bisa dihitung" in page_text
    office = await cx.office_id()
    async with write_transaction():
        for days_ago, used in ((40, 500), (20, 200), (3, 80)):  # the first is outside the window
            day = cx.TODAY - timedelta(days=days_ago)
            await card_stock.move_stock(
                Actor.system("test"),
                office,
                "cetak",
                -used,
                day=day,
                moment=datetime.now(UTC),
            )
    # 280 used in 28 days: 70 a week; 220 left: a little over 3 weeks.
    shown = text(page(await client.get("/petugas/blangko")).select_one("main"))
    assert "280 blangko (sekitar 70 per minggu)" in shown
    assert "sekitar 3 minggu" in shown
    assert "Stok blangko tinggal 220" in shown


async def test_each_office_sees_and_changes_its_own_stock(client, login_as):
    await cx.stock(700, "kabupaten")
    await login_as(await fx.staff("kota"))
    posted = await post(client, "/petugas/blangko/masuk", delivery(jumlah="5", kantor="kabupaten"))
    assert posted.status_code == 303  # a staff member's office choice is ignored: their own
    assert await cx.balance() == 5 and await cx.balance("kabupaten") == 700
    shown = text(page(await client.get("/petugas/blangko")).select_one("main"))
    assert "700" not in shown


async def test_an_admin_chooses_the_office(client, login_as):
    await cx.stock(700, "kabupaten")
    await cx.stock(480)
    await login_as(await fx.admin())
    both = page(await client.get("/petugas/blangko"))
    assert not both.select_one("form[action$='/blangko/masuk']")
    assert "Pilih kantor" in text(both.select_one("main"))
    panel = text(
        page(await client.get("/petugas")).select_one("section[aria-labelledby=stock-title]")
    )
    assert "700" in panel and "480" in panel and "Segera pesan blangko" in panel
    kab = page(await client.get("/petugas/blangko?kantor=kabupaten"))
    assert (
        kab.select_one("form[action$='/blangko/masuk'] input[name=kantor]")["value"] == "kabupaten"
    )
    done = await post(client, "/petugas/blangko/masuk", delivery(jumlah="10", kantor="kabupaten"))
    assert done.status_code == 303 and "kantor=kabupaten" in done.headers["location"]
    assert await cx.balance("kabupaten") == 710 and await cx.balance() == 480
    nowhere = await post(client, "/petugas/blangko/masuk", delivery(jumlah="10"))
    assert nowhere.status_code == 404


async def print_both(client, app, people: list, cards: list[dict]) -> list:
    """Two prints posted at the same moment. The test client runs each request to its end
    on a loop of its own, one after the other; an ASGI client on this loop lets the app
    serve both side by side, as two workers' requests would be."""
    token = await csrf(client)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver.local", cookies=client.cookies
    ) as side_by_side:
        return await asyncio.gather(
            *[
                side_by_side.post(
                    f"/petugas/pasca-rekam/warga/{p.id}",
                    data={"versi": c["version"], "tindakan": "dicetak"},
                    headers={"x-csrftoken": token},
                )
                for p, c in zip(people, cards, strict=True)
            ]
        )


async def test_two_prints_of_the_last_blank_cannot_both_pass(client, app, officer, monkeypatch):
    """Two officers print at the same moment with one blank left. On PostgreSQL both
    transactions are held open until each has read the stock and reached its UPDATE (a
    barrier), so only the conditional UPDATE can stop the second; SQLite's IMMEDIATE
    transaction lets only one writer in at a time."""
    first, second = await cx.recorded(officer, 2)
    await cx.stock(1)
    cards = [await cx.card(p) for p in (first, second)]
    if ENGINE == "postgres":
        barrier = asyncio.Barrier(2)
        change = card_stock._change_balance

        async def together(*args, **kwargs):
            await asyncio.wait_for(barrier.wait(), 10)
            return await change(*args, **kwargs)

        monkeypatch.setattr(card_stock, "_change_balance", together)
    responses = await print_both(client, app, [first, second], cards)
    assert sorted(r.status_code for r in responses) == [303, 409]
    refused = next(r for r in responses if r.status_code == 409)
    assert "Blangko habis" in refused.text
    assert await cx.balance() == 0 == await cx.ledger_sum()
    assert len(await cx.movements("cetak")) == 1
    assert await CardState.count().where(CardState.state == "dicetak") == 1


async def test_the_race_is_real_without_the_conditional_update(client, app, officer, monkeypatch):
    """The test above can fail: a read-then-write check in place of the conditional UPDATE
    lets both prints of the last blank through on PostgreSQL (the same barrier). SQLite
    serialises the writers, so there the stock stays right even then."""
    first, second = await cx.recorded(officer, 2)
    await cx.stock(1)
    cards = [await cx.card(p) for p in (first, second)]
    barrier = asyncio.Barrier(2)

    async def read_then_write(office_id, quantity, moment):
        await card_stock._ensure_row(office_id, moment)
        balance = await card_stock.balance_of(office_id)  # both read 1
        if ENGINE == "postgres":
            await asyncio.wait_for(barrier.wait(), 10)
        if balance + quantity < 0:
            return None
        await CardStock.update({CardStock.balance: balance + quantity}).where(
            CardStock.office == office_id
        )
        return balance + quantity

    monkeypatch.setattr(card_stock, "_change_balance", read_then_write)
    responses = await print_both(client, app, [first, second], cards)
    printed = await CardState.count().where(CardState.state == "dicetak")
    if ENGINE == "postgres":
        assert [r.status_code for r in responses] == [303, 303] and printed == 2
        assert await cx.ledger_sum() == -1  # two blanks given from a stock of one
    else:
        assert sorted(r.status_code for r in responses) == [303, 409] and printed == 1

"""A card move, a stock change and a target commit with their audit line or not at all:
when the audit line cannot be written, neither the move nor its stock movement is stored."""

from __future__ import annotations

import pytest

from portal.tables.accounts import AuditEntry
from portal.tables.cards import CardState, CardStock
from portal.tables.targets import OfficeMonthTally, OfficeTarget
from tests.integration import staff_fixtures as fx
from tests.integration.drive import cards_fixtures as cx
from tests.integration.staff_client import post
from tests.integration.test_staff_audit import AuditDown


@pytest.fixture
def audit_down(monkeypatch):
    from portal.domain import audit

    def take_down():
        async def refuse(*args, **kwargs):
            raise AuditDown("the audit log cannot be written")

        monkeypatch.setattr(audit, "record", refuse)

    return take_down


async def test_a_print_without_its_audit_line_stores_neither_card_nor_blank(
    client, officer, audit_down
):
    people = await cx.recorded(officer, 2)
    await cx.stock(5)
    audit_down()
    entries = await AuditEntry.count()
    for path, form in (
        (f"/petugas/pasca-rekam/warga/{people[0].id}", {"versi": 1, "tindakan": "dicetak"}),
        (
            "/petugas/pasca-rekam/ubah",
            {"tindakan": "dicetak", "pilih": [f"{p.id}.1" for p in people]},
        ),
    ):
        assert (await post(client, path, form)).status_code == 500
    assert await CardState.count().where(CardState.state == "dicetak") == 0
    assert await cx.balance() == 5 and len(await cx.movements()) == 1  # the delivery only
    assert (await CardStock.select(CardStock.version).first())["version"] == 2
    assert await AuditEntry.count() == entries


async def test_an_undo_without_its_audit_line_keeps_the_print(client, officer, audit_down):
    (person,) = await cx.recorded(officer)
    await cx.stock(1)
    await post(
        client, f"/petugas/pasca-rekam/warga/{person.id}", {"versi": 1, "tindakan": "dicetak"}
    )
    audit_down()
    undo = await post(
        client,
        f"/petugas/pasca-rekam/warga/{person.id}/batal-cetak",
        {"versi": 2, "alasan_batal_cetak": "Salah"},
    )
    assert undo.status_code == 500
    assert (await cx.card(person))["state"] == "dicetak"
    assert await cx.balance() == 0 and await cx.movements("koreksi") == []


async def test_a_recording_without_its_audit_line_makes_no_card(client, officer, audit_down):
    lst = await fx.submitted_list(await fx.coordinator("kota"))
    r = await fx.resident(lst, status="diverifikasi")
    audit_down()
    form = {"versi": r.version, "tanggal_rekam": cx.TODAY.isoformat(), "tempat_rekam": "MPP"}
    assert (await post(client, f"/petugas/warga/{r.id}/rekam", form)).status_code == 500
    assert (await fx.fresh(r))["status"] == "diverifikasi"
    assert await CardState.count() == 0


async def test_stock_and_target_changes_without_their_audit_line_store_nothing(
    client, officer, audit_down
):
    audit_down()
    for path, form in (
        (
            "/petugas/blangko/masuk",
            {"jumlah": "10", "tanggal": cx.TODAY.isoformat(), "nomor_surat": "x"},
        ),
        ("/petugas/blangko/koreksi", {"jenis": "koreksi", "banyak": "5", "alasan": "x"}),
        ("/petugas/blangko/batas", {"batas": "300"}),
        ("/petugas/target", {"tahun": str(cx.TODAY.year), "wajib_ktp": "1000", "persen_ikd": "25"}),
        ("/petugas/target/bulan", {"bulan": cx.TODAY.isoformat()[:7], "ikd": "5"}),
    ):
        assert (await post(client, path, form)).status_code == 500, path
    assert await CardStock.count() == 0 and await cx.movements() == []
    assert await OfficeTarget.count() == 0 and await OfficeMonthTally.count() == 0

"""The coordinator's "Daftar dari kantor" through the real routes: only their area, pages of
100 with the unchecked first, marking several at once or one by one, version checks, a
double submit, audit lines (view and mark), the visit, and a mark whose audit fails."""

from __future__ import annotations

import pytest

from portal.domain import audit
from portal.tables.accounts import AuditEntry
from portal.tables.office_lists import OfficeListVisit, OfficePerson
from tests.integration import staff_fixtures as fx
from tests.integration.coordinator.helpers import Browser, make_coordinator, page
from tests.integration.drive.office_fixtures import (
    SURODINAWAN,
    TAWANGREJO,
    WATES,
    office_import,
    people_in,
    person,
    picks,
)
from tests.integration.staff_client import text

LIST = "/koordinator/daftar-kantor"
MARK = LIST + "/tandai"


def names_on(response) -> list[str]:
    return [text(li.select_one("strong")) for li in page(response).select("ul.office-people > li")]


async def names_of(ids: list[int]) -> set[str]:
    rows = await OfficePerson.select(OfficePerson.full_name).where(OfficePerson.id.is_in(ids))
    return {r["full_name"] for r in rows}


async def test_a_coordinator_sees_only_their_own_area(client, login_as):
    kota = await office_import("kota")
    kab = await office_import("kabupaten")
    mine = await people_in(kota, SURODINAWAN, "02", "03", count=4)
    next_rt = await people_in(kota, SURODINAWAN, "02", "04", count=3)
    other_rw = await people_in(kota, SURODINAWAN, "05", "03", count=2)
    other_village = await people_in(kota, WATES, "02", "03", count=2)
    other_office = await people_in(kab, TAWANGREJO, "02", "03", count=2)
    await login_as(await make_coordinator("rt03.scope"))
    me = Browser(client)

    shown = await client.get(LIST + "?tampil=semua")
    assert shown.status_code == 200
    assert set(names_on(shown)) == await names_of(mine)
    assert len(names_on(shown)) == 4
    assert "4 dari 4" not in shown.text and "0 dari 4 sudah dicek" in shown.text
    for full_nik in await OfficePerson.select(OfficePerson.nik).where(OfficePerson.id.is_in(mine)):
        assert full_nik["nik"] not in shown.text  # masked: 3576••••••••0001
    # Another RT of the same RW and village, another RW, village or office: 404, by page or
    # by a mark, and nothing changes.
    for outsider in (next_rt[0], other_rw[0], other_village[0], other_office[0]):
        assert (await client.get(f"{LIST}/{outsider}")).status_code == 404
        ticked = await picks(outsider)
        refused = await me.post(
            MARK, {"pilih": ticked, "hasil": "pindah", "_token": f"t{outsider}"}
        )
        assert refused.status_code == 404
        refused = await me.post(f"{LIST}/{outsider}", {"versi": "1", "hasil": "meninggal"})
        assert refused.status_code == 404
    # Mixing a person of the area with an outsider stores nothing for either.
    mixed = await me.post(MARK, {"pilih": await picks(mine[0], next_rt[0]), "hasil": "pindah"})
    assert mixed.status_code == 404
    assert await OfficePerson.count().where(OfficePerson.outcome.is_not_null()) == 0

    # A village-wide coordinator sees every RT of the village, nothing of other villages.
    await login_as(await make_coordinator("pkk.scope", SURODINAWAN, rw=None, rt=None))
    wide = await client.get(LIST + "?tampil=semua")
    assert set(names_on(wide)) == await names_of(mine + next_rt + other_rw)
    # An RW head sees their RW's RTs only.
    await login_as(await make_coordinator("rw02.scope", SURODINAWAN, rw="02", rt=None))
    rw = await client.get(LIST + "?tampil=semua")
    assert set(names_on(rw)) == await names_of(mine + next_rt)


async def test_pages_of_100_unchecked_first_and_search(client, login_as):
    kota = await office_import()
    ids = await people_in(kota, count=130)
    coordinator = await make_coordinator("rt03.pages")
    await login_as(coordinator)
    me = Browser(client)
    first = await client.get(LIST)
    assert len(names_on(first)) == 100
    assert "Halaman 1 dari 2" in first.text
    second = await client.get(LIST + "?halaman=2")
    assert len(names_on(second)) == 30

    marked = await me.post(MARK, {"pilih": await picks(*ids[:3]), "hasil": "rumah_kosong"})
    assert marked.status_code == 303
    everyone = await client.get(LIST + "?tampil=semua&halaman=2")
    # Unchecked first: the three checked people are the last ones of the last page.
    assert set(names_on(everyone)[-3:]) == await names_of(ids[:3])
    assert len(names_on(await client.get(LIST + "?tampil=sudah"))) == 3
    assert "3 dari 130 sudah dicek" in everyone.text
    unchecked = await client.get(LIST + "?halaman=2")
    assert len(names_on(unchecked)) == 27

    target = (await person(ids[50]))["full_name"]
    found = await client.get(LIST + "?tampil=semua&cari=" + target.split()[0])
    assert target in names_on(found)
    assert all(target.split()[0].lower() in n.lower() for n in names_on(found))
    nik_tail = (await person(ids[50]))["nik"][-4:]
    by_nik = await client.get(f"{LIST}?tampil=semua&cari={nik_tail}")
    assert target in names_on(by_nik)
    too_short = await client.get(LIST + "?cari=12")
    assert "minimal 4 angka" in too_short.text


async def test_marking_several_at_once_is_audited_and_counted(client, login_as):
    kota = await office_import()
    ids = await people_in(kota, count=5)
    coordinator = await make_coordinator("rt03.bulk")
    await login_as(coordinator)
    me = Browser(client)
    listed = await client.get(LIST)
    token = page(listed).select_one("form#tandai input[name=_token]")["value"]
    sent = {
        "pilih": await picks(*ids[:3]),
        "hasil": "pindah",
        "keterangan": "Ke Surabaya",
        "catatan": "Kata tetangga sejak Lebaran",
        "_token": token,
        "tampil": "belum",
    }
    done = await me.post(MARK, sent)
    assert done.status_code == 303, done.text
    assert "pesan=kantor-ditandai" in done.headers["location"] and "n=3" in done.headers["location"]
    after = await client.get(done.headers["location"])
    assert "3 orang sudah ditandai" in after.text
    assert "3 dari 5 sudah dicek" in after.text and "3 sudah pindah" in after.text
    for person_id in ids[:3]:
        row = await person(person_id)
        assert row["outcome"] == "pindah" and row["outcome_detail"] == "Ke Surabaya"
        assert row["outcome_note"] == "Kata tetangga sejak Lebaran"
        assert row["outcome_by"] == coordinator.id and row["version"] == 2
    assert (await person(ids[3]))["outcome"] is None
    entries = (
        await AuditEntry.select()
        .where(AuditEntry.action == "office_person.mark")
        .output(load_json=True)
    )
    assert len(entries) == 1
    detail = entries[0]["detail"]
    assert detail["outcome"] == "pindah" and sorted(detail["office_person_ids"]) == sorted(ids[:3])
    for person_id in ids[:3]:
        row = await person(person_id)
        assert row["full_name"] not in str(entries[0]) and row["nik"] not in str(entries[0])

    # A double tap: the same form again acts once and answers the same.
    again = await me.post(MARK, sent)
    assert again.status_code == 303 and again.headers["location"] == done.headers["location"]
    assert {(await person(i))["version"] for i in ids[:3]} == {2}
    assert await AuditEntry.count().where(AuditEntry.action == "office_person.mark") == 1

    # The dashboard card says how far the list is.
    home = await client.get("/koordinator")
    assert "Daftar dari kantor" in home.text and "3 dari 5 sudah dicek" in home.text

    # One by one on the person page, with the outcome's own detail label.
    one = await client.get(f"{LIST}/{ids[3]}")
    assert one.status_code == 200 and "NIK" in one.text
    assert (await person(ids[3]))["nik"] not in one.text
    marked = await me.post(
        f"{LIST}/{ids[3]}", {"versi": "1", "hasil": "sudah_rekam", "keterangan": "MPP, Juli"}
    )
    assert marked.status_code == 303
    assert (await person(ids[3]))["outcome"] == "sudah_rekam"
    relabelled = await client.get(f"{LIST}/{ids[3]}")
    assert "Rekam di mana dan kapan" in relabelled.text


async def test_bad_input_is_said_beside_the_fields_and_kept(client, login_as):
    kota = await office_import()
    ids = await people_in(kota, count=2)
    await login_as(await make_coordinator("rt03.bad"))
    me = Browser(client)
    nobody = await me.post(MARK, {"hasil": "pindah", "keterangan": "Ke Gresik"})
    assert nobody.status_code == 400
    assert "Pilih minimal satu orang" in nobody.text
    assert page(nobody).select_one("#keterangan")["value"] == "Ke Gresik"
    assert page(nobody).select_one("#hasil-pindah").has_attr("checked")
    no_outcome = await me.post(MARK, {"pilih": await picks(ids[0]), "keterangan": "x" * 201})
    assert no_outcome.status_code == 400
    assert "Pilih hasil pengecekan" in no_outcome.text and "paling banyak 200" in no_outcome.text
    assert page(no_outcome).select_one(f"#pilih-{ids[0]}").has_attr("checked")
    assert await OfficePerson.count().where(OfficePerson.outcome.is_not_null()) == 0


async def test_a_stale_form_is_refused_whole(client, login_as):
    kota = await office_import()
    ids = await people_in(kota, count=3)
    await login_as(await make_coordinator("rt03.stale"))
    me = Browser(client)
    seen = await picks(*ids[:2])  # the page as it was loaded
    # The RW head of the same RW marks the second person meanwhile.
    await login_as(await make_coordinator("rw02.stale", rw="02", rt=None))
    other = Browser(client)
    assert (await other.post(MARK, {"pilih": [seen[1]], "hasil": "meninggal"})).status_code == 303
    await login_as(await make_coordinator("rt03.stale2"))
    sent = {"pilih": seen, "hasil": "pindah", "_token": "stale-1", "tampil": "semua"}
    refused = await me.post(MARK, sent)
    assert refused.status_code == 409
    assert "Tidak ada yang disimpan" in refused.text
    assert (await person(ids[1]))["full_name"] in refused.text
    assert (await person(ids[0]))["outcome"] is None  # nothing half stored
    assert (await person(ids[1]))["outcome"] == "meninggal"
    # The page shows the newer finding; the first box stays ticked, the changed one not.
    shown = page(refused)
    assert shown.select_one(f"#pilih-{ids[0]}").has_attr("checked")
    assert not shown.select_one(f"#pilih-{ids[1]}").has_attr("checked")
    # The same form, sent again after looking, goes through (its token stored nothing).
    retry = await me.post(
        MARK, {"pilih": await picks(*ids[:2]), "hasil": "pindah", "_token": "stale-1"}
    )
    assert retry.status_code == 303


async def test_a_report_staff_handled_is_read_only(client, login_as):
    kota = await office_import()
    ids = await people_in(kota, count=1)
    coordinator = await make_coordinator("rt03.handled")
    await login_as(coordinator)
    me = Browser(client)
    assert (
        await me.post(MARK, {"pilih": await picks(ids[0]), "hasil": "pindah"})
    ).status_code == 303
    officer = await fx.staff("kota")
    await OfficePerson.update(
        {OfficePerson.handled_by: officer.id, OfficePerson.handled_at: fx.now()}
    ).where(OfficePerson.id == ids[0])
    shown = await client.get(f"{LIST}/{ids[0]}")
    assert "sudah diproses petugas" in shown.text and "form" not in str(
        page(shown).select("main form")
    )
    refused = await me.post(f"{LIST}/{ids[0]}", {"versi": "2", "hasil": "meninggal"})
    assert refused.status_code == 409
    assert "sudah diproses petugas" in refused.text
    assert (await person(ids[0]))["outcome"] == "pindah"


async def test_each_view_is_audited_and_counts_as_the_visit(client, login_as):
    kota = await office_import()
    ids = await people_in(kota, count=2)
    coordinator = await make_coordinator("rt03.visit")
    await login_as(coordinator)
    assert (await client.get(LIST)).status_code == 200
    visit = await OfficeListVisit.select().where(OfficeListVisit.coordinator == coordinator.id)
    assert len(visit) == 1 and visit[0]["views"] == 1 and visit[0]["office_import"] == kota
    assert (await client.get(f"{LIST}/{ids[0]}")).status_code == 200
    visit = await OfficeListVisit.select().where(OfficeListVisit.coordinator == coordinator.id)
    assert len(visit) == 1 and visit[0]["views"] == 2
    assert visit[0]["last_at"] >= visit[0]["first_at"]
    views = await AuditEntry.select().where(AuditEntry.action == "office_list.view")
    assert [v["object_type"] for v in views] == ["office_import", "office_person"]
    assert all(v["actor"] == coordinator.id for v in views)


async def test_without_an_import_the_page_says_so(client, login_as):
    await login_as(await make_coordinator("rt03.empty"))
    shown = await client.get(LIST)
    assert shown.status_code == 200 and "belum mengirim daftar" in shown.text
    assert "Daftar dari kantor" not in (await client.get("/koordinator")).text
    assert await OfficeListVisit.count() == 0


async def test_staff_cannot_open_the_coordinator_list(client, login_as):
    await login_as(await fx.staff("kota"))
    assert (await client.get(LIST)).status_code in (401, 403)


@pytest.mark.parametrize("outcome", ["pindah", "tinggal"])
async def test_a_mark_whose_audit_line_fails_stores_nothing(client, login_as, monkeypatch, outcome):
    kota = await office_import()
    ids = await people_in(kota, count=2)
    await login_as(await make_coordinator("rt03.audit"))
    me = Browser(client)
    ticked = await picks(*ids)
    real = audit.record

    async def failing(actor, action, **kwargs):
        if action == "office_person.mark":
            raise RuntimeError("audit log unavailable")
        return await real(actor, action, **kwargs)

    monkeypatch.setattr(audit, "record", failing)
    failed = await me.post(MARK, {"pilih": ticked, "hasil": outcome, "_token": "audit-1"})
    assert failed.status_code == 500
    monkeypatch.undo()
    for person_id in ids:
        row = await person(person_id)
        assert row["outcome"] is None and row["version"] == 1
    from portal.tables.residents import FormToken, ImportBatch, ResidentList

    assert await ImportBatch.count() == 0 and await ResidentList.count() == 0
    assert await FormToken.count().where(FormToken.token == "audit-1") == 0

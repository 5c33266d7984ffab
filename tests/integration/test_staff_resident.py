"""One resident: the detail page, NIK reveal, every action, conflicts and office scope."""

import asyncio
from datetime import date, timedelta

from portal.clock import today_local
from portal.staff import triage
from portal.tables.accounts import AuditEntry
from portal.tables.outreach import OutreachSession
from portal.tables.residents import Resident, ResidentEvent, ResidentNote
from tests.integration import staff_fixtures as fx
from tests.integration.staff_client import page, post, text

NIK = "3576014101080001"


async def setup(login_as, **fields):
    officer = await fx.staff("kota", full_name="Petugas Satu")
    await login_as(officer)
    lst = await fx.submitted_list(await fx.coordinator("kota", full_name="Bu Sri"))
    r = await fx.resident(lst, full_name="Ani Rahayu", nik=NIK, **fields)
    return officer, lst, r


async def act(client, r, action, version=None, **data):
    current = version if version is not None else (await fx.fresh(r))["version"]
    return await post(client, f"/petugas/warga/{r.id}/{action}", {"versi": current, **data})


async def test_detail_shows_what_the_coordinator_sent_without_the_full_nik(client, login_as):
    _, _, r = await setup(
        login_as,
        phone="+6281234567890",
        note="Bekerja di Surabaya, pulang Sabtu",
        warnings=[{"code": "birth_date_mismatch", "message": "Tanggal lahir di NIK berbeda"}],
        warn_nik=True,
    )
    response = await client.get(f"/petugas/warga/{r.id}")
    assert response.status_code == 200
    doc = page(response)
    assert text(doc.select_one("h1")) == "Ani Rahayu"
    assert NIK not in response.text and "3576••••••••0001" in response.text
    assert "Tampilkan NIK" in response.text
    assert "Bekerja di Surabaya" in response.text and "Bu Sri" in response.text
    assert "Tanggal lahir di NIK berbeda" in text(doc.select_one("section.notice.warn"))
    assert "0812-3456-7890" in response.text


async def test_reveal_nik_is_a_post_and_is_audited(client, login_as):
    officer, _, r = await setup(login_as)
    assert (await client.get(f"/petugas/warga/{r.id}/nik")).status_code in (404, 405)
    fragment = await post(client, f"/petugas/warga/{r.id}/nik", headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert NIK in fragment.text and "<html" not in fragment.text
    full = await post(client, f"/petugas/warga/{r.id}/nik")
    assert NIK in full.text and "<html" in full.text
    entries = await AuditEntry.select().where(AuditEntry.action == "nik_viewed")
    assert len(entries) == 2
    assert entries[0]["object_id"] == str(r.id) and entries[0]["actor"] == officer.id
    assert NIK not in str(entries[0]["detail"])
    assert NIK not in (await client.get(f"/petugas/warga/{r.id}")).text


async def test_verify_writes_event_audit_and_bumps_version(client, login_as):
    officer, _, r = await setup(login_as)
    response = await act(client, r, "verifikasi")
    assert response.status_code == 303
    assert response.headers["location"] == f"/petugas/warga/{r.id}?pesan=verifikasi&n=1"
    row = await fx.fresh(r)
    assert row["status"] == "diverifikasi" and row["version"] == r.version + 1
    event = await ResidentEvent.select().where(ResidentEvent.resident == r.id).first()
    assert (event["from_status"], event["to_status"], event["actor"]) == (
        "diterima",
        "diverifikasi",
        officer.id,
    )
    audit = await AuditEntry.select().where(AuditEntry.action == "resident_status").first()
    assert audit["object_id"] == str(r.id)
    assert audit["detail"] in (
        {"from": "diterima", "to": "diverifikasi"},
        '{"from": "diterima", "to": "diverifikasi"}',
    )
    shown = await client.get(response.headers["location"])
    assert "Warga diverifikasi." in shown.text
    assert "Diterima → Diverifikasi" in text(page(shown).select_one(".timeline"))


async def test_second_officer_with_a_stale_page_gets_a_conflict_not_an_overwrite(client, login_as):
    _, _, r = await setup(login_as)
    seen = r.version
    first = await act(client, r, "verifikasi", version=seen)
    assert first.status_code == 303
    second = await act(client, r, "tolak", version=seen, alasan_tolak="pindah")
    assert second.status_code == 409
    assert "baru saja diubah oleh petugas lain" in second.text
    # The fresh view shows the current state and carries the current version.
    doc = page(second)
    assert "Diverifikasi" in text(doc.select_one(".resident-head"))
    assert doc.select_one('input[name="versi"]')["value"] == str(seen + 1)
    assert (await fx.fresh(r))["status"] == "diverifikasi"


async def test_concurrent_moves_on_one_resident_let_exactly_one_win(client, login_as):
    officer, _, r = await setup(login_as)
    mine, theirs = await fx.scope_of(officer), await fx.scope_of(await fx.staff("kota"))
    results = await asyncio.gather(
        triage.verify(mine, [(r.id, r.version)]),
        triage.reject(theirs, [(r.id, r.version)], "pindah"),
        triage.ask_correction(theirs, [(r.id, r.version)], "Cek KK"),
    )
    assert sum(len(o.done) for o in results) == 1
    assert sum(len(o.conflicts) for o in results) == 2
    row = await fx.fresh(r)
    assert row["version"] == r.version + 1
    assert await ResidentEvent.count().where(ResidentEvent.resident == r.id) == 1


async def test_reject_needs_a_reason_and_lainnya_needs_words(client, login_as):
    _, _, r = await setup(login_as)
    none = await act(client, r, "tolak")
    assert none.status_code == 422
    assert "Pilih alasan penolakan" in text(page(none).select_one(".error-summary"))
    vague = await act(client, r, "tolak", alasan_tolak="lainnya", keterangan_tolak=" ")
    assert vague.status_code == 422 and "Tulis alasan penolakan" in vague.text
    assert page(vague).select_one("#tolak-lainnya").has_attr("checked")
    ok = await act(client, r, "tolak", alasan_tolak="lainnya", keterangan_tolak="Sudah punya KTP")
    assert ok.status_code == 303
    row = await fx.fresh(r)
    assert (row["status"], row["reject_code"], row["status_reason"]) == (
        "ditolak",
        "lainnya",
        "Lainnya: Sudah punya KTP",
    )


async def test_ask_for_correction_keeps_the_reason_for_the_coordinator(client, login_as):
    _, _, r = await setup(login_as)
    empty = await act(client, r, "perbaikan", alasan_perbaikan="")
    assert empty.status_code == 422
    await act(client, r, "perbaikan", alasan_perbaikan="Tanggal lahir tidak sama dengan KK")
    row = await fx.fresh(r)
    assert row["status"] == "perlu_perbaikan"
    assert row["status_reason"] == "Tanggal lahir tidak sama dengan KK"


async def test_move_not_allowed_from_the_current_status_is_refused(client, login_as):
    _, _, r = await setup(login_as, status="sudah_rekam")
    response = await act(client, r, "verifikasi")
    assert response.status_code == 409
    assert "tidak bisa dilakukan untuk warga berstatus Sudah rekam" in response.text
    assert (await fx.fresh(r))["status"] == "sudah_rekam"


async def test_duplicates_side_by_side_and_marking_one(client, login_as):
    _, lst, r = await setup(login_as, birth_date=date(2008, 1, 1), warn_duplicate=True)
    same_nik = await fx.resident(lst, full_name="Ani R.", nik=NIK)
    same_person = await fx.resident(
        lst, full_name="Ani Rahayu", nik="3576014101080999", birth_date=date(2008, 1, 1)
    )
    unrelated = await fx.resident(lst, full_name="Ani Rahayu", birth_date=date(1990, 5, 5))
    other_office = await fx.resident(
        await fx.submitted_list(await fx.coordinator("kabupaten", fx.KAB_VILLAGE), fx.KAB_VILLAGE),
        full_name="Ani Rahayu",
        nik=NIK,
    )
    response = await client.get(f"/petugas/warga/{r.id}")
    headers = [text(th) for th in page(response).select("table.compare thead th")]
    assert headers == [
        "Data",
        f"Warga ini (No. {r.id})",
        f"No. {same_nik.id}",
        f"No. {same_person.id}",
    ]
    assert f"No. {unrelated.id}" not in headers and f"No. {other_office.id}" not in headers
    assert "NIK sama" in response.text

    done = await act(client, r, "duplikat", duplikat_dari=same_nik.id)
    assert done.status_code == 303
    row = await fx.fresh(r)
    assert row["status"] == "duplikat" and row["duplicate_of"] == same_nik.id
    assert (await fx.fresh(same_nik))["status"] == "diterima"  # both stay
    audit = await AuditEntry.select().where(AuditEntry.action == "resident_status").first()
    assert "duplicate_of" in str(audit["detail"])
    self_dup = await act(client, same_person, "duplikat", duplikat_dari=same_person.id)
    assert self_dup.status_code == 422
    foreign = await act(client, same_person, "duplikat", duplikat_dari=other_office.id)
    assert foreign.status_code == 422 and "tidak ditemukan" in foreign.text


async def test_similar_names_with_the_same_birth_date_and_rt_are_compared(client, login_as):
    born = date(2008, 1, 1)
    _, _, r = await setup(login_as, birth_date=born, sex="L", warn_duplicate=True)
    await Resident.update(
        {Resident.full_name: "Muhammad Rizki", Resident.name_key: "muhammad rizki"}
    ).where(Resident.id == r.id)
    other = await fx.submitted_list(await fx.coordinator("kota", full_name="Pak Joko"))
    similar = await fx.resident(other, full_name="M. Rizky", birth_date=born, sex="L")
    for fields in (
        {"full_name": "Ahmad Rizki"},  # another first name
        {"full_name": "M. Rizky", "rt": "05"},  # another RT
        {"full_name": "M. Rizky", "birth_date": date(2008, 1, 2)},  # another birth date
        {"full_name": "Muhammad Rizka", "sex": "P"},  # a twin sister
        {"full_name": "M. Rizky", "status": "draft"},  # not sent yet
    ):
        await fx.resident(other, **{"birth_date": born, "sex": "L", **fields})
    elsewhere = await fx.resident(
        await fx.submitted_list(await fx.coordinator("kota"), fx.KOTA_OTHER_VILLAGE),
        full_name="M. Rizky",
        birth_date=born,
        sex="L",
    )
    response = await client.get(f"/petugas/warga/{r.id}")
    headers = [text(th) for th in page(response).select("table.compare thead th")]
    assert headers == ["Data", f"Warga ini (No. {r.id})", f"No. {similar.id}"]
    assert f"No. {elsewhere.id}" not in headers
    name_row = page(response).select("table.compare tbody tr")[0]
    assert text(name_row) == "Nama Muhammad Rizki M. Rizky Nama mirip"
    assert "nama mirip (ejaan lain atau salah ketik)" in response.text


async def test_not_a_duplicate_clears_the_warning(client, login_as):
    _, _, r = await setup(login_as, warn_duplicate=True)
    await act(client, r, "bukan-duplikat")
    assert (await fx.fresh(r))["warn_duplicate"] is False
    event = await ResidentEvent.select().where(ResidentEvent.resident == r.id).first()
    assert event["action"] == "not_duplicate"


async def test_take_and_release_show_who_is_working_on_it(client, login_as):
    officer, _, r = await setup(login_as)
    await act(client, r, "ambil")
    assert (await fx.fresh(r))["assigned_to"] == officer.id
    queue = await client.get("/petugas/antrian")
    assert "Petugas Satu" in text(page(queue).select_one("table.queue"))
    assert "Sedang ditangani Anda" in text(page(await client.get(f"/petugas/warga/{r.id}")))
    await act(client, r, "lepas")
    assert (await fx.fresh(r))["assigned_to"] is None
    # Taking with a stale version is a conflict too.
    stale = await act(client, r, "ambil", version=0)
    assert stale.status_code == 409


async def test_notes_internal_or_visible_to_the_coordinator(client, login_as):
    _, _, r = await setup(login_as)
    assert (await act(client, r, "catatan", catatan="")).status_code == 422
    await act(client, r, "catatan", catatan="Sudah ditelepon, datang Sabtu")
    await act(client, r, "catatan", catatan="Bawa KK asli", untuk_koordinator="1")
    rows = await ResidentNote.select().order_by(ResidentNote.id)
    assert [(n["body"], n["visible_to_coordinator"]) for n in rows] == [
        ("Sudah ditelepon, datang Sabtu", False),
        ("Bawa KK asli", True),
    ]
    shown = await client.get(f"/petugas/warga/{r.id}")
    assert "terlihat oleh koordinator" in shown.text and "internal" in shown.text


async def test_mark_recorded_with_date_and_place(client, login_as):
    _, _, r = await setup(login_as, status="diverifikasi")
    future = (today_local() + timedelta(days=3)).isoformat()
    bad = await act(client, r, "rekam", tanggal_rekam=future, tempat_rekam="MPP")
    assert bad.status_code == 422 and "masa depan" in bad.text
    assert page(bad).select_one("#tempat_rekam")["value"] == "MPP"
    ok = await act(
        client, r, "rekam", tanggal_rekam=today_local().isoformat(), tempat_rekam="MPP Gajah Mada"
    )
    assert ok.status_code == 303
    row = await fx.fresh(r)
    assert (row["status"], row["recorded_on"], row["recorded_place"]) == (
        "sudah_rekam",
        today_local(),
        "MPP Gajah Mada",
    )


async def test_schedule_from_the_detail_page_suggests_sessions_serving_the_area(client, login_as):
    _, _, r = await setup(login_as, status="diverifikasi")
    far = await fx.session("kota", title="Sesi Kranggan", areas=("35.76.03",), capacity=5)
    near = await fx.session("kota", title="Sesi Prajurit Kulon", areas=(fx.KOTA_VILLAGE,))
    full = await fx.session("kota", title="Sesi Penuh", areas=("35.76",), capacity=1)
    await Resident.update({Resident.status: "diverifikasi"}).where(Resident.id == r.id)
    await OutreachSession.update({OutreachSession.booked: 1}).where(OutreachSession.id == full.id)
    response = await client.get(f"/petugas/warga/{r.id}")
    groups = {
        g["label"]: [text(o) for o in g.select("option")]
        for g in page(response).select("#sesi optgroup")
    }
    assert any("Sesi Prajurit Kulon" in o for o in groups["Melayani wilayah warga"])
    assert any("Sesi Kranggan" in o for o in groups["Sesi lain"])
    assert "Sesi Penuh" in text(page(response).select_one(".actions"))
    done = await act(client, r, "jadwalkan", sesi=near.id)
    assert done.status_code == 303
    row = await fx.fresh(r)
    assert (row["status"], row["outreach_session"]) == ("dijadwalkan", near.id)
    assert (await fx.fresh(near))["booked"] == 1
    refused = await act(client, r, "jadwalkan", sesi=full.id)
    assert refused.status_code == 409 and "penuh" in refused.text
    # Rescheduling moves the place from one session to the other.
    await act(client, r, "jadwalkan", sesi=far.id)
    assert (await fx.fresh(near))["booked"] == 0 and (await fx.fresh(far))["booked"] == 1
    await act(client, r, "batal-jadwal")
    assert (await fx.fresh(far))["booked"] == 0
    assert (await fx.fresh(r))["status"] == "diverifikasi"


async def test_reopen_a_rejected_resident(client, login_as):
    _, _, r = await setup(login_as, status="ditolak", reject_code="pindah")
    await act(client, r, "buka-kembali", alasan_buka="Ternyata belum pindah")
    row = await fx.fresh(r)
    assert (row["status"], row["reject_code"]) == ("diterima", None)


async def test_another_offices_resident_is_404_for_pages_and_actions(client, login_as):
    await setup(login_as)
    kab = await fx.resident(
        await fx.submitted_list(await fx.coordinator("kabupaten", fx.KAB_VILLAGE), fx.KAB_VILLAGE)
    )
    assert (await client.get(f"/petugas/warga/{kab.id}")).status_code == 404
    for action in ("verifikasi", "nik", "ambil", "catatan", "tolak"):
        response = await act(client, kab, action, catatan="x", alasan_tolak="pindah")
        assert response.status_code == 404, action
    row = await fx.fresh(kab)
    assert row["status"] == "diterima" and row["assigned_to"] is None
    assert await ResidentNote.count() == 0
    assert await AuditEntry.count().where(AuditEntry.action == "nik_viewed") == 0
    draft = await fx.resident(await fx.submitted_list(await fx.coordinator("kota")), status="draft")
    assert (await client.get(f"/petugas/warga/{draft.id}")).status_code == 404


async def test_unknown_action_is_404(client, login_as):
    _, _, r = await setup(login_as)
    assert (await act(client, r, "hapus-semua")).status_code == 404
    assert await Resident.count().where(Resident.status == "diterima") == 1


async def test_admin_acts_on_either_office(client, login_as):
    admin = await fx.admin()
    await login_as(admin)
    kab = await fx.resident(
        await fx.submitted_list(await fx.coordinator("kabupaten", fx.KAB_VILLAGE), fx.KAB_VILLAGE)
    )
    assert (await client.get(f"/petugas/warga/{kab.id}")).status_code == 200
    assert (await act(client, kab, "verifikasi")).status_code == 303
    audit = await AuditEntry.select().where(AuditEntry.action == "resident_status").first()
    assert audit["actor"] == admin.id and audit["office"] == kab.office


async def test_married_minor_shows_why_the_card_is_mandatory(client, login_as):
    from portal.rules.ages import MARRIED_RULE, add_years

    _, lst, r = await setup(login_as, married=True, birth_date=add_years(today_local(), -15))
    doc = page(await client.get(f"/petugas/warga/{r.id}"))
    data = text(doc.select_one("#data-title").find_parent("section"))
    assert "Status kawin Sudah kawin atau pernah kawin" in data
    assert MARRIED_RULE in data
    adult = await fx.resident(
        lst, full_name="Dewasa Kawin", married=True, birth_date=date(1990, 1, 1)
    )
    data = text(page(await client.get(f"/petugas/warga/{adult.id}")).select_one("dl.summary"))
    assert "Sudah kawin atau pernah kawin" in data and MARRIED_RULE not in data
    single = await fx.resident(lst, full_name="Belum Kawin")
    data = text(page(await client.get(f"/petugas/warga/{single.id}")).select_one("dl.summary"))
    assert "Status kawin Belum kawin" in data
    queue = await client.get("/petugas/antrian")
    rows = {
        text(tr.select_one("td[data-label=Nama] a")): tr for tr in page(queue).select("tbody tr")
    }
    assert "Sudah/pernah kawin" in text(rows["Ani Rahayu"])
    assert "Sudah/pernah kawin" not in text(rows["Belum Kawin"])

"""The staff queue: office scope, filters, search, keyset paging, counts, bulk actions."""

import json
from datetime import UTC, datetime, timedelta

from portal.tables.accounts import AuditEntry
from portal.tables.outreach import OutreachSession
from portal.tables.residents import Resident, ResidentEvent
from tests.integration import staff_fixtures as fx
from tests.integration.staff_client import page, post, text


def names(response) -> list[str]:
    return [text(a) for a in page(response).select("table.queue tbody td[data-label=Nama] > a")]


async def signed_in_staff(login_as, office="kota"):
    officer = await fx.staff(office)
    await login_as(officer)
    return officer


async def test_queue_shows_own_office_submitted_residents_with_masked_nik(client, login_as):
    await signed_in_staff(login_as)
    kota = await fx.submitted_list(await fx.coordinator("kota"))
    kab = await fx.submitted_list(await fx.coordinator("kabupaten", fx.KAB_VILLAGE), fx.KAB_VILLAGE)
    mine = await fx.resident(kota, full_name="Ani Kota", nik="3576014101080001")
    await fx.resident(kota, full_name="Draf Kota", status="draft")
    await fx.resident(kab, full_name="Budi Kabupaten", nik="3516014101080002")

    response = await client.get("/petugas/antrian")

    assert response.status_code == 200
    assert names(response) == ["Ani Kota"]
    assert "3576014101080001" not in response.text
    assert "3576••••••••0001" in response.text
    assert f"/petugas/warga/{mine.id}" in response.text
    assert "Budi" not in response.text and "Draf Kota" not in response.text


async def test_anonymous_and_coordinators_are_kept_out(client, login_as):
    anonymous = await client.get("/petugas/antrian", follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/masuk")
    await login_as(await fx.coordinator("kota"))
    assert (await client.get("/petugas/antrian")).status_code == 403
    assert (await client.get("/petugas")).status_code == 403


async def test_every_filter_narrows_the_queue(client, login_as):
    officer = await signed_in_staff(login_as)
    coord_a = await fx.coordinator("kota", full_name="Bu Sri")
    coord_b = await fx.coordinator("kota", fx.KOTA_OTHER_VILLAGE, full_name="Bu Lilik")
    old = datetime(2026, 1, 5, 3, 0, tzinfo=UTC)
    list_a = await fx.submitted_list(coord_a, submitted_at=old)
    list_b = await fx.submitted_list(coord_b, fx.KOTA_OTHER_VILLAGE)
    await fx.resident(list_a, full_name="Ani Rahayu", rw="02", rt="03", category="pemula")
    await fx.resident(
        list_a,
        full_name="Citra Lestari",
        rw="2",
        rt="7",
        category="lansia",
        status="diverifikasi",
        warn_nik=True,
    )
    await fx.resident(
        list_b,
        full_name="Dewi Sartika",
        rw="05",
        rt="01",
        category="disabilitas",
        warn_duplicate=True,
        assigned_to=officer.id,
    )
    await fx.resident(
        list_b,
        full_name="Eko Prasetyo",
        rw="05",
        rt="01",
        category="dewasa",
        status="ditolak",
        warn_under_age=True,
    )
    kec_a = await fx.kecamatan_of(fx.KOTA_VILLAGE)
    cases = {
        "status=diverifikasi": ["Citra Lestari"],
        f"kecamatan={kec_a.code}": ["Ani Rahayu", "Citra Lestari"],
        f"desa={fx.KOTA_OTHER_VILLAGE}": ["Dewi Sartika", "Eko Prasetyo"],
        "rw=2": ["Ani Rahayu", "Citra Lestari"],
        "rw=002&rt=3": ["Ani Rahayu"],
        "kategori=disabilitas": ["Dewi Sartika"],
        f"koordinator={coord_b.id}": ["Dewi Sartika", "Eko Prasetyo"],
        "sampai=2026-01-05": ["Ani Rahayu", "Citra Lestari"],
        f"dari={(datetime.now(UTC) - timedelta(days=1)).date()}": ["Dewi Sartika", "Eko Prasetyo"],
        "peringatan=warn_nik": ["Citra Lestari"],
        "peringatan=warn_duplicate": ["Dewi Sartika"],
        "peringatan=warn_under_age": ["Eko Prasetyo"],
        "ditugaskan=saya": ["Dewi Sartika"],
        "ditugaskan=belum": ["Ani Rahayu", "Citra Lestari", "Eko Prasetyo"],
        "q=rahay": ["Ani Rahayu"],
        "q=CITRA  lestari": ["Citra Lestari"],
        "q=de": ["Dewi Sartika"],
    }
    for query, expected in cases.items():
        response = await client.get(f"/petugas/antrian?{query}&urut=nama")
        assert response.status_code == 200, query
        assert names(response) == expected, query


async def test_nik_search_exact_and_by_last_digits(client, login_as):
    await signed_in_staff(login_as)
    lst = await fx.submitted_list(await fx.coordinator("kota"))
    await fx.resident(lst, full_name="Fajar", nik="3576011203080007")
    await fx.resident(lst, full_name="Gita", nik="3576015503080123")
    assert names(await client.get("/petugas/antrian?q=3576011203080007")) == ["Fajar"]
    assert names(await client.get("/petugas/antrian?q=3576 0112 0308 0007")) == ["Fajar"]
    assert names(await client.get("/petugas/antrian?q=0123")) == ["Gita"]
    short = await client.get("/petugas/antrian?q=12")
    assert "minimal 4 angka" in short.text


async def test_a_nik_typed_with_unicode_dashes_is_searched_as_a_nik(client, login_as):
    # Phones and word processors turn "-" into a Unicode hyphen or an en dash; the NIK is
    # cleaned by the one rule of entry (portal.rules.nik.clean_nik), never taken as a name.
    await signed_in_staff(login_as)
    lst = await fx.submitted_list(await fx.coordinator("kota"))
    await fx.resident(lst, full_name="Ani", nik="3576014101080001")
    await fx.resident(lst, full_name="Budi", nik="3576014101080002")
    for typed in ("3576\u20100141\u20100108\u20100001", "3576\u20130141\u20130108\u20130001"):
        response = await client.get("/petugas/antrian", params={"q": typed})
        assert names(response) == ["Ani"], typed
    last_digits = await client.get("/petugas/antrian", params={"q": "0108\u20130002"})
    assert names(last_digits) == ["Budi"]


async def test_counts_per_status_follow_the_other_filters(client, login_as):
    await signed_in_staff(login_as)
    lst = await fx.submitted_list(await fx.coordinator("kota"))
    await fx.residents(lst, 3, category="pemula")
    await fx.residents(lst, 2, category="pemula", status="ditolak")
    await fx.residents(lst, 4, category="lansia")
    response = await client.get("/petugas/antrian?kategori=pemula&status=ditolak")
    tabs = {
        text(a).rsplit(" ", 1)[0]: int(a.select_one(".count").text)
        for a in page(response).select(".status-tabs a")
    }
    assert tabs["Semua"] == 5 and tabs["Diterima"] == 3 and tabs["Ditolak"] == 2
    assert len(names(response)) == 2


async def test_keyset_pages_cover_every_row_once_in_both_directions(client, login_as):
    await signed_in_staff(login_as)
    lst = await fx.submitted_list(await fx.coordinator("kota"))
    start = datetime(2026, 3, 1, tzinfo=UTC)
    for i in range(120):
        # Pairs share a timestamp so the id must break ties.
        await fx.resident(
            lst, full_name=f"Warga {i:03d}", submitted_at=start + timedelta(minutes=i // 2)
        )
    for sort in ("terbaru", "terlama", "nama"):
        seen, pages, url = [], [], f"/petugas/antrian?urut={sort}"
        while url:
            response = await client.get(url)
            doc = page(response)
            pages.append(names(response))
            seen += pages[-1]
            nxt = doc.select_one("a[rel=next]")
            url = nxt["href"] if nxt else None
        assert [len(p) for p in pages] == [50, 50, 20], sort
        assert len(set(seen)) == 120, sort
        if sort == "nama":
            assert seen == sorted(seen)
        # Back from the last page gives exactly the middle page.
        prev = page(response).select_one("a[rel=prev]")
        assert names(await client.get(prev["href"])) == pages[1], sort
    assert "OFFSET" not in str(Resident.select().limit(1))


async def test_htmx_request_gets_only_the_results(client, login_as):
    await signed_in_staff(login_as)
    lst = await fx.submitted_list(await fx.coordinator("kota"))
    await fx.resident(lst, full_name="Hana")
    fragment = await client.get("/petugas/antrian?q=hana", headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "<html" not in fragment.text and 'id="filters"' not in fragment.text
    assert "Hana" in fragment.text and "status-tabs" in fragment.text
    assert "HX-Request" in fragment.headers["vary"]


async def test_admin_sees_both_offices_or_picks_one(client, login_as):
    await login_as(await fx.admin())
    kota = await fx.submitted_list(await fx.coordinator("kota"))
    kab = await fx.submitted_list(await fx.coordinator("kabupaten", fx.KAB_VILLAGE), fx.KAB_VILLAGE)
    await fx.resident(kota, full_name="Ani Kota")
    await fx.resident(kab, full_name="Budi Kab")
    assert sorted(names(await client.get("/petugas/antrian"))) == ["Ani Kota", "Budi Kab"]
    assert names(await client.get("/petugas/antrian?kantor=kabupaten")) == ["Budi Kab"]


async def test_bulk_verify_is_one_transaction_and_reports_what_it_skipped(client, login_as):
    await signed_in_staff(login_as)
    lst = await fx.submitted_list(await fx.coordinator("kota"))
    fresh = await fx.residents(lst, 3)
    rejected = await fx.resident(lst, status="ditolak")
    stale = await fx.resident(lst)
    other_office = await fx.resident(
        await fx.submitted_list(await fx.coordinator("kabupaten", fx.KAB_VILLAGE), fx.KAB_VILLAGE)
    )
    picks = [f"{r.id}.{r.version}" for r in [*fresh, rejected, other_office]]
    picks.append(f"{stale.id}.{stale.version - 1}")  # someone changed it since the page loaded
    response = await post(
        client,
        "/petugas/antrian/massal",
        {"aksi": "verifikasi", "pilih": picks, "kembali": "/petugas/antrian?status=diterima"},
    )
    assert response.status_code == 303
    assert response.headers["location"].startswith("/petugas/antrian?status=diterima&")
    shown = await client.get(response.headers["location"])
    assert "3 warga diverifikasi" in shown.text
    assert "1 warga dilewati karena statusnya" in shown.text
    assert "1 warga dilewati karena baru saja diubah" in shown.text
    statuses = {r["id"]: r["status"] for r in await Resident.select(Resident.id, Resident.status)}
    assert all(statuses[r.id] == "diverifikasi" for r in fresh)
    assert statuses[rejected.id] == "ditolak" and statuses[stale.id] == "diterima"
    assert statuses[other_office.id] == "diterima"
    assert await ResidentEvent.count().where(ResidentEvent.to_status == "diverifikasi") == 3
    assert await AuditEntry.count().where(AuditEntry.action == "resident_status") == 3


async def test_bulk_reject_needs_a_reason(client, login_as):
    await signed_in_staff(login_as)
    lst = await fx.submitted_list(await fx.coordinator("kota"))
    people = await fx.residents(lst, 2)
    picks = [f"{r.id}.{r.version}" for r in people]
    missing = await post(client, "/petugas/antrian/massal", {"aksi": "tolak", "pilih": picks})
    assert "pesan=alasan_tolak" in missing.headers["location"]
    assert "Pilih alasan penolakan" in (await client.get(missing.headers["location"])).text
    ok = await post(
        client,
        "/petugas/antrian/massal",
        {
            "aksi": "tolak",
            "pilih": picks,
            "alasan_tolak": "pindah",
            "keterangan_tolak": "ke Surabaya",
        },
    )
    assert "ok=2" in ok.headers["location"]
    rows = await Resident.select(Resident.status, Resident.reject_code, Resident.status_reason)
    assert {(r["status"], r["reject_code"]) for r in rows} == {("ditolak", "pindah")}
    assert rows[0]["status_reason"] == "Pindah: ke Surabaya"


async def test_bulk_schedule_refuses_when_the_session_cannot_take_everyone(client, login_as):
    await signed_in_staff(login_as)
    lst = await fx.submitted_list(await fx.coordinator("kota"))
    people = await fx.residents(lst, 3, status="diverifikasi")
    small = await fx.session("kota", capacity=2)
    picks = [f"{r.id}.{r.version}" for r in people]
    full = await post(
        client, "/petugas/antrian/massal", {"aksi": "jadwalkan", "pilih": picks, "sesi": small.id}
    )
    assert "pesan=penuh" in full.headers["location"] and "sisa=2" in full.headers["location"]
    assert await Resident.count().where(Resident.status == "dijadwalkan") == 0
    assert (await fx.fresh(small))["booked"] == 0
    roomy = await fx.session("kota", capacity=10)
    ok = await post(
        client, "/petugas/antrian/massal", {"aksi": "jadwalkan", "pilih": picks, "sesi": roomy.id}
    )
    assert "ok=3" in ok.headers["location"]
    assert (await fx.fresh(roomy))["booked"] == 3
    assert await OutreachSession.count().where(OutreachSession.booked > 0) == 1


async def test_bulk_without_selection_says_so(client, login_as):
    await signed_in_staff(login_as)
    response = await post(client, "/petugas/antrian/massal", {"aksi": "verifikasi"})
    assert "Pilih minimal satu warga" in (await client.get(response.headers["location"])).text


async def test_the_address_keeps_only_the_filters_in_use(client, login_as):
    await signed_in_staff(login_as)
    await fx.resident(await fx.submitted_list(await fx.coordinator("kota")), full_name="Ani")
    full_form = "/petugas/antrian?q=ani&status=&kecamatan=&rw=&urut=terbaru&per=50"
    plain = await client.get(full_form, follow_redirects=False)
    assert plain.status_code == 303 and plain.headers["location"] == "/petugas/antrian?q=ani"
    htmx = await client.get(full_form, headers={"HX-Request": "true"})
    assert htmx.status_code == 200 and htmx.headers["hx-push-url"] == "/petugas/antrian?q=ani"
    assert (
        'name="kembali" value="/petugas/antrian?q=ani"' in htmx.text
        or "Tidak ada warga" in htmx.text
    )


async def test_long_selects_are_narrowed_by_the_kecamatan(client, login_as):
    await signed_in_staff(login_as, "kabupaten")
    for village in (fx.KAB_VILLAGE, "35.16.01.2002"):
        for _ in range(31):
            await fx.coordinator("kabupaten", village)
    wide = page(await client.get("/petugas/antrian"))
    assert len(wide.select("#desa option")) == 1  # "Semua": 300 desa are too many to offer
    assert len(wide.select("#koordinator option")) == 1
    assert "Pilih kecamatan atau kelurahan/desa dulu" in text(wide)
    kec = await fx.kecamatan_of(fx.KAB_VILLAGE)
    narrow = await client.get(f"/petugas/antrian?kecamatan={kec.code}&desa={fx.KAB_VILLAGE}")
    doc = page(narrow)
    assert len(doc.select("#desa optgroup")) == 1 and len(doc.select("#desa option")) > 5
    assert doc.select_one("#desa option[selected]")["value"] == fx.KAB_VILLAGE
    assert len(doc.select("#koordinator option")) == 32  # "Semua" and the desa's 31
    fragment = await client.get(
        f"/petugas/antrian?kecamatan={kec.code}", headers={"HX-Request": "true"}
    )
    oob = page(fragment).select('div[data-hx-swap-oob="innerHTML:#desa"] option')
    assert len(oob) == len(doc.select("#desa option"))


# --- Bulk actions on every result of a filter ---------------------------------------------


def filter_bulk_form(query: str, jumlah: int | None = None, **fields) -> dict:
    data = {"cakupan": "saringan", "saringan": query, "kembali": f"/petugas/antrian?{query}"}
    if jumlah is not None:
        data["jumlah"] = str(jumlah)
    return {"aksi": "verifikasi", **data, **fields}


async def many_waiting(count: int, village: str = fx.KOTA_VILLAGE, **fields):
    office = "kabupaten" if village.startswith("35.16") else "kota"
    lst = await fx.submitted_list(await fx.coordinator(office, village), village)
    return await fx.residents(lst, count, **fields)


async def statuses() -> dict[int, str]:
    return {r["id"]: r["status"] for r in await Resident.select(Resident.id, Resident.status)}


async def test_verify_every_result_of_a_filter_across_pages(client, login_as):
    await signed_in_staff(login_as)
    target = await many_waiting(60)
    other_village = await many_waiting(3, fx.KOTA_OTHER_VILLAGE)
    other_office = await many_waiting(4, fx.KAB_VILLAGE)
    query = f"desa={fx.KOTA_VILLAGE}&status=diterima"

    queue_page = page(await client.get(f"/petugas/antrian?{query}"))
    assert len(queue_page.select("table.queue tbody tr")) == 50
    assert "Pilih semua 60 hasil saringan ini" in text(queue_page.select_one("#bulk"))
    assert queue_page.select_one("#bulk input[name=saringan]")["value"] == query

    confirm = await post(client, "/petugas/antrian/massal", filter_bulk_form(query))
    assert confirm.status_code == 200
    doc = page(confirm)
    assert "60 warga" in text(doc.select_one(".lead"))
    assert "Kelurahan/desa: Surodinawan" in text(doc) and "Status: Diterima" in text(doc)
    assert doc.select_one("input[name=jumlah]")["value"] == "60"
    assert await Resident.count().where(Resident.status == "diverifikasi") == 0

    done = await post(client, "/petugas/antrian/massal", filter_bulk_form(query, 60))
    assert done.status_code == 303
    assert done.headers["location"].startswith(f"/petugas/antrian?{query}&")
    assert "60 warga diverifikasi" in (await client.get(done.headers["location"])).text
    now = await statuses()
    assert all(now[r.id] == "diverifikasi" for r in target)
    assert all(now[r.id] == "diterima" for r in [*other_village, *other_office])
    assert await ResidentEvent.count().where(ResidentEvent.to_status == "diverifikasi") == 60
    assert await AuditEntry.count().where(AuditEntry.action == "resident_status") == 60
    entries = await AuditEntry.select().where(AuditEntry.action == "queue_bulk_filter")
    assert len(entries) == 1
    detail = entries[0]["detail"]
    detail = detail if isinstance(detail, dict) else json.loads(detail)
    assert detail["count"] == 60 and detail["done"] == 60 and detail["action"] == "verifikasi"
    assert detail["filters"] == {"desa": fx.KOTA_VILLAGE, "status": "diterima"}


async def test_the_confirmation_says_filter_dates_as_staff_say_them(client, login_as):
    await signed_in_staff(login_as)
    await many_waiting(2)
    query = f"desa={fx.KOTA_VILLAGE}&dari=2020-08-17&sampai=2030-01-05"
    confirm = page(await post(client, "/petugas/antrian/massal", filter_bulk_form(query)))
    words = text(confirm)
    assert "Dikirim sejak 17 Agustus 2020" in words
    assert "Dikirim sampai 5 Januari 2030" in words


async def test_a_filter_that_matches_nobody_says_so(client, login_as):
    await signed_in_staff(login_as)
    query = "q=tidak-ada-yang-bernama-begini"
    answer = await post(client, "/petugas/antrian/massal", filter_bulk_form(query))
    assert answer.status_code == 303
    shown = await client.get(answer.headers["location"])
    assert "Tidak ada warga yang cocok dengan saringan ini" in shown.text


async def test_filter_action_never_reaches_another_office(client, login_as):
    await signed_in_staff(login_as)
    mine = await many_waiting(3)
    theirs = await many_waiting(4, fx.KAB_VILLAGE)
    # A staff officer cannot widen the scope by naming the other office in the filter.
    query = "kantor=kabupaten&status=diterima"
    confirm = await post(client, "/petugas/antrian/massal", filter_bulk_form(query))
    assert page(confirm).select_one("input[name=jumlah]")["value"] == "3"
    done = await post(client, "/petugas/antrian/massal", filter_bulk_form(query, 3))
    assert "ok=3" in done.headers["location"]
    now = await statuses()
    assert all(now[r.id] == "diverifikasi" for r in mine)
    assert all(now[r.id] == "diterima" for r in theirs)


async def test_a_changed_count_is_refused_with_the_fresh_count(client, login_as):
    await signed_in_staff(login_as)
    people = await many_waiting(55)
    query = "status=diterima"
    # Someone else verified two of them after the count was confirmed.
    for r in people[:2]:
        await Resident.update({Resident.status: "diverifikasi"}).where(Resident.id == r.id)
    before = await statuses()
    response = await post(client, "/petugas/antrian/massal", filter_bulk_form(query, 55))
    assert response.status_code == 409
    doc = page(response)
    assert "berubah dari 55 menjadi 53" in text(doc)
    assert doc.select_one("input[name=jumlah]")["value"] == "53"
    assert await statuses() == before
    assert await AuditEntry.count().where(AuditEntry.action == "queue_bulk_filter") == 0
    again = await post(client, "/petugas/antrian/massal", filter_bulk_form(query, 53))
    assert "ok=53" in again.headers["location"]


async def test_the_cap_is_enforced(client, login_as, monkeypatch):
    from portal.staff import queue_bulk

    # The real cap (2,000) would need thousands of rows; the rule is the same.
    monkeypatch.setattr(queue_bulk, "CAP", 52)
    await signed_in_staff(login_as)
    await many_waiting(53)
    query = "status=diterima"
    queue_page = text(page(await client.get(f"/petugas/antrian?{query}")).select_one("#bulk"))
    assert "Pilih semua" not in queue_page and "lebih dari 52" in queue_page
    confirm = await post(client, "/petugas/antrian/massal", filter_bulk_form(query))
    assert confirm.status_code == 422
    assert "lebih dari 52" in confirm.text and not page(confirm).select("input[name=jumlah]")
    forced = await post(client, "/petugas/antrian/massal", filter_bulk_form(query, 53))
    assert forced.status_code == 422
    assert await Resident.count().where(Resident.status == "diverifikasi") == 0
    assert await ResidentEvent.count() == 0


async def test_scheduling_a_whole_filter_is_all_or_nothing(client, login_as):
    await signed_in_staff(login_as)
    people = await many_waiting(55, status="diverifikasi")
    query = "status=diverifikasi"
    small = await fx.session("kota", capacity=54)
    confirm = await post(
        client, "/petugas/antrian/massal", filter_bulk_form(query, aksi="jadwalkan", sesi=small.id)
    )
    assert confirm.status_code == 200 and "Sesi: " in confirm.text
    full = await post(
        client,
        "/petugas/antrian/massal",
        filter_bulk_form(query, 55, aksi="jadwalkan", sesi=small.id),
    )
    assert "pesan=penuh" in full.headers["location"] and "sisa=54" in full.headers["location"]
    assert await Resident.count().where(Resident.status == "dijadwalkan") == 0
    assert (await fx.fresh(small))["booked"] == 0
    assert await AuditEntry.count().where(AuditEntry.action == "queue_bulk_filter") == 0
    roomy = await fx.session("kota", capacity=100)
    ok = await post(
        client,
        "/petugas/antrian/massal",
        filter_bulk_form(query, 55, aksi="jadwalkan", sesi=roomy.id),
    )
    assert "ok=55" in ok.headers["location"]
    assert (await fx.fresh(roomy))["booked"] == 55
    assert {(await fx.fresh(r))["outreach_session"] for r in people} == {roomy.id}


async def test_filter_action_skips_and_reports_rows_it_cannot_move(client, login_as):
    await signed_in_staff(login_as)
    waiting = await many_waiting(50)
    rejected = await many_waiting(2, status="ditolak")
    confirm = await post(client, "/petugas/antrian/massal", filter_bulk_form(""))
    assert "Tanpa saringan" in confirm.text
    done = await post(client, "/petugas/antrian/massal", filter_bulk_form("", 52))
    shown = (await client.get(done.headers["location"])).text
    assert "50 warga diverifikasi" in shown and "2 warga dilewati" in shown
    now = await statuses()
    assert all(now[r.id] == "diverifikasi" for r in waiting)
    assert all(now[r.id] == "ditolak" for r in rejected)


async def test_filter_action_checks_its_inputs_before_asking_to_confirm(client, login_as):
    await signed_in_staff(login_as)
    await many_waiting(2)
    missing = await post(client, "/petugas/antrian/massal", filter_bulk_form("", aksi="tolak"))
    assert missing.status_code == 303 and "pesan=alasan_tolak" in missing.headers["location"]
    no_session = await post(
        client, "/petugas/antrian/massal", filter_bulk_form("", aksi="jadwalkan")
    )
    assert "pesan=sesi" in no_session.headers["location"]
    rejected = await post(
        client,
        "/petugas/antrian/massal",
        filter_bulk_form("", 2, aksi="tolak", alasan_tolak="pindah"),
    )
    assert "ok=2" in rejected.headers["location"]
    assert await Resident.count().where(Resident.status == "ditolak") == 2


async def test_filter_action_needs_the_csrf_token(client, login_as):
    await signed_in_staff(login_as)
    await many_waiting(2)
    await client.get("/petugas")
    response = await client.post(
        "/petugas/antrian/massal", data=filter_bulk_form("", 2), follow_redirects=False
    )
    assert response.status_code == 403
    assert await Resident.count().where(Resident.status == "diverifikasi") == 0

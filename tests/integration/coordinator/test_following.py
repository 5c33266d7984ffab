"""Duplicate warnings across lists, the status line after staff act, and corrections."""

from datetime import UTC, date, datetime, time

from portal.tables.accounts import AuditEntry
from portal.tables.outreach import OutreachSession
from portal.tables.regions import Office
from portal.tables.residents import Resident, ResidentEvent, ResidentNote
from tests.integration.coordinator.helpers import (
    Browser,
    make_coordinator,
    make_staff,
    page,
    resident_fields,
)

NIK = "3576011708900001"


async def _submitted_list(b: Browser, *names: str, **extra) -> str:
    url = await b.new_list()
    for name in names:
        response = await b.add(url, **resident_fields(name=name, **extra))
        assert response.status_code == 303, response.text
    await b.post(url + "/kirim", {"submit_token": "tok-" + url[-12:]})
    return url


async def test_same_nik_twice_in_a_list_is_blocked(browser):
    url = await browser.new_list()
    await browser.add(url, **resident_fields(name="Budi", nik=NIK))
    response = await browser.add(url, **resident_fields(name="Budi Lagi", nik=NIK))
    assert response.status_code == 400
    assert "NIK ini sudah ada di daftar ini (Budi)" in response.text
    assert await Resident.count() == 1


async def test_same_nik_in_a_pasted_batch_is_blocked(browser):
    url = await browser.new_list()
    rows = f"Budi, {NIK}, 17-08-1990\nBudi Kedua, {NIK}, 17-08-1990\n"
    response = await browser.post(url + "/tempel", {"rows": rows})
    preview = await browser.get(response.headers["location"])
    assert "NIK ini sudah ada di daftar ini (baris 1)" in preview.text


async def test_nik_in_another_list_warns_with_area_and_status_only(browser, client, login_as):
    await _submitted_list(browser, "Budi", nik=NIK)
    neighbour = await make_coordinator("rt04.test", rt="04")
    await login_as(neighbour)
    other = Browser(client)
    url = await other.new_list()
    response = await other.add(url, **resident_fields(name="Budi", nik=NIK, rt="04"))
    assert response.status_code == 303
    mine = await Resident.objects().where(Resident.full_name == "Budi", Resident.rt == "04").first()
    assert mine.warn_duplicate is True
    shown = (await other.get(url)).text
    assert (
        "NIK ini juga ada di daftar lain (Kel. Surodinawan RW 02 RT 03, status: diterima)" in shown
    )
    assert "rt03.test" not in shown and "Koordinator rt03" not in shown


async def test_recorded_nik_warns(browser, client, login_as):
    await _submitted_list(browser, "Budi", nik=NIK)
    await Resident.update({Resident.status: "sudah_rekam"}).where(Resident.nik == NIK)
    await login_as(await make_coordinator("rt05.test", rt="05"))
    other = Browser(client)
    url = await other.new_list()
    await other.add(url, **resident_fields(name="Budi", nik=NIK, rt="05"))
    assert "NIK ini sudah tercatat sudah rekam" in (await other.get(url)).text


async def test_same_name_birth_date_and_rt_is_a_possible_duplicate(browser):
    await _submitted_list(browser, "Siti Aminah")
    url = await browser.new_list(_token="second")
    response = await browser.add(url, **resident_fields(name="  siti   AMINAH "))
    assert response.status_code == 303
    new = await Resident.objects().where(Resident.status == "draft").first()
    assert new.warn_duplicate is True
    assert "Kemungkinan duplikat" in (await browser.get(url)).text
    # Submitting flags the earlier resident too, so staff see the pair from either side.
    await browser.post(url + "/kirim", {"submit_token": "tok-dup"})
    flagged = await Resident.select(Resident.warn_duplicate)
    assert [r["warn_duplicate"] for r in flagged] == [True, True]


async def test_same_name_in_another_rt_is_not_a_duplicate(browser, client, login_as):
    await _submitted_list(browser, "Siti Aminah")
    await login_as(await make_coordinator("rt06.test", rt="06"))
    other = Browser(client)
    url = await other.new_list()
    await other.add(url, **resident_fields(name="Siti Aminah", rt="06"))
    resident = await Resident.objects().where(Resident.rt == "06").first()
    assert resident.warn_duplicate is False


async def test_a_mistyped_name_is_a_similar_name_duplicate_without_leaking(
    browser, client, login_as, rt03
):
    first_url = await _submitted_list(browser, "Muhammad Rizki", address="Jl. Melati 9")
    await login_as(await make_coordinator("pkk.test"))  # a PKK cadre of the same RT
    cadre = Browser(client)
    url = await cadre.new_list()
    assert (await cadre.add(url, **resident_fields(name="M. Rizky"))).status_code == 303
    mine = (
        await Resident.objects()
        .where(Resident.full_name == "M. Rizky")
        .output(load_json=True)
        .first()
    )
    assert mine.warn_duplicate is True
    assert [w["code"] for w in mine.warnings] == ["possible_duplicate_similar"]
    shown = (await cadre.get(url)).text
    assert (
        "Kemungkinan duplikat: nama mirip, tanggal lahir dan RT sama dengan warga di daftar "
        "lain (Kel. Surodinawan RW 02 RT 03, status: diterima)." in shown
    )
    for leak in ("Muhammad Rizki", "Melati", "rt03.test", "Koordinator rt03"):
        assert leak not in shown
    await cadre.post(url + "/kirim", {"submit_token": "tok-similar"})

    # The earlier resident is flagged too, and its coordinator learns only the area.
    await login_as(rt03)
    earlier = await Resident.objects().where(Resident.full_name == "Muhammad Rizki").first()
    assert earlier.warn_duplicate is True
    seen = (await browser.get(f"{first_url}/warga/{earlier.id}")).text
    assert (
        "Kemungkinan duplikat: warga dengan nama mirip serta tanggal lahir dan RT yang sama "
        "dikirim di daftar lain (Kel. Surodinawan RW 02 RT 03)." in seen
    )
    for leak in ("M. Rizky", "pkk.test", "Koordinator pkk"):
        assert leak not in seen

    # Staff see the warning and both residents side by side, the name marked as similar.
    await login_as(await make_staff())
    detail = page(await client.get(f"/petugas/warga/{mine.id}"))
    assert "Kemungkinan duplikat: nama mirip" in detail.select_one("section.notice.warn").text
    assert "Nama mirip" in detail.select("table.compare tbody tr")[0].text
    assert f"No. {earlier.id}" in detail.select_one("table.compare thead").text


async def test_a_different_person_is_not_a_similar_name_duplicate(browser, client, login_as):
    await _submitted_list(browser, "Muhammad Rizki")
    url = await browser.new_list(_token="second")
    for fields in (
        resident_fields(name="Ahmad Rizki"),  # another first name
        resident_fields(name="Muhamad Rizky", dob_day="18"),  # another birth date
        resident_fields(name="Muhammad Rizka", sex="P"),  # a twin sister
    ):
        assert (await browser.add(url, **fields)).status_code == 303
    await login_as(await make_coordinator("rt06.test", rt="06"))
    other = Browser(client)
    other_url = await other.new_list()
    await other.add(other_url, **resident_fields(name="Muhamad Rizky", rt="06"))
    flags = await Resident.select(Resident.warn_duplicate).where(Resident.status == "draft")
    assert [r["warn_duplicate"] for r in flags] == [False] * 4


async def test_titles_and_an_old_ch_spelling_are_similar_names(browser):
    await _submitted_list(browser, "Hj. Siti Aminah", sex="P")
    await _submitted_list(browser, "Chandra Wijaya")
    url = await browser.new_list(_token="third")
    for fields in (
        resident_fields(name="Siti Aminah, S.Pd.", sex="P"),
        resident_fields(name="Candra Wijaya"),
        resident_fields(name="Hj. Siti Maryam", sex="P"),  # another person, same title
    ):
        assert (await browser.add(url, **fields)).status_code == 303
    drafts = await (
        Resident.select(Resident.full_name, Resident.warnings)
        .where(Resident.status == "draft")
        .order_by(Resident.id)
        .output(load_json=True)
    )
    assert [(r["full_name"], [w["code"] for w in r["warnings"]]) for r in drafts] == [
        ("Siti Aminah, S.Pd.", ["possible_duplicate_similar"]),
        ("Candra Wijaya", ["possible_duplicate_similar"]),
        ("Hj. Siti Maryam", []),
    ]


async def test_similar_names_inside_one_list_name_the_earlier_row(browser):
    url = await browser.new_list()
    rows = "Siti Nurhayati, 17-08-1990\nBudi Santoso, 17-08-1990\nSt. Nur Hayati, 17-08-1990\n"
    response = await browser.post(url + "/tempel", {"rows": rows})
    preview = (await browser.get(response.headers["location"])).text
    assert (
        "Kemungkinan duplikat: nama mirip dan tanggal lahir sama dengan baris 1 di daftar ini."
        in preview
    )
    assert preview.count("Kemungkinan duplikat") == 1
    await browser.add(url, **resident_fields(name="Budi Santosa"))
    assert (
        "Kemungkinan duplikat: nama mirip dan tanggal lahir sama dengan Budi Santoso"
        not in (await browser.get(url)).text
    )  # pasted rows are not stored before the preview is confirmed


async def test_duplicate_checks_stay_batched_for_a_large_paste(browser, monkeypatch):
    from portal.piccolo_conf import DB

    engine = type(DB)
    run = engine.run_querystring
    count = [0]

    async def counting(self, *args, **kwargs):
        count[0] += 1
        return await run(self, *args, **kwargs)

    monkeypatch.setattr(engine, "run_querystring", counting)

    async def queries_for(n: int) -> int:
        url = await browser.new_list()
        rows = "".join(
            f"Warga Uji {i}, {1 + i % 28:02d}-{1 + i % 12:02d}-19{50 + i % 50}\n" for i in range(n)
        )
        count[0] = 0
        response = await browser.post(url + "/tempel", {"rows": rows})
        await browser.get(response.headers["location"])
        return count[0]

    small, large = await queries_for(10), await queries_for(1000)
    assert large <= small + 2, (small, large)  # chunks of 500 birth dates, not one per row


async def test_nik_warnings_are_saved_not_errors(browser):
    url = await browser.new_list()
    # Encoded birth date 17-08-90 (male) typed as 18-08-1990, female; region 3516.
    response = await browser.add(
        url, **resident_fields(nik="3516011708900001", dob_day="18", sex="P")
    )
    assert response.status_code == 303
    resident = await Resident.objects().output(load_json=True).first()
    assert resident.warn_nik is True
    codes = {w["code"] for w in resident.warnings}
    assert {"birth_date_mismatch", "sex_mismatch", "outside_area"} <= codes


async def _staff_acts(resident_id: int, status: str, **values) -> None:
    await Resident.update({Resident.status: status, **values}).where(Resident.id == resident_id)


async def test_status_line_after_staff_act(browser):
    url = await _submitted_list(browser, "Ani", "Budi", "Citra", "Dedi", "Eka")
    rows = {r.full_name: r for r in await Resident.objects()}
    office = await Office.objects().where(Office.slug == "kota").first()
    session = OutreachSession(
        office=office.id,
        kind="kelurahan",
        title="Jemput bola Surodinawan",
        place="Balai Kelurahan Surodinawan",
        day=date(2026, 12, 3),
        starts=time(8, 0),
        ends=time(12, 0),
        updated_at=datetime.now(UTC),
    )
    await session.save()
    await _staff_acts(rows["Ani"].id, "perlu_perbaikan", status_reason="Nama tidak sesuai KK")
    await _staff_acts(rows["Budi"].id, "dijadwalkan", outreach_session=session.id)
    await _staff_acts(
        rows["Citra"].id, "sudah_rekam", recorded_on=date(2026, 11, 20), recorded_place="MPP"
    )
    await _staff_acts(rows["Dedi"].id, "ditolak", reject_code="pindah", status_reason="Ke Surabaya")
    await ResidentNote(
        resident=rows["Budi"].id,
        at=datetime.now(UTC),
        body="Bawa KK asli",
        visible_to_coordinator=True,
    ).save()
    await ResidentNote(
        resident=rows["Budi"].id,
        at=datetime.now(UTC),
        body="RAHASIA internal",
        visible_to_coordinator=False,
    ).save()
    response = await browser.get(url)
    text = response.text
    assert "Petugas meminta perbaikan: Nama tidak sesuai KK" in text
    assert "Jemput bola Surodinawan, Balai Kelurahan Surodinawan, Kamis 3 Desember 2026" in text
    assert "pukul 08.00–12.00 WIB" in text
    assert "Sudah rekam KTP-el (20 November 2026, MPP)" in text
    assert "Alasan: Pindah; Ke Surabaya" in text
    assert "Bawa KK asli" in text
    assert "RAHASIA" not in text
    counts = page(response).select_one("ul.counts").get_text(" ", strip=True)
    assert "5 warga" in counts and "1 perlu perbaikan" in counts and "1 diterima" in counts
    detail = await browser.get(f"{url}/warga/{rows['Budi'].id}")
    assert "Bawa KK asli" in detail.text and "RAHASIA" not in detail.text
    assert 'aria-current="step">Dijadwalkan' in detail.text
    dashboard = await browser.get("/koordinator")
    assert "1 perlu perbaikan" in dashboard.text


async def test_correction_resubmits_resident(browser):
    url = await _submitted_list(browser, "Ani", nik=NIK)
    resident = await Resident.objects().first()
    await _staff_acts(resident.id, "perlu_perbaikan", status_reason="Tanggal lahir salah")
    page_ = await browser.get(f"{url}/warga/{resident.id}")
    doc = page(page_)
    assert doc.find("button", string="Kirim perbaikan ke petugas")
    assert (
        doc.select_one(f"#r{resident.id}-nik").get("value", "") == ""
    )  # never echoed: no value at all
    bad = await browser.post(f"{url}/warga/{resident.id}", resident_fields(name="", dob_day="18"))
    assert bad.status_code == 400 and "Masukkan nama lengkap" in bad.text
    assert (await Resident.objects().first()).status == "perlu_perbaikan"
    ok = await browser.post(f"{url}/warga/{resident.id}", resident_fields(name="Ani", dob_day="18"))
    assert ok.status_code == 303
    fixed = await Resident.objects().first()
    assert fixed.status == "diterima" and fixed.birth_date == date(1990, 8, 18)
    assert fixed.nik == NIK and fixed.status_reason == ""
    event = await ResidentEvent.objects().where(ResidentEvent.action == "resubmit").first()
    assert (event.from_status, event.to_status) == ("perlu_perbaikan", "diterima")
    assert await AuditEntry.count().where(AuditEntry.action == "resident.resubmit") == 1
    # Not waiting for a correction any more: a second post changes nothing.
    again = await browser.post(f"{url}/warga/{resident.id}", resident_fields(name="Lain"))
    assert (await Resident.objects().first()).full_name == "Ani"
    assert again.status_code == 409

"""Coordinator lists end to end through the routes: create, rows, submit, withdraw, scope."""

import asyncio

from portal.tables.accounts import AuditEntry
from portal.tables.residents import Resident, ResidentEvent, ResidentList
from tests.integration.coordinator.helpers import (
    Browser,
    make_coordinator,
    page,
    resident_fields,
)


async def test_every_coordinator_route_is_guarded(app):
    from portal.auth.guards import require_coordinator

    paths = [r for r in app.routes if r.path.startswith("/koordinator")]
    assert len(paths) > 20
    for route in paths:
        for handler in route.route_handlers:
            guards = [g for layer in handler.ownership_layers for g in (layer.guards or [])]
            assert require_coordinator in guards, route.path
            assert not (handler.opt or {}).get("public"), route.path


async def test_anonymous_and_staff_are_kept_out(client, login_as, db):
    response = await client.get("/koordinator", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/masuk")
    from tests.integration.coordinator.helpers import make_staff

    await login_as(await make_staff())
    assert (await client.get("/koordinator")).status_code == 403


async def test_dashboard_offers_one_tap_new_list(browser):
    response = await browser.get("/koordinator")
    assert response.status_code == 200
    doc = page(response)
    button = doc.find("button", string="Buat daftar baru")
    assert button is not None
    assert doc.select_one("form.new-list input[name=_token]")["value"]
    assert "Kel. Surodinawan RW 02 RT 03" in response.text


async def test_double_tap_new_list_creates_one(browser, rt03):
    token = "same-form-token"
    # A title, so this proves the token and not the reuse of an empty draft.
    first = await browser.new_list(_token=token, title="Pemula 2026")
    second = await browser.new_list(_token=token, title="Pemula 2026")
    assert first == second
    assert await ResidentList.count().where(ResidentList.coordinator == rt03.id) == 1
    created = await AuditEntry.select().where(AuditEntry.action == "list.create")
    assert len(created) == 1


async def test_concurrent_new_list_requests_create_one(browser, rt03):
    token = "racing-token"
    urls = await asyncio.gather(*[browser.new_list(_token=token, title="Lansia") for _ in range(3)])
    assert len(set(urls)) == 1
    assert await ResidentList.count().where(ResidentList.coordinator == rt03.id) == 1


async def test_new_list_token_resent_with_other_values_is_refused(browser, rt03):
    first = await browser.new_list(_token="edited-resend", title="Pemula 2026")
    response = await browser.post(
        "/koordinator/daftar/baru", {"_token": "edited-resend", "title": "Lansia RT 03"}
    )
    assert response.status_code == 409
    assert await ResidentList.count().where(ResidentList.coordinator == rt03.id) == 1
    doc = page(response)
    assert doc.select_one(f'.notice a[href="{first}"]').text == "Pemula 2026"
    # The input comes back on a fresh form, so a second list can still be made on purpose.
    assert doc.select_one("#list-title")["value"] == "Lansia RT 03"
    fresh = doc.select_one("input[name=_token]")["value"]
    assert fresh and fresh != "edited-resend"
    second = await browser.new_list(_token=fresh, title="Lansia RT 03")
    assert second != first
    assert await ResidentList.count().where(ResidentList.coordinator == rt03.id) == 2


async def test_racing_requests_with_one_token_and_different_values_store_one(browser, rt03):
    responses = await asyncio.gather(
        *[
            browser.post("/koordinator/daftar/baru", {"_token": "race-2", "title": title})
            for title in ("Pemula", "Lansia")
        ]
    )
    assert sorted(r.status_code for r in responses) == [303, 409]
    stored = await ResidentList.select(ResidentList.title).where(
        ResidentList.coordinator == rt03.id
    )
    winner = next(r for r in responses if r.status_code == 303)
    assert len(stored) == 1
    assert stored[0]["title"] in ("Pemula", "Lansia")
    assert winner.headers["location"].startswith("/koordinator/daftar/")


async def test_new_list_reuses_an_empty_draft_and_gets_a_default_title(browser, rt03):
    first = await browser.new_list()
    second = await browser.new_list()
    assert first == second
    lst = await ResidentList.objects().first()
    assert lst.title.startswith("Daftar ")
    await browser.add(first, **resident_fields())
    third = await browser.new_list()
    assert third != first
    assert await ResidentList.count() == 2


async def test_list_area_comes_from_scope(browser, rt03):
    url = await browser.new_list(rw="09", rt="09")  # ignored: the scope fixes RW/RT
    lst = await ResidentList.objects().where(ResidentList.coordinator == rt03.id).first()
    assert (lst.rw, lst.rt) == ("02", "03")
    response = await browser.get(url)
    assert "Kel. Surodinawan RW 02 RT 03" in response.text


async def test_kelurahan_wide_coordinator_picks_rw_rt(client, login_as, db):
    user = await make_coordinator("pkk.test", "35.76.02.1010", None, None)
    await login_as(user)
    b = Browser(client)
    form = await b.get("/koordinator/daftar/baru")
    assert page(form).select_one("input[name=rw]") is not None
    bad = await b.post("/koordinator/daftar/baru", {"_token": "t1", "rt": "4"})
    assert bad.status_code == 400 and "Isi RW juga" in bad.text
    bad = await b.post("/koordinator/daftar/baru", {"_token": "t1", "rw": "dua"})
    assert bad.status_code == 400 and "RW harus berupa angka" in bad.text
    assert 'value="dua"' in bad.text  # typed value kept
    url = await b.new_list(_token="t2", rw="1", rt="")
    lst = await ResidentList.objects().first()
    assert (lst.rw, lst.rt) == ("01", None)
    # Residents must live in that RW; any RT inside it.
    ok = await b.add(url, **resident_fields(rw="01", rt="07"))
    assert ok.status_code == 303
    wrong = await b.add(url, **resident_fields(rw="02", rt="07"))
    assert wrong.status_code == 400 and "Daftar ini untuk RW 01" in wrong.text


async def test_add_resident_plain_post_and_masked_nik(browser):
    url = await browser.new_list()
    response = await browser.add(
        url, **resident_fields(nik="3576011708900001", dob_day="17", dob_month="8")
    )
    assert response.status_code == 303
    resident = await Resident.objects().first()
    assert resident.nik == "3576011708900001"
    assert resident.name_key == "budi santoso"
    assert resident.status == "draft"
    assert resident.office and resident.kecamatan and resident.village
    shown = await browser.get(url)
    assert "3576011708900001" not in shown.text
    assert "3576••••••••0001" in shown.text


async def test_add_form_errors_keep_typed_values_without_js(browser):
    url = await browser.new_list()
    response = await browser.add(
        url,
        **resident_fields(
            name="Ani", nik="12345", dob_day="", dob_month="", dob_year="", phone="0812-ABC"
        ),
    )
    assert response.status_code == 400
    doc = page(response)
    assert doc.select_one(".error-summary")
    assert "NIK harus 16 angka" in response.text
    assert "Nomor HP hanya boleh berisi angka" in response.text
    assert doc.select_one("#new-full_name")["value"] == "Ani"
    assert doc.select_one("#new-nik")["value"] == "12345"
    assert doc.select_one("#new-phone")["value"] == "0812-ABC"
    assert await Resident.count() == 0
    # The failed attempt is kept as an unsaved entry and shown again after a reload.
    again = page(await browser.get(url))
    assert again.select_one("#new-full_name")["value"] == "Ani"


async def test_add_row_double_post_stores_once(browser):
    url = await browser.new_list()
    data = {"_token": "row-token-1", **resident_fields()}
    first = await browser.post(url + "/warga", data)
    second = await browser.post(url + "/warga", data)
    assert first.status_code == second.status_code == 303
    assert await Resident.count() == 1


async def test_add_row_token_resent_with_other_values_is_refused(browser):
    url = await browser.new_list()
    first = await browser.post(url + "/warga", {"_token": "row-edit", **resident_fields()})
    assert first.status_code == 303
    edited = {"_token": "row-edit", **resident_fields(name="Budi Santosa")}
    response = await browser.post(url + "/warga", edited)
    assert response.status_code == 409
    assert await Resident.count() == 1
    assert "belum disimpan" in response.text
    doc = page(response)
    assert doc.select_one("#new-full_name")["value"] == "Budi Santosa"
    fresh = doc.select_one("#editor input[name=_token]")["value"]
    assert fresh and fresh != "row-edit"
    # A reload still has the unsaved input, and saving it on purpose works.
    again = page(await browser.get(url))
    assert again.select_one("#new-full_name")["value"] == "Budi Santosa"
    saved = await browser.post(url + "/warga", {**edited, "_token": fresh})
    assert saved.status_code == 303
    names = {r["full_name"] for r in await Resident.select(Resident.full_name)}
    assert names == {"Budi Santoso", "Budi Santosa"}


async def test_htmx_add_resent_with_other_values_answers_the_editor(browser):
    url = await browser.new_list()
    await browser.post(url + "/warga", {"_token": "hx-edit", **resident_fields()}, htmx=True)
    response = await browser.post(
        url + "/warga", {"_token": "hx-edit", **resident_fields(name="Sari")}, htmx=True
    )
    # htmx swaps only 2xx answers, so the refusal is said inside the fragment.
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="editor">')
    assert "belum disimpan" in response.text
    assert page(response).select_one("#new-full_name")["value"] == "Sari"
    assert await Resident.count() == 1


async def test_htmx_add_returns_editor_fragment(browser):
    url = await browser.new_list()
    response = await browser.post(url + "/warga", {"_token": "t-x", **resident_fields()}, htmx=True)
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="editor">')
    assert "<html" not in response.text
    assert "Budi Santoso" in response.text


async def test_field_check_returns_fragment_and_autosaves(browser):
    url = await browser.new_list()
    data = {"_token": "t-auto", **resident_fields(name="Sari", nik="3576")}
    response = await browser.post(url + "/periksa?field=nik", data, htmx=True)
    assert response.status_code == 200
    doc = page(response)
    assert doc.select_one("div#new-nik-field.has-error")
    assert "NIK harus 16 angka" in response.text
    assert "<html" not in response.text
    # Only the field asked about shows an error.
    ok_name = await browser.post(url + "/periksa?field=full_name", data, htmx=True)
    assert "error-message" not in ok_name.text
    # The whole form was autosaved: a reload shows what was typed.
    reloaded = page(await browser.get(url))
    assert reloaded.select_one("#new-full_name")["value"] == "Sari"
    assert reloaded.select_one("#new-nik")["value"] == "3576"
    assert "dipulihkan" in reloaded.text
    unknown = await browser.post(url + "/periksa?field=password", data, htmx=True)
    assert unknown.status_code == 404


async def test_partial_birth_date_is_not_an_error_while_typing(browser):
    url = await browser.new_list()
    data = {"_token": "t", **resident_fields(dob_day="3", dob_month="", dob_year="")}
    response = await browser.post(url + "/periksa?field=dob", data, htmx=True)
    assert "error-message" not in response.text
    data["dob_year"] = "2090"
    data["dob_month"] = "1"
    response = await browser.post(url + "/periksa?field=dob", data, htmx=True)
    assert "harus di masa lalu" in response.text


async def test_edit_form_never_echoes_saved_nik(browser):
    url = await browser.new_list()
    await browser.add(url, **resident_fields(nik="3576011708900001"))
    resident = await Resident.objects().first()
    response = await browser.get(f"{url}/warga/{resident.id}/ubah")
    doc = page(response)
    assert (
        doc.select_one(f"#r{resident.id}-nik").get("value", "") == ""
    )  # never echoed: no value at all
    assert "NIK tersimpan: 3576••••••••0001" in response.text
    assert "3576011708900001" not in response.text
    # Saving with the NIK blank keeps it; other fields change.
    fields = resident_fields(name="Budi S.", nik="")
    saved = await browser.post(f"{url}/warga/{resident.id}", fields)
    assert saved.status_code == 303
    resident = await Resident.objects().first()
    assert resident.full_name == "Budi S." and resident.nik == "3576011708900001"


async def test_remove_resident(browser):
    url = await browser.new_list()
    await browser.add(url, **resident_fields())
    resident = await Resident.objects().first()
    form = page(await browser.get(url)).select_one(
        f"form[data-hx-post$='/warga/{resident.id}/hapus']"
    )
    assert form is not None and form["data-hx-confirm"] == "Hapus Budi Santoso dari daftar?"
    response = await browser.post(f"{url}/warga/{resident.id}/hapus", htmx=True)
    assert response.status_code == 200
    assert await Resident.count() == 0


async def test_guardian_consent_required_under_18(browser):
    from portal.clock import today_local as today
    from portal.rules.ages import add_years

    birth = add_years(today(), -17)
    url = await browser.new_list()
    young = resident_fields(
        name="Rina",
        dob_day=str(birth.day),
        dob_month=str(birth.month),
        dob_year=str(birth.year),
        sex="P",
    )
    response = await browser.add(url, **young)
    assert response.status_code == 400
    assert "belum 18 tahun" in response.text
    response = await browser.add(url, **young, guardian_consent="on")
    assert response.status_code == 303
    resident = await Resident.objects().first()
    assert resident.guardian_consent is True
    assert resident.category == "pemula"
    assert resident.warn_under_age is False  # 17 is past Kota's 16 years 8 months


async def test_under_age_is_flagged_with_eligibility_date(browser):
    from portal.clock import today_local as today
    from portal.rules.ages import add_months, add_years

    birth = add_years(today(), -15)
    url = await browser.new_list()
    response = await browser.add(
        url,
        **resident_fields(
            name="Dodi",
            dob_day=str(birth.day),
            dob_month=str(birth.month),
            dob_year=str(birth.year),
            guardian_consent="on",
        ),
    )
    assert response.status_code == 303
    resident = await Resident.objects().first()
    assert resident.warn_under_age is True
    # Kota Mojokerto: 16 years 8 months.
    assert resident.eligible_from == add_months(birth, 16 * 12 + 8)


async def test_other_coordinators_list_is_404(browser, client, login_as):
    url = await browser.new_list()
    await browser.add(url, **resident_fields())
    resident = await Resident.objects().first()
    other = await make_coordinator("rt04.test", rt="04")
    await login_as(other)
    intruder = Browser(client)
    for path in (
        url,
        url + "/cetak",
        f"{url}/warga/{resident.id}",
        f"{url}/warga/{resident.id}/serumah",
        f"{url}/tempel",
    ):
        assert (await intruder.get(path)).status_code == 404, path
    for path in (url + "/kirim", url + "/warga", f"{url}/warga/{resident.id}/hapus"):
        assert (await intruder.post(path, {"_token": "x"})).status_code == 404, path
    assert (await intruder.get("/koordinator/daftar/not-a-uuid")).status_code == 404
    assert await Resident.count() == 1


async def test_submit_is_atomic_and_idempotent(browser, rt03):
    url = await browser.new_list()
    for name in ("Ani", "Budi", "Citra"):
        await browser.add(url, **resident_fields(name=name))
    token = page(await browser.get(url)).select_one("input[name=submit_token]")["value"]
    first = await browser.post(url + "/kirim", {"submit_token": token})
    second = await browser.post(url + "/kirim", {"submit_token": token})
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    lst = await ResidentList.objects().first()
    assert lst.state == "submitted" and lst.submit_token == token
    statuses = {r["status"] for r in await Resident.select(Resident.status)}
    assert statuses == {"diterima"}
    assert await ResidentEvent.count() == 3
    assert await AuditEntry.count().where(AuditEntry.action == "list.submit") == 1
    shown = await browser.get(first.headers["location"])
    assert "sudah dikirim" in shown.text
    assert "3</strong> diterima" in shown.text


async def test_concurrent_submits_submit_once(browser):
    url = await browser.new_list()
    await browser.add(url, **resident_fields())
    token = page(await browser.get(url)).select_one("input[name=submit_token]")["value"]
    results = await asyncio.gather(
        *[browser.post(url + "/kirim", {"submit_token": token}) for _ in range(3)]
    )
    assert {r.status_code for r in results} == {303}
    assert await ResidentEvent.count() == 1
    assert await AuditEntry.count().where(AuditEntry.action == "list.submit") == 1


async def test_empty_list_cannot_be_submitted(browser):
    url = await browser.new_list()
    response = await browser.post(url + "/kirim", {"submit_token": "tok"})
    assert response.status_code == 409
    assert "Daftar masih kosong" in response.text


async def test_submitted_list_is_read_only(browser):
    url = await browser.new_list()
    await browser.add(url, **resident_fields())
    await browser.post(url + "/kirim", {"submit_token": "tok-ro"})
    response = await browser.add(url, **resident_fields(name="Lagi"))
    assert response.status_code == 409
    assert await Resident.count() == 1


async def test_withdraw_before_staff_act_then_reopen(browser):
    url = await browser.new_list()
    await browser.add(url, **resident_fields())
    await browser.post(url + "/kirim", {"submit_token": "tok-w"})
    response = await browser.post(url + "/tarik")
    assert response.status_code == 303
    lst = await ResidentList.objects().first()
    assert lst.state == "withdrawn"
    assert (await Resident.objects().first()).status == "draft"
    assert await AuditEntry.count().where(AuditEntry.action == "list.withdraw") == 1
    assert (await browser.post(url + "/buka")).status_code == 303
    lst = await ResidentList.objects().first()
    assert lst.state == "draft" and lst.submit_token is None
    again = await browser.post(url + "/kirim", {"submit_token": "tok-w2"})
    assert again.status_code == 303
    assert (await Resident.objects().first()).status == "diterima"


async def test_withdraw_refused_once_staff_acted(browser):
    url = await browser.new_list()
    await browser.add(url, **resident_fields(name="Ani"))
    await browser.add(url, **resident_fields(name="Budi"))
    await browser.post(url + "/kirim", {"submit_token": "tok-s"})
    first = await Resident.objects().first()
    await Resident.update({Resident.status: "diverifikasi"}).where(Resident.id == first.id)
    response = await browser.post(url + "/tarik")
    assert response.status_code == 409
    assert "sudah mulai memprosesnya" in response.text
    assert (await ResidentList.objects().first()).state == "submitted"
    statuses = sorted(r["status"] for r in await Resident.select(Resident.status))
    assert statuses == ["diterima", "diverifikasi"]


async def test_print_sheet_masks_niks(browser):
    url = await browser.new_list()
    await browser.add(url, **resident_fields(nik="3576011708900001"))
    response = await browser.get(url + "/cetak")
    assert response.status_code == 200
    assert "3576••••••••0001" in response.text
    assert "3576011708900001" not in response.text
    assert "Jl. Mawar 5" in response.text


async def test_delete_draft_list(browser):
    url = await browser.new_list()
    await browser.add(url, **resident_fields())
    response = await browser.post(url + "/hapus")
    assert response.status_code == 303
    assert await ResidentList.count() == 0 and await Resident.count() == 0


async def test_static_files_have_their_content_type(client):
    # htmx and the stylesheet only run in a browser when served with their real type.
    from portal.web.assets import manifest

    css = await client.get("/static/" + manifest()["portal.css"])
    assert css.headers["content-type"].startswith("text/css")
    js = await client.get("/static/vendor/htmx-2.0.11.min.js")
    assert "javascript" in js.headers["content-type"]


async def test_long_lists_are_paged_and_filtered(browser):
    url = await browser.new_list()
    rows = "\n".join(f"Warga {i:02d}, {1 + i % 28}-01-1990" for i in range(60))
    preview = await browser.post(url + "/tempel", {"rows": rows})
    await browser.post(preview.headers["location"] + "/simpan")
    first = page(await browser.get(url))
    assert len(first.select("ol.residents > li")) == 50
    assert first.select_one("ol.residents h3").text == "Warga 59"  # newest first
    assert "Warga di daftar ini (60)" in first.text
    assert "Kirim 60 warga" in first.text
    second = page(await browser.get(url + "?halaman=2"))
    assert len(second.select("ol.residents > li")) == 10
    await browser.post(url + "/kirim", {"submit_token": "tok-paged"})
    await Resident.update({Resident.status: "dijadwalkan"}).where(Resident.full_name == "Warga 07")
    filtered = page(await browser.get(url + "?status=dijadwalkan"))
    assert [h.text for h in filtered.select("ol.residents h3")] == ["Warga 07"]
    assert len((await browser.get(url)).content) < 120_000


async def test_household_copies_address_rt_rw_and_keeps_typed_input(browser):
    url = await browser.new_list()
    await browser.add(url, **resident_fields(name="Ibu Sumi", address="Gg. Melati 7 <b>"))
    mother = await Resident.objects().first()
    # Something typed into the add form and autosaved, not saved yet, stays.
    typed = {"_token": "tok-household", **resident_fields(name="Anak Sumi", address="")}
    await browser.post(url + "/periksa?field=full_name", typed, htmx=True)
    for htmx in (False, True):
        headers = {"HX-Request": "true"} if htmx else {}
        response = await browser.get(f"{url}/warga/{mother.id}/serumah", headers=headers)
        assert response.status_code == 200
        doc = page(response)
        assert doc.select_one("#new-address")["value"] == "Gg. Melati 7 <b>"
        assert doc.select_one("#new-full_name")["value"] == "Anak Sumi"
        assert doc.select_one("#new-full_name").has_attr("autofocus")
        assert doc.select_one("input[name=_token]")["value"] == "tok-household"
        assert "disalin dari Ibu Sumi" in doc.text
        assert "Gg. Melati 7 <b>" not in response.text  # escaped
        assert ("<html" in response.text) is not htmx
    # Reading the form changes nothing; saving it adds the second member.
    assert await Resident.count() == 1
    form = {**typed, "address": "Gg. Melati 7 <b>"}
    assert (await browser.post(url + "/warga", form)).status_code == 303
    child = await Resident.objects().where(Resident.full_name == "Anak Sumi").first()
    assert (child.address, child.rt, child.rw) == (mother.address, mother.rt, mother.rw)


async def test_household_form_of_a_submitted_list_goes_back_to_the_list(browser):
    url = await browser.new_list()
    await browser.add(url, **resident_fields())
    resident = await Resident.objects().first()
    await browser.post(url + "/kirim", {"submit_token": "tok-household-sent"})
    response = await browser.get(f"{url}/warga/{resident.id}/serumah", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == url


async def test_cancel_an_edit_forgets_the_autosaved_changes(browser):
    url = await browser.new_list()
    await browser.add(url, **resident_fields())
    resident = await Resident.objects().first()
    typed = {"_token": "", "resident_id": str(resident.id), **resident_fields(name="Setengah")}
    await browser.post(url + "/periksa?field=full_name", typed, htmx=True)
    restored = page(await browser.get(f"{url}/warga/{resident.id}/ubah"))
    assert restored.select_one(f"#r{resident.id}-full_name")["value"] == "Setengah"
    cancel = restored.select_one(f"#r{resident.id}-form button[formaction]")
    assert cancel.text == "Batal"
    response = await browser.post(cancel["formaction"], typed, htmx=True)
    assert response.status_code == 200 and 'id="editor"' in response.text
    fresh = page(await browser.get(f"{url}/warga/{resident.id}/ubah"))
    assert fresh.select_one(f"#r{resident.id}-full_name")["value"] == "Budi Santoso"
    assert (await Resident.objects().first()).full_name == "Budi Santoso"


async def test_body_over_the_limit_gets_a_page_not_a_500(browser):
    url = await browser.new_list()
    huge = b"Nama\n" + b"A" * (4 * 1024 * 1024)
    response = await browser.post(url + "/unggah", files={"file": ("big.csv", huge, "text/csv")})
    assert response.status_code == 413
    assert "2 MB" in response.text


async def test_a_field_check_arriving_after_its_save_does_not_come_back(browser):
    """On slow data the last field check of a form can reach the server after the form was
    saved. It must not reappear as the next form's "unsaved input" carrying the saved
    person and the spent token (saving that form again would be refused)."""
    url = await browser.new_list()
    data = {"_token": "t-late", **resident_fields(name="Sari Dewi")}
    saved = await browser.post(url + "/warga", data)
    assert saved.status_code == 303
    late = await browser.post(url + "/periksa?field=address", data, htmx=True)
    assert late.status_code == 200
    reloaded = page(await browser.get(url))
    assert "dipulihkan" not in reloaded.text
    assert reloaded.select_one("#new-full_name").get("value", "") == ""
    token = reloaded.select_one("#new-form input[name=_token]")["value"]
    assert token != "t-late"
    # An entry written in a race on PostgreSQL (before the save committed) is not
    # restored either.
    from datetime import UTC, datetime

    from portal.tables.residents import DraftEntry, ResidentList

    lst = (
        await ResidentList.objects().where(ResidentList.public_id == url.rsplit("/", 1)[1]).first()
    )
    await DraftEntry(
        key=f"{lst.id}:new",
        resident_list=lst.id,
        owner=lst.coordinator,
        fields=data,
        updated_at=datetime.now(UTC),
    ).save()
    assert "dipulihkan" not in (await browser.get(url)).text

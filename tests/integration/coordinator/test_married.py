"""Married or ever-married residents through the coordinator routes: the checkbox on the
one-by-one form (plain posts and htmx), autosave, edit, paste and upload with a marital
status column. Marriage makes the KTP-el mandatory at any age, so no under-age flag."""

import io

from openpyxl import load_workbook

from portal.clock import today_local as today
from portal.coordinator.import_template import template_xlsx
from portal.rules.ages import MARRIED_RULE, add_years
from portal.tables.residents import Resident
from tests.integration.coordinator.helpers import page, resident_fields


def fifteen(name: str = "Rina Kawin", **overrides) -> dict:
    birth = add_years(today(), -15)
    return resident_fields(
        name=name,
        dob_day=str(birth.day),
        dob_month=str(birth.month),
        dob_year=str(birth.year),
        sex="P",
        guardian_consent="on",
        **overrides,
    )


async def test_married_fifteen_year_old_is_stored_without_under_age_flag(browser):
    url = await browser.new_list()
    response = await browser.add(url, **fifteen(married="on"))
    assert response.status_code == 303
    resident = await Resident.objects().first()
    assert resident.married is True
    assert resident.warn_under_age is False and resident.eligible_from is None
    assert resident.warnings in ("[]", [])
    shown = await browser.get(url)
    row = page(shown).select_one(f"#row-{resident.id}")
    assert "Sudah kawin atau pernah kawin" in row.text
    assert "Belum cukup umur" not in row.text
    # The same person unmarried is flagged, so the checkbox is what made the difference.
    await browser.add(url, **fifteen(name="Rina Lajang"))
    single = await Resident.objects().where(Resident.full_name == "Rina Lajang").first()
    assert single.married is False and single.warn_under_age is True


async def test_the_checkbox_is_labelled_hinted_and_kept_on_errors(browser):
    url = await browser.new_list()
    doc = page(await browser.get(url))
    box = doc.select_one("input#new-married[type=checkbox][name=married]")
    assert box is not None and not box.has_attr("checked")
    assert doc.select_one("label[for=new-married]").text == "Sudah kawin atau pernah kawin"
    assert "new-married-hint" in box["aria-describedby"]
    assert "buku nikah" in doc.select_one("#new-married-hint").text
    # Without JavaScript: a failed post gives the form back with the box still ticked.
    response = await browser.add(url, **fifteen(married="on", phone="0812-ABC"))
    assert response.status_code == 400
    assert page(response).select_one("#new-married").has_attr("checked")
    assert await Resident.count() == 0
    # ...and so does a reload, from the autosaved entry.
    assert page(await browser.get(url)).select_one("#new-married").has_attr("checked")


async def test_ticking_the_box_answers_the_birth_date_messages_too(browser):
    url = await browser.new_list()
    data = {"_token": "t-married", **fifteen()}
    dob = await browser.post(url + "/periksa?field=dob", data, htmx=True)
    assert "Belum cukup umur" in dob.text and MARRIED_RULE not in dob.text
    ticked = await browser.post(
        url + "/periksa?field=married", {**data, "married": "on"}, htmx=True
    )
    assert ticked.status_code == 200 and "<html" not in ticked.text
    doc = page(ticked)
    assert doc.select_one("div#new-married-field input#new-married").has_attr("checked")
    messages = doc.select_one("#new-dob-messages[data-hx-swap-oob=true]")
    assert messages is not None
    assert MARRIED_RULE in messages.text and "Belum cukup umur" not in messages.text
    # The birth-date check itself now says the same, and the box was autosaved.
    dob = await browser.post(url + "/periksa?field=dob", {**data, "married": "on"}, htmx=True)
    assert MARRIED_RULE in dob.text and "Belum cukup umur" not in dob.text
    assert page(await browser.get(url)).select_one("#new-married").has_attr("checked")
    # Unticking brings the warning back.
    unticked = await browser.post(url + "/periksa?field=married", data, htmx=True)
    assert "Belum cukup umur" in unticked.text and MARRIED_RULE not in unticked.text


async def test_edit_shows_the_saved_status_and_can_clear_it(browser):
    url = await browser.new_list()
    await browser.add(url, **fifteen(married="on"))
    resident = await Resident.objects().first()
    form = page(await browser.get(f"{url}/warga/{resident.id}/ubah"))
    assert form.select_one(f"#r{resident.id}-married").has_attr("checked")
    saved = await browser.post(f"{url}/warga/{resident.id}", fifteen())  # box left unticked
    assert saved.status_code == 303
    resident = await Resident.objects().first()
    assert resident.married is False and resident.warn_under_age is True


async def test_a_resubmitted_correction_keeps_the_status_on_the_resident_page(browser):
    url = await browser.new_list()
    await browser.add(url, **fifteen(married="on"))
    await browser.post(url + "/kirim", {"submit_token": "tok-married"})
    resident = await Resident.objects().first()
    shown = page(await browser.get(f"{url}/warga/{resident.id}"))
    summary = shown.select_one("dl.summary").text
    assert "Status kawin" in summary and "Sudah kawin atau pernah kawin" in summary


PASTE = (
    "Nama\tTanggal lahir\tJK\tPersetujuan wali\tStatus kawin\n"
    "Rina Cerai\t{dob}\tP\tya\tCerai mati\n"
    "Sari Lajang\t{dob}\tP\tya\tBelum kawin\n"
    "Dewi Entah\t{dob}\tP\tya\tmungkin\n"
)


async def test_paste_with_a_marital_status_column(browser):
    url = await browser.new_list()
    dob = add_years(today(), -15).strftime("%d-%m-%Y")
    response = await browser.post(url + "/tempel", {"rows": PASTE.format(dob=dob)})
    assert response.status_code == 303, response.text
    preview_url = response.headers["location"]
    preview = await browser.get(preview_url)
    assert preview.status_code == 200
    doc = page(preview)
    assert "Status kawin" in preview.text  # a recognised column
    rina, sari, dewi = (doc.select_one(f"#baris-{n}") for n in (2, 3, 4))
    assert MARRIED_RULE in rina.text and "Belum cukup umur" not in rina.text
    assert "Belum cukup umur" in sari.text
    # An unknown value is that row's error, in Indonesian, not a failed request.
    assert "Status kawin tidak dikenali" in dewi.select_one(".error-message").text
    # The fix form starts from what was pasted: "Cerai mati" shows as ticked.
    fix = page(await browser.get(preview_url + "/baris/2"))
    assert fix.select_one("#b2-married").has_attr("checked")
    fix = page(await browser.get(preview_url + "/baris/4"))
    assert not fix.select_one("#b4-married").has_attr("checked")
    assert "Status kawin tidak dikenali" in fix.select_one(".error-summary").text
    fields = {"full_name": "Dewi Entah", "dob": dob, "sex": "P", "guardian_consent": "on"}
    await browser.post(preview_url + "/baris/4", {**fields, "married": "on"})
    assert (await browser.post(preview_url + "/simpan")).status_code == 303
    stored = {
        r["full_name"]: r
        for r in await Resident.select(
            Resident.full_name, Resident.married, Resident.warn_under_age
        )
    }
    assert stored["Rina Cerai"]["married"] is True
    assert stored["Rina Cerai"]["warn_under_age"] is False
    assert stored["Sari Lajang"]["married"] is False
    assert stored["Sari Lajang"]["warn_under_age"] is True
    assert stored["Dewi Entah"]["married"] is True


async def test_upload_from_the_template_reads_the_marital_status(browser):
    book = load_workbook(io.BytesIO(template_xlsx()))
    sheet = book["Data warga"]
    labels = [c.value for c in sheet[1]]
    row = dict.fromkeys(labels, "")
    row.update(
        {
            "Nama lengkap": "Upload Kawin",
            "Tanggal lahir (DD-MM-YYYY)": add_years(today(), -16).strftime("%d-%m-%Y"),
            "Persetujuan orang tua/wali (ya/tidak)": "ya",
            "Status kawin (Belum kawin/Kawin/Cerai)": "Kawin",
        }
    )
    sheet.append([row[label] for label in labels])
    out = io.BytesIO()
    book.save(out)
    url = await browser.new_list()
    response = await browser.post(
        url + "/unggah", files={"file": ("daftar.xlsx", out.getvalue(), "application/zip")}
    )
    assert response.status_code == 303, response.text
    await browser.post(response.headers["location"] + "/simpan")
    resident = await Resident.objects().first()
    assert resident.full_name == "Upload Kawin" and resident.married is True
    assert resident.warn_under_age is False
    template = await browser.get("/koordinator/templat.csv")
    assert "Status kawin" in template.content.decode("utf-8-sig")

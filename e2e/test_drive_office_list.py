"""The office's list on a phone: a coordinator, with JavaScript off, marks three people of
the demo list ("masih tinggal" → a resident through the batch preview, "sudah pindah" with
where to on the person's page, "meninggal" from the list); staff then see the reports, take
one into their records, and see the coverage with its reminders. Every page visited passes
axe-core, the Nu HTML Checker and the 360 px check (in a browser with JavaScript, which axe
needs; the pages are the same)."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Locator, Page, expect

from e2e.conftest import PHONE
from e2e.pages import BasePage
from e2e.quality import assert_no_axe_violations, assert_valid_html

LIST = "/koordinator/daftar-kantor"
AGE = re.compile(r"· (\d+) tahun")


class Quality:
    """axe and 360 px on each page as it is shown, the HTML collected for one vnu run."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page, self.base_url = page, base_url
        self.documents: dict[str, str] = {}

    def check(self, name: str, path: str | None = None) -> None:
        if path is not None:
            self.page.goto(self.base_url + path)
        self.page.wait_for_load_state()
        assert_no_axe_violations(self.page)
        BasePage(self.page, self.base_url).assert_no_horizontal_scroll()
        self.documents[name] = self.page.request.get(self.page.url).text()


def people(page: Page) -> Locator:
    return page.locator("ul.office-people > li")


def unchecked_people(page: Page) -> list[tuple[str, int, str]]:
    """(name, age, id) of everyone on the page who can still be ticked."""
    found = []
    for item in people(page).all():
        box = item.locator("input[type=checkbox]")
        if not box.count():
            continue
        label = item.locator("label").inner_text()
        age = AGE.search(label)
        found.append(
            (
                item.locator("strong").inner_text(),
                int(age[1]) if age else 0,
                box.get_attribute("id") or "",
            )
        )
    return found


def checked_count(page: Page) -> int:
    line = page.locator(".progress-line").inner_text()
    return int(line.split(" dari ")[0])


def test_a_coordinator_marks_three_people_and_staff_see_the_reports(
    page: Page, browser: Browser, base_url, server, sign_in
):
    sign_in("rt03.surodinawan")
    quality = Quality(page, base_url)
    nojs = browser.new_context(
        viewport=PHONE, locale="id-ID", timezone_id="Asia/Jakarta", java_script_enabled=False
    )
    nojs.add_cookies([server.session_cookie("rt03.surodinawan")])
    phone = nojs.new_page()
    try:
        phone.goto(base_url + "/koordinator")
        card = phone.locator("section.office-card")
        expect(card).to_contain_text("sudah dicek")
        card.get_by_role("link", name="Daftar dari kantor").click()
        expect(phone.get_by_role("heading", level=1)).to_contain_text("Daftar dari kantor")
        expect(phone.get_by_role("heading", level=1)).to_contain_text("RW 02 RT 03")
        before = checked_count(phone)
        quality.check("list", LIST)

        waiting = unchecked_people(phone)
        stays = next(p for p in waiting if p[1] >= 18)
        moved, died = [p for p in waiting if p is not stays][:2]

        # "Masih tinggal di sini" from the list: on to the preview, then stored in a draft.
        phone.locator(f"#{stays[2]}").check()
        phone.get_by_label("Masih tinggal di sini").check()
        phone.get_by_role("button", name="Simpan tanda untuk yang dicentang").click()
        expect(phone.get_by_role("heading", level=1)).to_have_text("Periksa sebelum disimpan")
        expect(phone.locator("main")).to_contain_text("tidak perlu diketik ulang")
        expect(phone.locator(".residents")).to_contain_text(stays[0])
        expect(phone.locator(".residents")).to_contain_text("3576••••••••")
        quality.check("preview", phone.url.removeprefix(base_url))
        phone.get_by_role("button", name="Simpan 1 warga ke draf").click()
        expect(phone.get_by_text("sudah disimpan di draf")).to_be_visible()
        expect(phone.get_by_role("heading", level=1)).to_contain_text("Dari daftar kantor")
        expect(phone.get_by_role("heading", name=stays[0], exact=True)).to_be_visible()

        # "Sudah pindah" one by one, with where to.
        phone.goto(base_url + LIST)
        item = people(phone).filter(has=phone.locator(f"#{moved[2]}"))
        item.get_by_role("link", name=re.compile("^Buka")).click()
        expect(phone.get_by_role("heading", level=1)).to_contain_text(moved[0])
        quality.check("person", phone.url.removeprefix(base_url))
        phone.get_by_label("Sudah pindah").check()
        phone.get_by_label("Keterangan").fill("Ke Surabaya, ikut suami")
        phone.get_by_label("Catatan").fill("Kata Bu RT sebelah")
        phone.get_by_role("button", name="Simpan", exact=True).click()
        expect(phone.get_by_role("status")).to_contain_text("Tanda sudah disimpan")

        # "Meninggal" from the list.
        phone.locator(f"#{died[2]}").check()
        phone.get_by_label("Meninggal").check()
        phone.get_by_role("button", name="Simpan tanda untuk yang dicentang").click()
        expect(phone.get_by_role("status")).to_contain_text("Tanda sudah disimpan")
        assert checked_count(phone) == before + 3

        phone.goto(base_url + LIST + "?tampil=sudah")
        everyone = phone.locator("ul.office-people")
        expect(everyone).to_contain_text("Sudah masuk daftar warga")
        expect(everyone).to_contain_text("Ke Surabaya, ikut suami")
        quality.check("list checked", LIST + "?tampil=sudah")
    finally:
        nojs.close()

    # Staff: the reports (NIK masked, the note that no civil record changes), one taken in.
    sign_in("petugas.kota")
    page.goto(base_url + "/petugas")
    page.get_by_role("link", name="Sisir data").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Impor data kantor")
    page.get_by_role("navigation", name="Sisir data").get_by_role("link", name="Cakupan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cakupan sisir data")
    quality.check("coverage")
    page.get_by_role("link", name="Laporan dari RT").click()
    expect(page.locator("main")).to_contain_text("tidak mengubah data kependudukan")
    row = page.locator("tbody tr", has_text=moved[0])
    expect(row).to_contain_text("Ke Surabaya, ikut suami")
    expect(page.locator("tbody tr", has_text=died[0])).to_contain_text("Meninggal")
    quality.check("reports")
    row.get_by_role("checkbox").check()
    page.get_by_role("button", name="Tandai yang dicentang sudah diproses").click()
    expect(page.get_by_role("status")).to_contain_text("Laporan ditandai sudah diproses")
    page.get_by_label("Status").select_option(label="Sudah diproses")
    page.get_by_role("button", name="Saring").click()
    expect(page.locator("tbody tr", has_text=moved[0])).to_contain_text("Sudah diproses")

    # Coverage down to the RT, and the Kabupaten's coordinators who have not opened theirs.
    page.goto(base_url + "/petugas/sisir/cakupan")
    page.get_by_role("link", name="Kec. Prajuritkulon").click()
    page.get_by_role("link", name="Kelurahan Surodinawan").click()
    rt = page.locator("tbody tr", has_text="RW 02 / RT 03")
    expect(rt).to_contain_text("Bu Sri")
    expect(page.locator("tbody tr", has_text="RW 02 / RT 04")).to_contain_text("Tanpa koordinator")
    quality.check("coverage rt")
    sign_in("petugas.kab")
    page.goto(base_url + "/petugas/sisir/cakupan")
    reminder = page.locator("li.card", has_text="Pak Hadi")
    expect(reminder).to_contain_text("nama belum dicek")
    share = reminder.get_by_role("link", name="Kirim lewat WhatsApp")
    assert share.get_attribute("href").startswith("https://wa.me/?text=")
    quality.check("coverage reminders")
    assert_valid_html(quality.documents)

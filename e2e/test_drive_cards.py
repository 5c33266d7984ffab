"""After recording in a real browser, on a phone: staff record a resident, print the card
and hand it over in person; the blank-card warning at exactly the threshold on the
dashboard; the targets chart with its table, on the staff side and on /capaian. Every page
is checked with axe, the Nu HTML Checker and for sideways scrolling at 360 px."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from e2e.pages import BasePage, StaffResidentPage
from e2e.quality import assert_no_axe_violations, assert_valid_html
from e2e.test_staff import seed  # four residents of the Surodinawan demo coordinator

PAGES = ("/petugas", "/petugas/pasca-rekam", "/petugas/blangko", "/petugas/target")


class CardPanel:
    """The "KTP-el dan IKD" part of a staff resident page."""

    def __init__(self, page: Page):
        self.page = page
        self.root = page.locator("#kartu")

    def state(self):
        return self.root.locator(".tag").first

    def print_card(self, place: str | None = None) -> None:
        if place is not None:
            self.page.get_by_label("Siap diambil di").fill(place)
        self.page.get_by_role("button", name="Tandai KTP-el dicetak").click()

    def hand_over(self, in_person: bool) -> None:
        box = self.page.get_by_label("Pemilik KTP-el datang sendiri dan sudah saya cocokkan")
        if in_person:
            box.check()
        self.page.get_by_role("button", name="Tandai sudah diambil").click()


def checked(page: Page, where: BasePage | None = None) -> None:
    page.wait_for_load_state("load")
    assert_no_axe_violations(page)
    (where or BasePage(page, "")).assert_no_horizontal_scroll()


def record(page: Page, name: str) -> None:
    resident = StaffResidentPage(page, "")
    resident.verify()
    expect(resident.notice()).to_contain_text("Warga diverifikasi.")
    page.get_by_label("Tempat rekam").fill("MPP Gajah Mada")
    page.get_by_role("button", name="Tandai sudah rekam").click()
    expect(resident.notice()).to_contain_text("Warga ditandai sudah rekam.")
    expect(resident.status()).to_have_text("Sudah rekam")


def test_record_print_and_hand_over_in_person(page: Page, base_url, server, sign_in):
    tag, ids = seed(server)
    name = f"Ani Rahayu {tag}"
    sign_in("petugas.kota")
    page.goto(f"{base_url}/petugas/warga/{ids[name]}")
    expect(page.locator("#kartu")).to_have_count(0)  # not recorded: no card yet
    record(page, name)
    panel = CardPanel(page)
    expect(panel.state()).to_have_text("Menunggu cetak")
    expect(page.get_by_label("Siap diambil di")).to_have_value(re.compile("MPP"))
    checked(page)

    panel.print_card("Kantor Kelurahan Surodinawan")
    expect(page.locator(".notice").first).to_contain_text("Warga ditandai KTP-el-nya dicetak.")
    expect(panel.state()).to_have_text("KTP-el dicetak")
    expect(panel.root).to_contain_text("siap diambil di Kantor Kelurahan Surodinawan")

    panel.hand_over(in_person=False)  # the box left unticked: refused, said next to it
    expect(page.locator("#kartu .error-message")).to_contain_text("pemiliknya sendiri")
    expect(panel.state()).to_have_text("KTP-el dicetak")
    checked(page)
    documents = {"warga-ditolak": page.content()}
    panel.hand_over(in_person=True)
    expect(page.locator(".notice").first).to_contain_text("Warga ditandai sudah mengambil KTP-el.")
    expect(panel.state()).to_have_text("Sudah diambil")
    checked(page)

    page.goto(f"{base_url}/petugas/pasca-rekam?keadaan=diambil")
    expect(page.locator("table.queue tbody tr").filter(has_text=name)).to_contain_text(
        "Sudah diambil"
    )
    checked(page)
    for path in (*PAGES, f"/petugas/warga/{ids[name]}"):
        documents[path] = page.context.request.get(base_url + path).text()
        assert 'class="staff-nav' in documents[path], path
    assert_valid_html(documents)


def test_bulk_ikd_without_javascript(browser, base_url, server):
    """The list works as plain forms: tick residents, choose, submit."""
    tag, ids = seed(server)
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    try:
        context.add_cookies([server.session_cookie("petugas.kota")])
        page = context.new_page()
        for name in (f"Budi Santoso {tag}", f"Citra Lestari {tag}"):
            page.goto(f"{base_url}/petugas/warga/{ids[name]}")
            record(page, name)
        page.goto(f"{base_url}/petugas/pasca-rekam?ikd=belum")
        for name in (f"Budi Santoso {tag}", f"Citra Lestari {tag}"):
            page.get_by_label(f"Pilih {name}").check()
        page.get_by_label("Tindakan").select_option(label="IKD diaktifkan")
        page.get_by_role("button", name="Ubah yang dicentang").click()
        expect(page.locator(".notice").first).to_contain_text("2 warga ditandai IKD diaktifkan.")
        assert "ikd=belum" in page.url  # back to the same filtered view
        page.goto(f"{base_url}/petugas/pasca-rekam?ikd=sudah")
        for name in (f"Budi Santoso {tag}", f"Citra Lestari {tag}"):
            expect(page.locator("tbody tr").filter(has_text=name)).to_contain_text("IKD diaktifkan")
        BasePage(page, base_url).assert_no_horizontal_scroll()
    finally:
        context.close()


def stock_warning(page: Page, base_url: str):
    page.goto(base_url + "/petugas")
    return page.locator("section[aria-labelledby=stock-title] .notice")


def test_the_stock_warning_at_exactly_the_threshold(page: Page, base_url, sign_in):
    sign_in("petugas.kota")
    page.goto(base_url + "/petugas/blangko")
    balance = int(page.locator(".stock-figure").first.inner_text().replace(".", ""))
    threshold = page.get_by_label("Peringatan muncul bila stok sampai")

    threshold.fill(str(balance - 1))
    page.get_by_role("button", name="Simpan batas").click()
    expect(page.locator(".notice").first).to_contain_text("Batas pesan ulang disimpan.")
    expect(stock_warning(page, base_url)).to_have_count(0)

    page.goto(base_url + "/petugas/blangko")
    threshold.fill(str(balance))
    page.get_by_role("button", name="Simpan batas").click()
    warning = stock_warning(page, base_url)
    grouped = f"{balance:,}".replace(",", ".")
    expect(warning).to_contain_text(f"Stok blangko tinggal {grouped}, sudah di batas pesan ulang")
    checked(page)
    page.goto(base_url + "/petugas/blangko")
    expect(page.locator("table").first).to_contain_text("Kiriman blangko masuk")
    checked(page)


def test_the_targets_chart_and_its_table(page: Page, base_url, sign_in):
    sign_in("petugas.kota")
    page.goto(base_url + "/petugas/target")
    section = page.locator("section[aria-labelledby=office-kota]")
    expect(section.locator(".target-figures")).to_contain_text("25.818 target aktivasi IKD")
    expect(section.locator("svg[role=img]").first).to_be_visible()
    expect(section.locator("table.numbers")).to_contain_text("angka kantor")  # demo totals
    expect(page.locator("main")).to_contain_text("S003")
    checked(page)

    page.goto(base_url + "/petugas")
    panel = page.locator("section[aria-labelledby=targets-title]")
    expect(panel).to_contain_text("25.818 target aktivasi IKD")
    panel.get_by_text(re.compile("Tabel angka per bulan")).first.click()
    expect(panel.locator("table.numbers").first).to_be_visible()
    checked(page)


def test_capaian_shows_the_targets_as_aggregates(page: Page, base_url):
    page.goto(base_url + "/capaian")
    kota = page.locator("section[aria-labelledby=capaian-kota]")
    expect(kota).to_contain_text("Target IKD dan perekaman")
    expect(kota.locator("svg[role=img]").last).to_be_visible()
    kab = page.locator("section[aria-labelledby=capaian-kabupaten]")
    expect(kab).to_contain_text("BELUM TERVERIFIKASI")  # the 2014 wajib KTP is marked so
    for name in ("Rina Wulandari", "Sari Puspita"):  # demo residents stay private
        expect(page.locator("main")).not_to_contain_text(name)
    checked(page)
    assert_valid_html({"/capaian": page.context.request.get(base_url + "/capaian").text()})

"""Public pages in a phone-sized browser: the resident's tasks with and without JavaScript,
keyboard use, and the quality bars (axe-core, Nu HTML Checker, no sideways scroll)."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import icalendar
import pytest
from playwright.sync_api import Browser, Page, expect

from e2e.conftest import PHONE, ROOT
from e2e.pages import CheckerPage, FinderPage, HomePage, RequirementsPage, SchedulePage
from e2e.quality import assert_no_axe_violations, assert_valid_html, fetch_html
from portal.clock import today_local

ANSWER = "/cek-usia?lahir-hari=17&lahir-bulan=8&lahir-tahun=2000&kawin=tidak&kantor=kota"
PUBLIC_PAGES = [
    "/",
    "/persyaratan",
    "/lokasi",
    "/lokasi?kantor=kabupaten",
    "/lokasi/kota-mpp-gajah-mada",
    "/lokasi/kab-kec-gondang",
    "/cari-tempat",
    "/cari-tempat?kantor=kota&kecamatan=35.76.01&desa=35.76.01.1007",
    "/cari-tempat?kantor=kabupaten&kecamatan=35.16.09&desa=35.16.09.2001",
    "/jadwal",
    "/jadwal?kantor=kabupaten&wilayah=35.16.08",
    "/jadwal/1",
    "/cek-usia",
    ANSWER,
    "/cek-usia?lahir-hari=31&lahir-bulan=2&lahir-tahun=20",
    "/capaian",
    "/privasi",
    "/halaman-yang-tidak-ada",
]


@pytest.fixture(scope="module", autouse=True)
def reported_residents(server):
    """A few reported residents, so /capaian draws its chart and table."""
    subprocess.run(
        [sys.executable, "-m", "e2e.add_residents"],
        env=server.env,
        cwd=ROOT,
        check=True,
        timeout=60,
        capture_output=True,
    )


@pytest.fixture
def no_js_page(browser: Browser, base_url: str):
    context = browser.new_context(
        viewport=PHONE, java_script_enabled=False, locale="id-ID", base_url=base_url
    )
    page = context.new_page()
    yield page
    context.close()


def test_find_what_to_bring(page: Page, base_url: str):
    HomePage(page, base_url).open()
    page.get_by_role("link", name="Apa yang harus saya bawa?").click()
    requirements = RequirementsPage(page, base_url)
    documents = requirements.section("dokumen")
    expect(documents).to_be_in_viewport()
    expect(documents).to_contain_text("Bawa Kartu Keluarga (KK)")
    expect(documents).to_contain_text("Dasar hukum: Pasal 15 Perpres 96/2018")
    expect(requirements.section("biaya")).to_contain_text("gratis")


def test_find_the_place_for_a_kelurahan_with_javascript(page: Page, base_url: str):
    finder = FinderPage(page, base_url).open()
    finder.find("Kota Mojokerto", "Prajuritkulon", "Surodinawan", submit=False)
    names = finder.result_names()
    assert "Mal Pelayanan Publik (MPP) Gajah Mada" in names
    assert "Kantor Kelurahan Surodinawan" in names
    assert "desa=35.76.01.1007" in page.url  # the address can be shared and reloaded
    expect(finder.results()).to_contain_text("Perekaman kolektif di Kantor Kelurahan Surodinawan")
    finder.assert_no_horizontal_scroll()


def test_find_the_place_for_a_kelurahan_without_javascript(no_js_page: Page, base_url: str):
    finder = FinderPage(no_js_page, base_url).open()
    finder.find("Kota Mojokerto", "Prajuritkulon", "Surodinawan", submit=True)
    assert "Kantor Kelurahan Surodinawan" in finder.result_names()


def test_area_without_a_location_points_to_the_main_office(no_js_page: Page, base_url: str):
    finder = FinderPage(no_js_page, base_url).open()
    finder.find("Kabupaten Mojokerto", "Dlanggu", "Punggul", submit=True)
    expect(finder.results()).to_contain_text("Belum ada tempat layanan yang ditunjuk")
    assert finder.result_names() == ["Kantor Dispendukcapil Kabupaten Mojokerto"]


def test_open_a_session_and_download_its_calendar_file(page: Page, base_url: str):
    schedule = SchedulePage(page, base_url).open()
    title = schedule.open_first_session()
    share = page.get_by_role("link", name="Bagikan lewat WhatsApp").get_attribute("href")
    assert share.startswith("https://wa.me/?text=")
    with page.expect_download() as info:
        page.get_by_role("link", name="Simpan ke kalender (.ics)").click()
    download = info.value
    assert download.suggested_filename.endswith(".ics")
    calendar = icalendar.Calendar.from_ical(download.path().read_bytes())
    (event,) = calendar.walk("VEVENT")
    assert str(event["summary"]) == title
    assert str(event.decoded("dtstart").tzinfo) == "Asia/Jakarta"


def test_schedule_filter_updates_in_place(page: Page, base_url: str):
    SchedulePage(page, base_url).open()
    page.get_by_label("Kota atau kabupaten").select_option(label="Kabupaten Mojokerto")
    expect(page).to_have_url(f"{base_url}/jadwal?kantor=kabupaten&wilayah=&tanggal=")
    results = page.locator("#hasil-jadwal")
    expect(results).to_contain_text("Kantor Kecamatan Mojosari")
    expect(results).not_to_contain_text("SMAN 1 Kota Mojokerto")


def test_checker_gives_its_three_answers(page: Page, base_url: str):
    checker = CheckerPage(page, base_url).open()
    today = today_local()
    checker.answer(1, 1, 2000, married=False, office="kota")
    expect(checker.verdict()).to_have_text("Anda wajib punya KTP-el")
    # 16 years and 2 months old: yes in the Kabupaten, not yet in the Kota (16 years 8 months).
    born = date(today.year - 16, today.month, 1)
    born = (
        born.replace(year=born.year - 1, month=born.month + 10)
        if born.month <= 2
        else (born.replace(month=born.month - 2))
    )
    checker.answer(born.day, born.month, born.year, married=False, office="kabupaten")
    expect(checker.verdict()).to_have_text("Anda sudah bisa rekam KTP-el sekarang")
    checker.answer(born.day, born.month, born.year, married=False, office="kota")
    expect(checker.verdict()).to_contain_text("Anda bisa rekam mulai")
    expect(page.locator(".answer")).to_contain_text("16 tahun 8 bulan")


def test_checker_errors_by_keyboard_only(page: Page, base_url: str):
    CheckerPage(page, base_url).open()
    page.locator("#lahir-hari").focus()
    page.keyboard.type("31")
    page.keyboard.press("Tab")
    page.keyboard.type("2")
    page.keyboard.press("Tab")
    page.keyboard.type("2009")
    page.keyboard.press("Enter")
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Tanggal lahir harus tanggal yang benar")
    expect(page.locator("#lahir-hari")).to_have_value("31")
    summary.get_by_role("link", name="Pilih apakah Anda sudah pernah menikah").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#kawin-tidak")).to_be_focused()
    page.keyboard.press("Space")
    expect(page.locator("#kawin-tidak")).to_be_checked()


def test_finder_by_keyboard_without_javascript(no_js_page: Page, base_url: str):
    page = no_js_page
    FinderPage(page, base_url).open()
    page.locator("#kantor").focus()
    page.keyboard.press("ArrowDown")  # "Kota Mojokerto"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator("#kecamatan")).to_be_visible()
    assert "kantor=kota" in page.url


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_axe_and_no_sideways_scroll(page: Page, base_url: str, path: str):
    HomePage(page, base_url).page.goto(base_url + path)
    assert_no_axe_violations(page)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 360 px"


def test_every_public_page_is_valid_html(base_url: str):
    documents = {}
    for path in PUBLIC_PAGES:
        try:
            documents[path] = fetch_html(base_url + path)
        except Exception as exc:  # the 404 page is HTML too
            documents[path] = exc.read().decode("utf-8")
    assert_valid_html(documents)


def test_capaian_draws_the_chart_with_the_table(page: Page, base_url: str):
    page.goto(base_url + "/capaian")
    chart = page.locator("figure.chart svg").first
    expect(chart).to_be_visible()
    assert chart.get_attribute("role") == "img"
    expect(page.locator("table").first).to_contain_text("Prajuritkulon")


def test_finder_by_keyboard_with_javascript_keeps_focus(page: Page, base_url: str):
    FinderPage(page, base_url).open()
    page.locator("#kantor").focus()
    page.keyboard.press("ArrowDown")  # htmx swaps the form in as the choice changes
    expect(page.locator("#kecamatan")).to_be_visible()
    expect(page.locator("#kantor")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("#kecamatan")).to_be_focused()

"""Every coordinator page on a phone: zero axe-core violations and zero Nu HTML Checker
errors, in the states a coordinator meets (empty, with rows, with errors, submitted)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from e2e.pages import CoordinatorDashboard, ListPage
from e2e.quality import assert_no_axe_violations, assert_valid_html


def test_coordinator_pages_are_accessible_and_valid(page: Page, base_url, sign_in):
    sign_in("rt03.surodinawan")
    documents: dict[str, str] = {}

    def check(name: str) -> None:
        page.wait_for_load_state()
        assert_no_axe_violations(page)
        documents[name] = page.request.get(page.url).text()

    dashboard = CoordinatorDashboard(page, base_url).open()
    check("dashboard")
    page.goto(base_url + "/koordinator/daftar/baru")
    check("new list")
    lst = dashboard.new_list()
    lst.add_resident("Mutu Ani", nik="3576014101900003", dob=("1", "1", "1990"), sex="P")
    lst.fill_resident("Mutu Salah", nik="12", dob=("31", "2", "1990"))
    lst.save_resident()
    expect(page.locator(".error-summary")).to_be_visible()
    assert_no_axe_violations(page)  # the htmx-swapped form with errors
    list_url = page.url.split("?")[0].split("#")[0]
    page.goto(list_url)
    check("draft list")
    page.goto(list_url + "/tempel")
    check("paste")
    page.get_by_label("Baris warga").fill("Mutu Budi, 17-08-1990\nMutu Tanpa, L\n")
    page.get_by_role("button", name="Periksa baris").click()
    check("preview")
    page.get_by_role("link", name="Perbaiki baris 2").click()
    check("preview row")
    page.goto(list_url + "/unggah")
    check("upload")
    page.goto(list_url + "/cetak")
    check("print")
    page.goto(list_url)
    ListPage(page, base_url).submit()
    check("submitted list")
    page.get_by_role("link", name="Mutu Ani").click()
    check("resident")
    assert_valid_html(documents)

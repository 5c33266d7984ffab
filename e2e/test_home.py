from playwright.sync_api import Page, expect

from e2e.pages import HomePage


def test_home_page_on_a_phone(page: Page, base_url: str):
    home = HomePage(page, base_url).open()
    home.expect_loaded()
    assert "Mojokerto" in page.title()
    assert page.locator("html").get_attribute("lang") == "id"
    home.assert_no_horizontal_scroll()


def test_skip_link_is_first_and_focusable(page: Page, base_url: str):
    HomePage(page, base_url).open()
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert "Langsung ke isi utama" in focused
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()

from playwright.sync_api import Page


def test_signed_in_browser_sees_the_sign_out_button(page: Page, base_url: str, sign_in):
    sign_in("rt03.surodinawan")
    page.goto(base_url + "/")
    assert page.get_by_role("button", name="Keluar").is_visible()

"""Page objects: what a test may do on each page, in the words of the page."""

from __future__ import annotations

from playwright.sync_api import Page, expect


class BasePage:
    path = "/"

    def __init__(self, page: Page, base_url: str):
        self.page, self.base_url = page, base_url

    def open(self):
        self.page.goto(self.base_url + self.path)
        return self

    def heading(self):
        return self.page.get_by_role("heading", level=1)

    def assert_no_horizontal_scroll(self) -> None:
        overflow = self.page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"page scrolls sideways by {overflow}px"


class HomePage(BasePage):
    path = "/"

    def expect_loaded(self) -> None:
        expect(self.heading()).to_contain_text("KTP-el")

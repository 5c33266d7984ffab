"""Accounts in a real browser: staff sign-in with TOTP, coordinator activation on a phone,
sign-out, deactivation ending a session that is open in another browser, and an admin
making a coordinator staff, who is signed out and must set up two-factor sign-in."""

from __future__ import annotations

import contextlib
import re
import secrets
from collections.abc import Iterator

import pyotp
from playwright.sync_api import Page, expect

from e2e.conftest import PHONE
from e2e.pages import (
    AccountPage,
    ActivationPage,
    CoordinatorAccountPage,
    LoginPage,
    NewCoordinatorPage,
    fill_coordinator_area,
)

NEW_PASSWORD = "sepeda-tua-di-bawah-hujan"


def demo_account(server, username: str) -> tuple[str, str | None]:
    """(password, TOTP secret or None) of a demo account, as `portal demo-data` printed."""
    for line in server.demo_output.splitlines():
        if f" {username} " in f" {line} ":
            password = re.search(r"sandi: (\S+)", line).group(1)
            secret = re.search(r"TOTP secret: (\S+)", line)
            return password, secret.group(1) if secret else None
    raise AssertionError(f"{username} not in demo output:\n{server.demo_output}")


def test_staff_sign_in_with_a_code_then_sign_out(page: Page, base_url: str, server):
    password, secret = demo_account(server, "petugas.kota")
    assert secret
    login = LoginPage(page, base_url).open()
    login.sign_in("petugas.kota", password)
    expect(page).to_have_url(re.compile(r"/masuk/kode"))
    login.enter_code(pyotp.TOTP(secret).now())
    expect(page).to_have_url(re.compile(r"/petugas$"))
    account = AccountPage(page, base_url).open()
    account.expect_signed_in_as("petugas.kota")
    account.assert_no_horizontal_scroll()

    login.sign_out()
    expect(page).to_have_url(re.compile(r"/masuk\?pesan=keluar"))
    expect(page.get_by_role("status")).to_contain_text("Anda sudah keluar")
    page.goto(base_url + "/akun")
    expect(page).to_have_url(re.compile(r"/masuk\?next=%2Fakun"))


def test_wrong_password_keeps_the_name_and_says_so(page: Page, base_url: str):
    login = LoginPage(page, base_url).open()
    login.sign_in("rt03.surodinawan", "bukan-kata-sandinya")
    expect(page.locator(".error-summary")).to_contain_text("salah")
    expect(page.get_by_label("Nama pengguna atau nomor HP")).to_have_value("rt03.surodinawan")
    expect(page.get_by_label("Kata sandi")).to_have_value("")


def _new_coordinator(page: Page, base_url: str, sign_in) -> tuple[str, str]:
    sign_in("petugas.kota")
    username = f"rt.e2e.{secrets.token_hex(3)}"
    form = NewCoordinatorPage(page, base_url).open()
    form.assert_no_horizontal_scroll()
    link = form.create("Bu Ani (Ketua RT 07 Wates)", username, "Magersari", "Wates", "3", "7")
    assert "/aktivasi/" in link
    return username, link


@contextlib.contextmanager
def _phone(browser) -> Iterator[Page]:
    """The coordinator's own phone: a second browser with its own cookies."""
    context = browser.new_context(viewport=PHONE, locale="id-ID")
    try:
        yield context.new_page()
    finally:
        context.close()


def _activate(mobile: Page, base_url: str, link: str, username: str) -> None:
    mobile.goto(link)
    ActivationPage(mobile, base_url).set_password(NEW_PASSWORD)
    AccountPage(mobile, base_url).open().expect_signed_in_as(username)


def test_coordinator_activates_on_a_phone(page: Page, base_url: str, sign_in, browser, server):
    username, link = _new_coordinator(page, base_url, sign_in)
    with _phone(browser) as mobile:
        mobile.goto(link)
        activation = ActivationPage(mobile, base_url)
        activation.assert_no_horizontal_scroll()
        activation.set_password(NEW_PASSWORD)
        expect(mobile).to_have_url(re.compile(r"/koordinator$"))
        AccountPage(mobile, base_url).open().expect_signed_in_as(username)
        # The link works once only.
        mobile.goto(link)
        expect(mobile.get_by_role("heading", level=1)).to_have_text("Tautan ini sudah dipakai")


def test_deactivation_ends_a_session_open_in_another_browser(
    page: Page, base_url: str, sign_in, browser
):
    username, link = _new_coordinator(page, base_url, sign_in)
    with _phone(browser) as mobile:
        _activate(mobile, base_url, link, username)

        page.goto(base_url + "/petugas/koordinator?q=" + username)
        page.get_by_role("link", name="Bu Ani (Ketua RT 07 Wates)").click()
        CoordinatorAccountPage(page, base_url).deactivate()

        mobile.reload()
        expect(mobile).to_have_url(re.compile(r"/masuk\?next="))
        LoginPage(mobile, base_url).sign_in(username, NEW_PASSWORD)
        expect(mobile.locator(".error-summary")).to_contain_text("salah")


def test_admin_makes_a_coordinator_staff_who_must_then_set_up_two_factor(
    page: Page, base_url: str, sign_in, browser, server
):
    username, link = _new_coordinator(page, base_url, sign_in)
    with _phone(browser) as mobile:
        _activate(mobile, base_url, link, username)

        # The admin, on a phone too (the test's own browser has the phone viewport).
        page.context.clear_cookies()
        sign_in("admin")
        admin_password, _ = demo_account(server, "admin")
        page.goto(base_url + "/petugas/koordinator?q=" + username)
        page.get_by_role("link", name="Bu Ani (Ketua RT 07 Wates)").click()
        form = CoordinatorAccountPage(page, base_url).open_role_change()
        form.assert_no_horizontal_scroll()
        # A new area first, through the shared fields (htmx narrows the villages), with a
        # mistyped password: the error sits by the field and the choices stay.
        fill_coordinator_area(page, "Ketua RW", "Prajuritkulon", "Surodinawan", "2", "")
        form.save("bukan-sandi-admin")
        expect(page.locator("#current_password-error")).to_contain_text("salah")
        expect(page.get_by_label("Jabatan")).to_have_value("ketua_rw")
        expect(page.get_by_label("RW", exact=True)).to_have_value("2")
        form.save(admin_password)
        expect(page.get_by_role("status")).to_contain_text("Peran dan wilayah sudah diubah")
        expect(page.locator("dl.summary")).to_contain_text("RW 02, Surodinawan")

        form = CoordinatorAccountPage(page, base_url).open_role_change()
        form.choose_role("Petugas")
        form.choose_office("Kota")
        form.save(admin_password)
        expect(page).to_have_url(re.compile(r"/admin/petugas/\d+\?pesan=peran-2fa"))
        expect(page.get_by_role("status")).to_contain_text("aplikasi autentikator")
        expect(page.locator("dl.summary")).to_contain_text("Petugas")

        # The phone was signed out by the change; signing in now asks for an
        # authenticator before anything else.
        mobile.reload()
        expect(mobile).to_have_url(re.compile(r"/masuk\?next="))
        LoginPage(mobile, base_url).sign_in(username, NEW_PASSWORD)
        expect(mobile).to_have_url(re.compile(r"/masuk/pasang-2fa"))
        expect(mobile.get_by_role("heading", level=1)).to_be_visible()

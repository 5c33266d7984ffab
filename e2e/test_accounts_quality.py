"""Quality bars for every account page: axe-core, no sideways scroll at 360 px, and valid
HTML (Nu HTML Checker) of the HTML exactly as the server sent it, pages answering a form
post included."""

from __future__ import annotations

import re
import time

import pyotp
from playwright.sync_api import Page, expect

from e2e.quality import assert_no_axe_violations, assert_valid_html
from e2e.test_accounts import demo_account

COLLECTED: dict[str, str] = {}


def check(page: Page, name: str, html: str | None = None) -> None:
    """axe + sideways scroll on the page as shown; keep the server's HTML for vnu."""
    page.wait_for_load_state("load")  # the stylesheet applied: axe measures target sizes
    assert_no_axe_violations(page)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px"
    COLLECTED[name] = html if html is not None else page.request.get(page.url).text()


def visit(page: Page, base_url: str, path: str) -> None:
    page.goto(base_url + path)
    check(page, path)


def visit_account(page: Page, base_url: str, listing: str, account: str, change: str) -> None:
    """From a listing's search to one account's page, then to its change form; both are
    checked, named after the link followed."""
    page.goto(base_url + listing)
    page.get_by_role("link", name=re.compile(account)).click()
    check(page, f"{listing} → {account}")
    page.get_by_role("link", name=change).click()
    check(page, change)


def posted(page: Page, name: str, click) -> None:
    """Run ``click`` (which submits a form) and check the page the POST answered with."""
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        click()
    page.wait_for_load_state()
    response = answer.value
    html = response.text() if response.status < 300 else page.request.get(page.url).text()
    check(page, name, html)


def test_public_account_pages(page: Page, base_url: str, server):
    for path in ("/masuk", "/lupa-sandi", "/aktivasi/tidak-ada-tautan-seperti-ini"):
        visit(page, base_url, path)
    page.goto(base_url + "/masuk")
    page.get_by_label("Nama pengguna atau nomor HP").fill("tidak.ada")
    page.get_by_label("Kata sandi").fill("salah-salah-salah")
    posted(page, "/masuk (salah)", lambda: page.get_by_role("button", name="Masuk").click())
    # The code page of a staff member (the code itself is not typed: one sign-in with a
    # code per account per run, see test_accounts).
    password, _ = demo_account(server, "petugas.kab")
    page.get_by_label("Nama pengguna atau nomor HP").fill("petugas.kab")
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    expect(page).to_have_url(re.compile(r"/masuk/kode"))
    check(page, "/masuk/kode")
    page.get_by_label("Kode verifikasi").fill("000000")
    posted(page, "/masuk/kode (salah)", lambda: page.get_by_role("button", name="Lanjut").click())


def test_staff_account_pages(page: Page, base_url: str, sign_in):
    sign_in("petugas.kota")
    for path in ("/akun", "/akun/sandi", "/petugas/koordinator", "/petugas/audit"):
        visit(page, base_url, path)
    visit_account(
        page, base_url, "/petugas/koordinator?q=rt03", "Bu Sri", "Ubah wilayah atau jabatan"
    )
    visit(page, base_url, "/petugas/koordinator/baru")
    submit = page.get_by_role("button", name="Buat akun dan tautan aktivasi")
    posted(page, "baru (kosong)", submit.click)
    page.get_by_label("Nama lengkap").fill("Pak Kualitas")
    page.get_by_label("Nama pengguna").fill("rt.kualitas")
    page.get_by_label("Jabatan").select_option(label="Kader PKK")
    village = page.get_by_label("Kelurahan/desa")
    village.select_option(
        value=village.locator("option", has_text="Wates").first.get_attribute("value")
    )
    posted(page, "tautan", submit.click)
    link = page.get_by_label("Tautan aktivasi").input_value()
    page.context.clear_cookies()
    page.goto(link)
    check(page, "aktivasi")
    page.get_by_label("Kata sandi baru", exact=True).fill("pendek")
    posted(page, "aktivasi (salah)", lambda: page.get_by_role("button", name="Simpan").click())


def test_coordinator_and_admin_pages(page: Page, base_url: str, sign_in, context):
    sign_in("pkk.wates")
    visit(page, base_url, "/akun/2fa")
    context.clear_cookies()
    sign_in("admin")
    for path in ("/admin", "/admin/petugas", "/admin/petugas/baru", "/admin/audit"):
        visit(page, base_url, path)
    kabupaten = "Petugas Dispendukcapil Kabupaten"
    visit_account(
        page, base_url, "/admin/petugas?q=petugas.kab", kabupaten, "Ubah peran dan wilayah"
    )
    page.get_by_label("Peran", exact=True).select_option(label="Koordinator")
    page.get_by_label("Kata sandi Anda").fill("bukan-sandi-admin")
    posted(page, "peran (salah)", lambda: page.get_by_role("button", name="Simpan").click())
    page.goto(base_url + "/admin/petugas?q=admin")
    page.get_by_role("link", name="Admin Portal").click()
    check(page, "admin: akun sendiri")


def test_coordinator_turns_two_factor_on_and_off_again(page: Page, base_url: str, sign_in, server):
    """On a phone: the "Matikan verifikasi dua langkah" form, a wrong code answered next to
    its field, then the confirmation."""
    password, _ = demo_account(server, "rw01.trowulan")
    sign_in("rw01.trowulan")
    page.goto(base_url + "/akun")
    page.get_by_role("link", name="Aktifkan verifikasi dua langkah").click()
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    code = pyotp.TOTP(secret)
    page.get_by_label("Kode dari aplikasi").fill(code.now())
    page.get_by_role("button", name="Aktifkan").click()
    expect(page.locator(".recovery-codes")).to_be_visible()

    page.goto(base_url + "/akun")
    off = page.locator("form[action='/akun/2fa/matikan']")
    expect(off).to_be_visible()
    check(page, "/akun (2fa aktif)")
    off.get_by_label("Kata sandi Anda sekarang").fill(password)
    off.get_by_label("Kode verifikasi").fill("000000")
    button = off.get_by_role("button", name="Matikan verifikasi dua langkah")
    posted(page, "2fa matikan (salah)", button.click)
    expect(page.locator("#off_code-error")).to_contain_text("Kode salah")
    expect(page.locator("#off_password")).to_have_value("")  # a secret is never sent back
    expect(page.get_by_label("Kode verifikasi")).to_have_attribute("aria-invalid", "true")

    # The code used to turn it on is spent: the next 30-second step's (accepted for clocks
    # that drift) stands in for the code a person would wait for.
    next_code = code.at(time.time() + 30)
    off.get_by_label("Kata sandi Anda sekarang").fill(password)
    off.get_by_label("Kode verifikasi").fill(next_code)
    posted(page, "2fa dimatikan", button.click)
    expect(page).to_have_url(re.compile(r"/akun\?pesan=2fa-mati$"))
    expect(page.get_by_role("status")).to_contain_text("Verifikasi dua langkah sudah dimatikan")
    expect(page.get_by_text("Belum aktif")).to_be_visible()


def test_every_account_page_is_valid_html():
    assert len(COLLECTED) >= 20, sorted(COLLECTED)
    assert_valid_html(COLLECTED)

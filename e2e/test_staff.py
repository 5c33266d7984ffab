"""Staff journeys in a real browser, on a phone and on a desktop screen: triage, schedule,
roster export, attendance, bulk actions, live search, and two officers on one resident."""

from __future__ import annotations

import json
import re
import secrets
import subprocess
import sys

import pytest
from playwright.sync_api import Page, expect

from e2e.conftest import ROOT
from e2e.pages import (
    StaffKitsPage,
    StaffQueuePage,
    StaffResidentPage,
    StaffSessionFormPage,
    StaffSessionPage,
)
from e2e.quality import assert_no_axe_violations, assert_valid_html
from portal.clock import today_local

VIEWPORTS = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 900}}


def seed(server, extra: int = 0) -> tuple[str, dict[str, int]]:
    """A fresh submitted list with four residents (and ``extra`` more) whose names end in a
    unique tag."""
    tag = "t" + secrets.token_hex(2)  # a letter first: an all-digit search means a NIK
    done = subprocess.run(
        [sys.executable, "-m", "e2e.staff_data", tag, str(extra)],
        env=server.env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return tag, json.loads(done.stdout)


@pytest.fixture(params=list(VIEWPORTS))
def screen(request, page: Page) -> str:
    page.set_viewport_size(VIEWPORTS[request.param])
    return request.param


def test_verify_schedule_export_and_record(page: Page, base_url, server, sign_in, screen):
    tag, _ = seed(server)
    name = f"Ani Rahayu {tag}"
    sign_in("petugas.kota")

    queue = StaffQueuePage(page, base_url).open()
    queue.search(tag)
    expect(queue.rows()).to_have_count(4)
    expect(queue.row(f"Citra Lestari {tag}")).to_contain_text("Kunjungan rumah")
    expect(queue.row(name)).not_to_contain_text("35760141")  # masked in the queue
    queue.open_resident(name)

    resident = StaffResidentPage(page, base_url)
    expect(resident.heading()).to_have_text(name)
    resident.reveal_nik()
    expect(page.locator("#nik .nik.full")).to_have_text(
        f"3576014101{int(tag[-4:], 16) % 100:02d}0001"
    )
    resident.verify()
    expect(resident.notice()).to_contain_text("Warga diverifikasi.")
    expect(resident.status()).to_have_text("Diverifikasi")
    resident_url = page.url

    title = f"Sesi uji {tag}"
    kit = StaffKitsPage(page, base_url).open().add_kit(f"Alat uji {tag}")
    StaffSessionFormPage(page, base_url).open().create(
        title=title, day=today_local().isoformat(), kecamatan="Prajuritkulon", kit=kit
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(title)

    page.goto(resident_url)
    resident.schedule(title)
    expect(resident.status()).to_have_text("Dijadwalkan")
    page.get_by_role("link", name=title).click()

    session = StaffSessionPage(page, base_url)
    expect(session.roster_row(name)).to_be_visible()
    expect(session.roster_row(name).get_by_label("Hadir", exact=True)).to_be_visible()
    page.wait_for_load_state("load")
    session.assert_no_horizontal_scroll()  # with the attendance choices in each row
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh CSV").click()
    content = open(download.value.path(), encoding="utf-8-sig").read()  # noqa: SIM115
    assert name in content and "3576014101" in content

    session.mark_present(name)
    expect(page.locator(".notice").first).to_contain_text("dicatat kehadirannya")
    expect(session.roster_row(name)).to_contain_text("Sudah rekam")
    page.wait_for_load_state("load")
    session.assert_no_horizontal_scroll()


def test_bulk_verify_from_the_queue(page: Page, base_url, server, sign_in, screen):
    tag, _ = seed(server)
    sign_in("petugas.kota")
    queue = StaffQueuePage(page, base_url).open()
    queue.search(tag)
    queue.tick(f"Ani Rahayu {tag}")
    queue.tick(f"Budi Santoso {tag}")
    queue.bulk("Verifikasi")
    expect(page.locator(".notice").first).to_contain_text("2 warga diverifikasi")
    expect(queue.row(f"Ani Rahayu {tag}")).to_contain_text("Diverifikasi")
    expect(queue.row(f"Citra Lestari {tag}")).to_contain_text("Diterima")
    page.wait_for_load_state("load")
    queue.assert_no_horizontal_scroll()


def test_verify_every_result_of_a_search_on_a_phone(page: Page, base_url, server, sign_in):
    """More results than one page: "all N results" asks to confirm the count, then acts on
    every page's residents."""
    tag, _ = seed(server, extra=50)
    sign_in("petugas.kota")
    page.set_viewport_size(VIEWPORTS["phone"])
    queue = StaffQueuePage(page, base_url).open()
    queue.search(tag)
    expect(queue.rows()).to_have_count(50)
    page.locator(".bulk-details summary").click()
    page.get_by_label("Pilih semua 54 hasil saringan ini (semua halaman)").check()
    page.get_by_label("Tindakan", exact=True).select_option(label="Verifikasi")
    page.get_by_role("button", name="Lakukan tindakan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Konfirmasi tindakan massal")
    expect(page.locator("main")).to_contain_text(f"Pencarian: “{tag}”")
    assert_no_axe_violations(page)
    queue.assert_no_horizontal_scroll()
    assert_valid_html({"konfirmasi": page.content()})
    page.get_by_role("button", name="Ya, verifikasi 54 warga").click()
    expect(page.locator(".notice").first).to_contain_text("54 warga diverifikasi")
    expect(page.get_by_role("link", name=re.compile(r"Diverifikasi \d+"))).to_contain_text("54")


def test_applying_a_search_swaps_the_results_once(page: Page, base_url, server, sign_in):
    """Clicking "Terapkan" after typing fires "change" and "submit"; a second, late swap of
    the results would undo boxes ticked in between."""
    tag, _ = seed(server)
    sign_in("petugas.kota")
    page.set_viewport_size(VIEWPORTS["desktop"])
    queue = StaffQueuePage(page, base_url).open()
    page.evaluate(
        "window.__swaps = 0; document.body.addEventListener('htmx:afterSwap', e => {"
        " if (e.detail.target.id === 'results') window.__swaps++ })"
    )
    queue.search(tag)
    expect(queue.rows()).to_have_count(4)
    queue.tick(f"Ani Rahayu {tag}")
    page.wait_for_load_state("networkidle")
    expect(page.get_by_label(f"Pilih Ani Rahayu {tag}")).to_be_checked()
    assert page.evaluate("window.__swaps") == 1


def test_search_updates_results_in_place_and_in_the_address(page: Page, base_url, server, sign_in):
    tag, _ = seed(server)
    sign_in("petugas.kota")
    queue = StaffQueuePage(page, base_url).open()
    page.evaluate("window.__sameDocument = true")
    page.get_by_label("Cari nama atau NIK").type(f"citra lestari {tag}", delay=20)
    expect(queue.rows()).to_have_count(1)
    expect(page).to_have_url(f"{base_url}/petugas/antrian?q=citra+lestari+{tag}")
    assert page.evaluate("window.__sameDocument") is True  # htmx swapped, no reload
    page.reload()
    expect(queue.rows()).to_have_count(1)  # the pushed URL is a real, shareable view


def test_second_officer_gets_a_conflict_and_a_fresh_view(
    page: Page, base_url, server, sign_in, browser
):
    tag, people = seed(server)
    rid = people[f"Budi Santoso {tag}"]
    sign_in("petugas.kota")
    page.goto(f"{base_url}/petugas/warga/{rid}")
    other_context = browser.new_context(viewport=VIEWPORTS["phone"], locale="id-ID")
    try:
        other_context.add_cookies([server.session_cookie("petugas.kota")])
        other = other_context.new_page()
        other.goto(f"{base_url}/petugas/warga/{rid}")

        StaffResidentPage(page, base_url).verify()
        expect(page.locator(".notice").first).to_contain_text("Warga diverifikasi.")

        stale = StaffResidentPage(other, base_url)
        stale.reject("Pindah")
        expect(other.get_by_role("alert").first).to_contain_text(
            "baru saja diubah oleh petugas lain"
        )
        expect(stale.status()).to_have_text("Diverifikasi")
    finally:
        other_context.close()


def test_dashboard_and_sessions_fit_a_phone(page: Page, base_url, server, sign_in):
    seed(server)
    sign_in("petugas.kota")
    for path in ("/petugas", "/petugas/jadwal", "/petugas/konten"):
        page.goto(base_url + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        page.wait_for_load_state("load")
        StaffQueuePage(page, base_url).assert_no_horizontal_scroll()
    page.goto(base_url + "/petugas")
    expect(page.locator("svg.staff-chart").first).to_be_visible()


def test_staff_pages_pass_axe_and_the_html_checker(page: Page, base_url, server, sign_in):
    tag, people = seed(server)
    sign_in("petugas.kota")
    rid = people[f"Dewi Anggraini {tag}"]
    kit = StaffKitsPage(page, base_url).open().add_kit(f"Alat cek {tag}")
    StaffSessionFormPage(page, base_url).open().create(
        title=f"Sesi cek {tag}", day=today_local().isoformat(), kecamatan="Prajuritkulon", kit=kit
    )
    session_path = page.url.split(base_url, 1)[1].split("?", 1)[0]
    page.goto(f"{base_url}/petugas/warga/{people[f'Ani Rahayu {tag}']}")
    StaffResidentPage(page, base_url).verify()
    StaffResidentPage(page, base_url).schedule(f"Sesi cek {tag}")
    paths = [
        "/petugas",
        f"/petugas/antrian?q={tag}",
        f"/petugas/warga/{rid}",
        session_path,
        session_path + "/ubah",
        "/petugas/jadwal",
        "/petugas/jadwal/baru",
        "/petugas/konten",
        "/petugas/konten/angka/baru",
        "/petugas/konten/persyaratan/baru",
    ]
    page.goto(base_url + "/petugas/konten")
    paths.append(page.locator("a[href^='/petugas/konten/lokasi/']").first.get_attribute("href"))
    documents = {}
    for path in paths:
        page.goto(base_url + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_no_axe_violations(page)
        documents[path] = page.context.request.get(base_url + path).text()
        assert 'class="staff-nav' in documents[path], path  # signed in, not the login page
    assert_valid_html(documents)


def test_choosing_a_kecamatan_offers_its_desa_and_keeps_focus(page: Page, base_url, sign_in):
    sign_in("petugas.kab")
    page.set_viewport_size(VIEWPORTS["desktop"])
    page.goto(base_url + "/petugas/antrian")
    page.get_by_text("Saring lebih lanjut").click()
    desa = page.get_by_label("Kelurahan/desa")
    expect(desa.locator("option")).to_have_count(1)  # 300 desa: pick a kecamatan first
    page.get_by_label("Kecamatan").select_option(label="Trowulan")
    expect(desa.locator("optgroup")).to_have_attribute("label", "Trowulan")
    expect(page).to_have_url(f"{base_url}/petugas/antrian?kecamatan=35.16.12")
    desa.focus()
    page.keyboard.press("ArrowDown")
    expect(page).to_have_url(re.compile(r"desa=35\.16\.12\.\d{4}$"))
    assert page.evaluate("document.activeElement.id") == "desa"
    expect(page.get_by_label("Koordinator")).to_have_value("")

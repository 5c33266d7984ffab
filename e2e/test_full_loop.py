"""The whole loop in real browsers: a coordinator on a phone submits a list, an officer on a
desktop signs in with a code, verifies, schedules, downloads the roster and records
attendance; the coordinator then sees "Sudah rekam" and /capaian counts it.

Both sign in through the real form. Names carry a per-run tag: the server database is
shared by every browser test.
"""

from __future__ import annotations

import re
import secrets
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import openpyxl
import pyotp
from playwright.sync_api import Browser, Page, expect

from e2e.pages import (
    CoordinatorDashboard,
    LoginPage,
    ProgressPage,
    StaffKitsPage,
    StaffQueuePage,
    StaffSessionFormPage,
    StaffSessionPage,
)
from e2e.test_accounts import demo_account

DESKTOP = {"width": 1280, "height": 800}
KECAMATAN = "Prajuritkulon"
VILLAGE = "Surodinawan"


def test_coordinator_to_capaian(page: Page, base_url: str, server, browser: Browser):
    tag = "t" + secrets.token_hex(2)  # a letter first: an all-digit search means a NIK
    came, missed = f"Loop Budi {tag}", f"Loop Siti {tag}"
    nik = f"3576011708900{secrets.randbelow(900) + 100}"  # born 17-08-1990, male, Prajuritkulon

    # --- The coordinator signs in on a phone, builds a list by hand and submits it. ----------
    password, _ = demo_account(server, "rt03.surodinawan")
    login = LoginPage(page, base_url).open()
    login.sign_in("rt03.surodinawan", password)
    expect(page).to_have_url(re.compile(r"/koordinator$"))
    lst = CoordinatorDashboard(page, base_url).new_list()
    list_url = page.url.split("?", 1)[0]
    lst.add_resident(came, nik=nik)
    lst.add_resident(missed, dob=("1", "1", "1985"), sex="P")
    lst.submit()
    expect(lst.row(came)).to_contain_text("Diterima")

    progress = ProgressPage(page, base_url).open()
    recorded_before = progress.recorded_in_kecamatan(KECAMATAN)

    # --- An officer signs in on a desktop with password and code. ----------------------------
    staff_context = browser.new_context(
        viewport=DESKTOP, locale="id-ID", timezone_id="Asia/Jakarta"
    )
    try:
        desk = staff_context.new_page()
        password, secret = demo_account(server, "petugas.kota")
        staff_login = LoginPage(desk, base_url).open()
        staff_login.sign_in("petugas.kota", password)
        # The next step's code: accepted (one step of drift) and never one an earlier test
        # in this run already used, since each code works once.
        staff_login.enter_code(pyotp.TOTP(secret).at(time.time() + 30))
        expect(desk).to_have_url(re.compile(r"/petugas$"))

        queue = StaffQueuePage(desk, base_url).open()
        queue.search(tag)
        expect(queue.rows()).to_have_count(2)
        expect(queue.row(came)).not_to_contain_text(nik)  # masked in the queue
        queue.tick(came)
        queue.tick(missed)
        queue.bulk("Verifikasi")
        expect(desk.locator(".notice").first).to_contain_text("2 warga diverifikasi")

        title = f"Jemput bola {tag}"
        day = datetime.now(ZoneInfo("Asia/Jakarta")).date().isoformat()
        kit = StaffKitsPage(desk, base_url).open().add_kit(f"Alat rekam {tag}")
        StaffSessionFormPage(desk, base_url).open().create(
            title=title, day=day, kecamatan=KECAMATAN, kit=kit
        )
        expect(desk.get_by_role("heading", level=1)).to_have_text(title)
        session_url = desk.url.split("?", 1)[0]

        queue.open()
        queue.search(tag)
        expect(queue.row(came)).to_contain_text("Diverifikasi")
        queue.tick(came)
        queue.tick(missed)
        queue.bulk("Jadwalkan", session_title=title)
        expect(desk.locator(".notice").first).to_contain_text("2 warga")
        expect(queue.row(missed)).to_contain_text("Dijadwalkan")

        desk.goto(session_url)
        session = StaffSessionPage(desk, base_url)
        expect(session.roster_row(came)).to_contain_text(nik)  # full NIK for the field team
        with open(session.download("Unduh CSV"), encoding="utf-8-sig") as csv_file:
            content = csv_file.read()
        assert came in content and missed in content and nik in content
        with open(session.download("Unduh Excel"), "rb") as xlsx_file:
            sheet = openpyxl.load_workbook(xlsx_file).active
        cells = {str(c.value) for row in sheet.iter_rows() for c in row if c.value}
        assert {came, missed, nik} <= cells

        session.mark_attendance({came: "Hadir", missed: "Tidak hadir"})
        expect(desk.locator(".notice").first).to_contain_text("dicatat kehadirannya")
        expect(session.roster_row(came)).to_contain_text("Sudah rekam")
        expect(session.roster_row(missed)).to_contain_text("Tidak hadir")
    finally:
        staff_context.close()

    # --- The coordinator follows each person. -------------------------------------------------
    page.goto(list_url)
    expect(lst.row(came)).to_contain_text("Sudah rekam")
    expect(lst.row(missed)).to_contain_text("Tidak hadir")
    expect(lst.row(missed)).not_to_contain_text("Sudah rekam")

    # --- /capaian counts the one recorded. Signed in, the page is never served from the
    # public cache, so it is current at once (visitors get it within its one-minute TTL).
    progress.open()
    assert progress.recorded_in_kecamatan(KECAMATAN) == recorded_before + 1
    expect(progress.village_line(KECAMATAN, VILLAGE)).to_be_visible()
    progress.assert_no_horizontal_scroll()

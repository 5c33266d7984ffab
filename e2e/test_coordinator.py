"""Coordinator area in a phone browser: build a list by hand, by paste and by upload, keep
a draft across a reload, submit once, see duplicates and follow the status after staff act.

Names carry a per-test tag so tests sharing the demo database never meet as duplicates.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys

from playwright.sync_api import Page, expect

from e2e.conftest import ROOT
from e2e.pages import CoordinatorDashboard, ListPage
from e2e.quality import assert_no_axe_violations, assert_valid_html
from portal.clock import today_local


def new_list(page: Page, base_url: str, sign_in, user: str = "rt03.surodinawan") -> ListPage:
    sign_in(user)
    dashboard = CoordinatorDashboard(page, base_url).open()
    expect(dashboard.heading()).to_contain_text("belum rekam")
    return dashboard.new_list()


def staff_sets(server, *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "e2e.coordinator_db", *args],
        env=server.env,
        cwd=ROOT,
        check=True,
        timeout=60,
    )


def test_list_built_by_hand_with_field_checks(page: Page, base_url, sign_in):
    lst = new_list(page, base_url, sign_in)
    lst.field("full_name").fill("Hand Budi")
    lst.field("nik").fill("3576")
    lst.field("phone").click()  # leaving the NIK checks it
    expect(lst.field_error("nik")).to_contain_text("NIK harus 16 angka")
    lst.fill_resident("Hand Budi", nik="3576011708900001")
    lst.field("phone").fill("0812 3456 7890")
    lst.save_resident()
    row = lst.row("Hand Budi")
    expect(row).to_contain_text("3576••••••••0001")
    expect(row).not_to_contain_text("3576011708900001")
    # The form is empty again and ready for the next person.
    expect(lst.field("full_name")).to_have_value("")
    expect(lst.field("full_name")).to_be_focused()
    lst.add_resident("Hand Citra", dob=("1", "1", "1985"), sex="P")
    # Edit in place, then remove.
    lst.row("Hand Citra").get_by_role("link", name="Ubah").click()
    edit = page.locator("li.resident.editing")
    expect(edit.get_by_label("Nama lengkap")).to_have_value("Hand Citra")
    edit.get_by_label("Nama lengkap").fill("Hand Citra Dewi")
    edit.get_by_role("button", name="Simpan perubahan").click()
    expect(lst.row("Hand Citra Dewi")).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    lst.row("Hand Budi").get_by_role("button", name="Hapus").click()
    expect(lst.row("Hand Budi")).to_have_count(0)
    expect(page.get_by_role("heading", name="Warga di daftar ini (1)")).to_be_visible()
    lst.assert_no_horizontal_scroll()


def test_under_18_needs_guardian_consent(page: Page, base_url, sign_in):
    lst = new_list(page, base_url, sign_in)
    lst.fill_resident("Minor Rina", dob=("1", "1", "2009"), sex="P")
    lst.save_resident()
    expect(page.locator(".error-summary")).to_contain_text("belum 18 tahun")
    expect(lst.field("full_name")).to_have_value("Minor Rina")
    page.get_by_label("Orang tua/wali sudah setuju").check()
    lst.save_resident()
    expect(lst.row("Minor Rina")).to_contain_text("Pemula")


def test_married_minor_must_record_now(page: Page, base_url, sign_in):

    from portal.rules.ages import add_years

    lst = new_list(page, base_url, sign_in)
    birth = add_years(today_local(), -15)
    with page.expect_response("**/periksa?field=dob"):
        lst.fill_resident("Kawin Rina", dob=(str(birth.day), str(birth.month), str(birth.year)))
    messages = page.locator("#new-dob-messages")
    expect(messages).to_contain_text("Belum cukup umur")
    # Keyboard only: the box is reached and ticked without a pointer.
    box = page.get_by_label("Sudah kawin atau pernah kawin")
    box.focus()
    with page.expect_response("**/periksa?field=married"):
        page.keyboard.press("Space")
    expect(messages).to_contain_text("wajib memiliki KTP-el berapa pun usianya")
    expect(messages).not_to_contain_text("Belum cukup umur")
    expect(box).to_be_checked()
    page.get_by_label("Orang tua/wali sudah setuju").check()
    lst.save_resident()
    row = lst.row("Kawin Rina")
    expect(row).to_contain_text("Sudah kawin atau pernah kawin")
    expect(row).not_to_contain_text("Belum cukup umur")
    lst.assert_no_horizontal_scroll()


def test_draft_survives_a_reload(page: Page, base_url, sign_in):
    lst = new_list(page, base_url, sign_in)
    lst.add_resident("Reload Saved")
    lst.field("full_name").fill("Reload Typing")
    with page.expect_response("**/periksa?field=full_name"):
        lst.field("address").click()  # leaving the name autosaves the form
    lst.field("address").fill("Jl. Kenari 3")
    with page.expect_response("**/periksa?field=address"):
        lst.field("phone").click()
    page.reload()
    expect(lst.row("Reload Saved")).to_be_visible()
    expect(lst.field("full_name")).to_have_value("Reload Typing")
    expect(lst.field("address")).to_have_value("Jl. Kenari 3")
    expect(page.get_by_text("Isian yang belum disimpan dipulihkan")).to_be_visible()


def test_double_submit_creates_one_list(page: Page, base_url, sign_in):
    sign_in("rt03.surodinawan")
    page.goto(base_url + "/koordinator/daftar/baru")
    page.get_by_label("Judul daftar").fill("Dobel Ketuk")
    page.get_by_role("button", name="Buat daftar baru").dblclick()
    # The second click aborts the first navigation (net::ERR_ABORTED), which wait_for_url
    # would report as a failure; the URL the page settles on is what counts.
    expect(page).to_have_url(re.compile(r"/koordinator/daftar/[0-9a-f]+-"))
    lst = ListPage(page, base_url)
    lst.add_resident("Dobel Ani")
    page.get_by_role("button", name="ke petugas").dblclick()
    expect(page.get_by_text("Daftar sudah dikirim ke petugas")).to_be_visible()
    expect(page.locator("ul.counts")).to_contain_text("1 warga")
    CoordinatorDashboard(page, base_url).open()
    expect(page.get_by_role("link", name="Dobel Ketuk")).to_have_count(1)


def test_list_built_by_paste_with_preview(page: Page, base_url, sign_in):
    lst = new_list(page, base_url, sign_in)
    page.get_by_role("link", name="Tempel dari Excel atau WhatsApp").click()
    page.get_by_label("Baris warga").fill(
        "Paste Budi, 17-08-1990, L, Jl. Mawar 5\n"
        "Paste Siti, 3576015508900001, P\n"
        "Paste Tanpa Tanggal, L\n"
    )
    page.get_by_role("button", name="Periksa baris").click()
    expect(page.get_by_role("heading", name="Periksa sebelum disimpan")).to_be_visible()
    expect(page.get_by_text("Perlu diperbaiki (1)")).to_be_visible()
    page.get_by_role("link", name="Perbaiki baris 3").click()
    page.get_by_label("Tanggal", exact=True).fill("2")
    page.get_by_label("Bulan").fill("3")
    page.get_by_label("Tahun").fill("1980")
    page.get_by_role("button", name="Simpan perbaikan baris ini").click()
    expect(page.get_by_text("Perlu diperbaiki")).to_have_count(0)
    page.get_by_role("button", name="Simpan 3 warga ke draf").click()
    for name in ("Paste Budi", "Paste Siti", "Paste Tanpa Tanggal"):
        expect(lst.row(name)).to_be_visible()
    lst.assert_no_horizontal_scroll()


def xlsx_file(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Nama lengkap", "NIK", "Tanggal lahir", "Jenis kelamin"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_list_built_by_upload_and_a_broken_file(page: Page, base_url, sign_in):
    lst = new_list(page, base_url, sign_in)
    page.get_by_role("link", name="Unggah file CSV atau Excel").click()
    upload = page.get_by_label("File daftar warga")
    upload.set_input_files(
        files=[{"name": "rusak.xlsx", "mimeType": "application/zip", "buffer": b"PK\x03\x04xx"}]
    )
    page.get_by_role("button", name="Unggah dan periksa").click()
    expect(page.locator(".error-summary")).to_contain_text("rusak")
    upload.set_input_files(
        files=[
            {
                "name": "daftar.xlsx",
                "mimeType": "application/octet-stream",
                "buffer": xlsx_file(
                    [
                        ["Upload Dewi", "3576014101900002", "01-01-1990", "P"],
                        ["Upload Eko", "", "02-02-1992", "L"],
                    ]
                ),
            }
        ]
    )
    page.get_by_role("button", name="Unggah dan periksa").click()
    expect(page.get_by_text("daftar.xlsx")).to_be_visible()
    page.get_by_role("button", name="Simpan 2 warga ke draf").click()
    expect(lst.row("Upload Dewi")).to_contain_text("3576••••••••0002")
    expect(lst.row("Upload Eko")).to_be_visible()


def test_household_member_added_with_copied_address(page: Page, base_url, sign_in):
    lst = new_list(page, base_url, sign_in)
    lst.fill_resident("Rumah Ibu Sumi", dob=("2", "3", "1970"), sex="P")
    lst.field("address").fill("Gg. Melati 7")
    lst.save_resident()
    lst.row("Rumah Ibu Sumi").get_by_role("link", name="Tambah serumah").click()
    expect(page.get_by_text("disalin dari Rumah Ibu Sumi")).to_be_visible()
    expect(lst.field("address")).to_have_value("Gg. Melati 7")
    expect(page.locator(".htmx-added, .htmx-settling")).to_have_count(0)
    expect(lst.field("full_name")).to_be_focused()
    lst.add_resident("Rumah Anak Sumi", dob=("4", "5", "2000"), sex="L")
    expect(lst.row("Rumah Anak Sumi")).to_contain_text("Gg. Melati 7")


def test_late_field_check_does_not_undo_typing(page: Page, base_url, sign_in):
    """On slow data the NIK check can answer after the coordinator went back and typed
    more: that answer is dropped, and leaving the field again checks the new value."""
    lst = new_list(page, base_url, sign_in)
    held = []
    page.route("**/periksa?field=nik", lambda route: held.append(route))
    lst.field("full_name").fill("Lambat Budi")
    lst.field("nik").fill("3576")
    with page.expect_request("**/periksa?field=nik"):
        lst.field("phone").click()  # leaving the NIK sends its check; the answer is held
    for _ in range(50):
        if held:
            break
        page.wait_for_timeout(100)
    assert len(held) == 1
    lst.field("nik").focus()
    lst.field("nik").press("End")
    lst.field("nik").press_sequentially("011708900001")
    with page.expect_response("**/periksa?field=nik"):
        held[0].continue_()
    page.unroute("**/periksa?field=nik")
    expect(page.locator(".htmx-added, .htmx-settling, .htmx-request")).to_have_count(0)
    expect(lst.field("nik")).to_have_value("3576011708900001")
    expect(lst.field_error("nik")).to_have_count(0)
    with page.expect_response("**/periksa?field=nik"):
        lst.field("phone").click()  # leaving it again checks what is there now
    expect(lst.field_error("nik")).to_have_count(0)
    lst.fill_resident("Lambat Budi", nik="3576011708900001")
    lst.save_resident()
    expect(lst.row("Lambat Budi")).to_contain_text("3576••••••••0001")


def test_duplicate_warnings(page: Page, base_url, sign_in):
    lst = new_list(page, base_url, sign_in)
    lst.add_resident("Dupe Ani", nik="3576014101900009", dob=("1", "1", "1990"), sex="P")
    lst.fill_resident("Dupe Ani Lagi", nik="3576014101900009", dob=("1", "1", "1990"), sex="P")
    lst.save_resident()
    expect(lst.field_error("nik")).to_contain_text("NIK ini sudah ada di daftar ini (Dupe Ani)")
    lst.fill_resident("dupe  ANI", dob=("1", "1", "1990"), sex="P")
    lst.save_resident()
    expect(lst.row("dupe ANI")).to_contain_text("Kemungkinan duplikat")


def test_schedule_message_to_pass_on(page: Page, base_url, sign_in, server, context):
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    lst = new_list(page, base_url, sign_in)
    lst.add_resident("Pesan Ani")
    lst.add_resident("Pesan Budi")
    lst.submit()
    expect(page.get_by_role("heading", name="Pesan jadwal untuk warga")).to_have_count(0)
    staff_sets(server, "schedule", "Pesan Budi", "Jemput bola Pesan")
    page.reload()
    message = page.get_by_label("Isi pesan")
    scheduled = re.compile(r"Jemput bola Pesan, Balai Kelurahan .*:\n- Pesan Budi\n")
    expect(message).to_have_value(scheduled)
    expect(message).not_to_have_value(re.compile("Pesan Ani"))
    page.get_by_role("button", name="Salin pesan").click()
    expect(page.get_by_role("status").filter(has_text="Pesan sudah disalin")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == message.input_value()
    share = page.get_by_role("link", name="Kirim lewat WhatsApp")
    expect(share).to_have_attribute("href", re.compile(r"^https://wa\.me/\?text=Jadwal"))
    assert_no_axe_violations(page)
    assert_valid_html({"list with schedule message": page.content()})
    lst.assert_no_horizontal_scroll()
    # The dashboard points to it.
    list_path = page.url.split(base_url)[1].split("?")[0].split("#")[0]
    CoordinatorDashboard(page, base_url).open()
    page.locator(f"a[href='{list_path}#pesan-jadwal']").click()
    expect(page.get_by_label("Isi pesan")).to_be_in_viewport()


def test_status_line_after_staff_act_and_correction(page: Page, base_url, sign_in, server):
    lst = new_list(page, base_url, sign_in)
    lst.add_resident("Status Ani")
    lst.add_resident("Status Budi")
    lst.submit()
    staff_sets(server, "status", "Status Ani", "perlu_perbaikan", "Tanggal lahir tidak sesuai KK")
    staff_sets(server, "status", "Status Budi", "diverifikasi")
    staff_sets(server, "note", "Status Budi", "Bawa Kartu Keluarga asli", "visible")
    staff_sets(server, "note", "Status Budi", "Catatan internal petugas", "internal")
    page.reload()
    expect(page.locator("ul.counts")).to_contain_text("1 perlu perbaikan")
    ani = page.locator("li.resident", has=page.get_by_role("link", name="Status Ani"))
    expect(ani).to_contain_text("Petugas meminta perbaikan: Tanggal lahir tidak sesuai KK")
    budi = page.locator("li.resident", has=page.get_by_role("link", name="Status Budi"))
    expect(budi).to_contain_text("Diverifikasi")
    expect(budi).to_contain_text("Bawa Kartu Keluarga asli")
    expect(page.get_by_text("Catatan internal petugas")).to_have_count(0)
    ani.get_by_role("link", name="Perbaiki data Status Ani").click()
    page.get_by_label("Tanggal", exact=True).fill("18")
    page.get_by_role("button", name="Kirim perbaikan ke petugas").click()
    expect(page.get_by_text("Perbaikan sudah dikirim")).to_be_visible()
    expect(page.locator(".status-line .tag").first).to_have_text("Diterima")

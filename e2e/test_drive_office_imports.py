"""The office's export on a phone: staff upload a CSV with errors with JavaScript off, follow
the progress with the reload link while the job (`portal jobs --once`) reads it, see the
preview with each error beside its row, and confirm; then, with JavaScript, re-import next
month's file and watch the progress block refresh itself into the diff summary (new,
changed, gone) and, after confirming, into "Selesai". Every page visited passes axe-core,
the Nu HTML Checker and the 360 px check.

The uploads keep every person the e2e database's Kota register already lists (read through
``e2e.office_export``), so the other browser tests' demo people are never "gone"; the
test's own people live in an RT no demo coordinator covers."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from datetime import date

from playwright.sync_api import Browser, Page, expect

from e2e.conftest import PHONE, ROOT
from e2e.quality import assert_valid_html
from e2e.test_drive_office_list import Quality
from portal.demo_office_list import nik_for

IMPORTS = "/petugas/sisir"
UPLOAD_LABEL = "File data (.csv atau .xlsx)"


def current_export(server) -> list[list[str]]:
    done = subprocess.run(
        [sys.executable, "-m", "e2e.office_export", "kota"],
        env=server.env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return list(csv.reader(io.StringIO(done.stdout)))


def person(n: int, address: str = "") -> list[str]:
    """A fictitious person of Kel. Surodinawan RW 05 RT 01 (no demo coordinator there)."""
    born = date(1980 + n, 1 + n % 12, 1 + n)
    sex = "P" if n % 2 else "L"
    return [
        nik_for("35.76.01", born, sex, 700 + n),
        f"Uji Sisir {chr(65 + n)}",
        born.strftime("%d-%m-%Y"),
        sex,
        address or f"Jl. Percobaan No. {n}",
        "01",
        "05",
        "Surodinawan",
        "Prajuritkulon",
    ]


BAD_ROWS = [
    ["35760199", "Uji Nik Pendek", "01-02-1990", "L", "Jl. Salah 1", "01", "05", "Surodinawan"],
    [
        nik_for("35.76.01", date(1991, 3, 4), "P", 799),
        "Uji Desa Asing",
        "04-03-1991",
        "P",
        "Jl. Entah 2",
        "01",
        "05",
        "Kelurahan Antah Berantah",
        "Prajuritkulon",
    ],
]


def as_csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def upload(page: Page, base_url: str, name: str, rows: list[list[str]]) -> None:
    page.goto(base_url + IMPORTS)
    page.get_by_label("Data per tanggal").fill("2026-11-30")
    page.get_by_label(UPLOAD_LABEL).set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": as_csv(rows)}]
    )
    page.get_by_role("button", name="Unggah dan periksa").click()
    expect(page.locator(".notice")).to_contain_text("Berkas sudah diunggah")


def count_of(page: Page, kind: str) -> int:
    text = page.locator(f"ul.import-counts li.count-{kind}").inner_text()
    return int(text.split()[0].replace(".", ""))


def test_staff_import_a_file_with_errors_then_next_months_file(
    page: Page, browser: Browser, base_url, server, sign_in
):
    sign_in("petugas.kota")
    quality = Quality(page, base_url)
    header, *listed = current_export(server)
    ours = [person(n) for n in range(5)]

    # JavaScript off: upload, the progress with its reload link, the preview, confirm.
    nojs = browser.new_context(
        viewport=PHONE, locale="id-ID", timezone_id="Asia/Jakarta", java_script_enabled=False
    )
    nojs.add_cookies([server.session_cookie("petugas.kota")])
    phone = nojs.new_page()
    try:
        phone.goto(base_url + "/petugas")
        phone.get_by_role("link", name="Sisir data").click()
        expect(phone.get_by_role("heading", level=1)).to_contain_text("Impor data kantor")
        expect(phone.locator("tbody")).to_contain_text("belum-rekam-demo.csv")
        quality.check("imports", IMPORTS)

        upload(phone, base_url, "belum-rekam-november.csv", [header, *listed, *ours, *BAD_ROWS])
        expect(phone.locator("#kemajuan progress")).to_be_visible()
        expect(phone.locator("#kemajuan")).to_contain_text("Menunggu giliran dibaca")
        here = phone.url.split("?")[0].removeprefix(base_url)
        quality.check("progress", here)
        server.portal("jobs", "--once")
        phone.get_by_role("link", name="Muat ulang untuk melihat kemajuan").click()
        expect(phone.locator("#kemajuan [role=status]")).to_contain_text("Selesai dibaca")
        assert count_of(phone, "baru") == 5 and count_of(phone, "galat") == 2
        assert count_of(phone, "hilang") == 0  # everyone listed before is listed again
        errors = phone.locator("#galat-judul ~ .table-wrap tbody tr")
        expect(errors).to_have_count(2)
        expect(errors.filter(has_text="Uji Nik Pendek")).to_contain_text("NIK harus 16 angka")
        expect(errors.filter(has_text="Antah Berantah")).to_contain_text("Kelurahan/desa")
        quality.check("preview", here)
        phone.get_by_role("link", name=re.compile("^5 baru")).click()
        expect(phone.locator("tbody tr")).to_have_count(5)
        expect(phone.locator("tbody")).to_contain_text("Uji Sisir A")
        quality.check("rows", phone.url.removeprefix(base_url))

        phone.goto(base_url + here)
        phone.get_by_role("button", name=re.compile(r"^Simpan \d+ orang ke daftar")).click()
        expect(phone.locator(".notice")).to_contain_text("Impor disimpan")
        server.portal("jobs", "--once")
        phone.get_by_role("link", name="Muat ulang untuk melihat kemajuan").click()
        expect(phone.locator("#kemajuan [role=status]")).to_contain_text("Selesai disimpan")
        quality.check("applied", here)
    finally:
        nojs.close()

    # JavaScript on: next month's file; the progress block polls and reloads by itself.
    changed = person(0, address="Jl. Baru Pindah No. 9")
    december = [header, *listed, changed, *ours[1:3], person(5), person(6)]
    upload(page, base_url, "belum-rekam-desember.csv", december)
    expect(page.locator("#kemajuan[data-hx-trigger]")).to_be_visible()
    again = page.url.split("?")[0]
    server.portal("jobs", "--once")
    expect(page.locator("#pratinjau")).to_be_visible()  # no click: htmx, then HX-Redirect
    assert page.url == again  # at its plain address: the upload's message is gone
    expect(page.locator(".notice", has_text="Berkas sudah diunggah")).to_have_count(0)
    assert (count_of(page, "baru"), count_of(page, "berubah"), count_of(page, "hilang")) == (
        2,
        1,
        2,
    )
    assert count_of(page, "galat") == 0 and count_of(page, "tetap") == len(listed) + 2
    quality.check("re-import preview")
    page.get_by_role("link", name=re.compile("^2 tidak ada lagi")).click()
    gone = page.locator("tbody")
    expect(gone).to_contain_text("Uji Sisir D")
    expect(gone).to_contain_text("Uji Sisir E")
    quality.check("gone rows")
    page.go_back()
    page.get_by_role("button", name=re.compile(r"^Simpan 3 orang ke daftar")).click()
    expect(page.locator("#kemajuan[data-hx-trigger]")).to_be_visible()
    server.portal("jobs", "--once")
    expect(page.locator("#kemajuan [role=status]")).to_contain_text("Selesai disimpan")
    expect(page.locator("ul.import-counts")).to_contain_text("2 tidak ada lagi")
    quality.check("re-import applied")
    page.goto(base_url + IMPORTS)
    expect(page.locator("tbody tr").first).to_contain_text("belum-rekam-desember.csv")
    assert_valid_html(quality.documents)

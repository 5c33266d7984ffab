"""Page objects: what a test may do on each page, in the words of the page."""

from __future__ import annotations

import re
from urllib.parse import urlencode

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


# ---- accounts: sign-in, activation, account management ---------------------------------


class LoginPage(BasePage):
    path = "/masuk"

    def sign_in(self, username: str, password: str) -> None:
        self.page.get_by_label("Nama pengguna atau nomor HP").fill(username)
        self.page.get_by_label("Kata sandi").fill(password)
        self.page.get_by_role("button", name="Masuk").click()

    def enter_code(self, code: str) -> None:
        expect(self.heading()).to_have_text("Masukkan kode verifikasi")
        self.page.get_by_label("Kode verifikasi").fill(code)
        self.page.get_by_role("button", name="Lanjut").click()

    def sign_out(self) -> None:
        # Exact: /akun also has "Keluarkan semua perangkat lain" once a second session exists.
        self.page.get_by_role("button", name="Keluar", exact=True).click()


class AccountPage(BasePage):
    path = "/akun"

    def expect_signed_in_as(self, username: str) -> None:
        expect(self.heading()).to_have_text("Akun saya")
        expect(self.page.locator("dl.summary")).to_contain_text(username)


def fill_coordinator_area(
    page: Page, title: str, kecamatan: str, village: str, rw: str, rt: str
) -> None:
    """The coordinator fields every account form shares: title, kecamatan, village, RW, RT."""
    # htmx binds the kecamatan's change on DOMContentLoaded; a heading can be visible before
    # that, and a change fired in between is never sent (seen on a loaded CI machine).
    page.wait_for_load_state("load")
    page.get_by_label("Jabatan").select_option(label=title)
    page.get_by_label("Kecamatan").select_option(label=kecamatan)
    # htmx narrows the village list to the kecamatan chosen.
    expect(page.locator("#village optgroup")).to_have_count(1)
    village_select = page.get_by_label("Kelurahan/desa")
    value = village_select.locator("option", has_text=village).first.get_attribute("value")
    village_select.select_option(value=value)
    page.get_by_label("RW", exact=True).fill(rw)
    page.get_by_label("RT", exact=True).fill(rt)


class NewCoordinatorPage(BasePage):
    path = "/petugas/koordinator/baru"

    def create(
        self, full_name: str, username: str, kecamatan: str, village: str, rw: str, rt: str
    ) -> str:
        """Fill the form, submit, and return the one-time activation link shown."""
        self.page.get_by_label("Nama lengkap").fill(full_name)
        self.page.get_by_label("Nama pengguna").fill(username)
        fill_coordinator_area(self.page, "Ketua RT", kecamatan, village, rw, rt)
        self.page.get_by_role("button", name="Buat akun dan tautan aktivasi").click()
        expect(self.page.get_by_role("link", name="Kirim lewat WhatsApp")).to_be_visible()
        return self.page.get_by_label("Tautan aktivasi").input_value()


class ActivationPage(BasePage):
    def set_password(self, password: str) -> None:
        expect(self.heading()).to_have_text("Aktifkan akun Anda")
        self.page.get_by_label("Kata sandi baru", exact=True).fill(password)
        self.page.get_by_label("Ketik ulang kata sandi baru").fill(password)
        self.page.get_by_role("button", name="Simpan kata sandi").click()


class CoordinatorAccountPage(BasePage):
    def deactivate(self) -> None:
        self.page.get_by_role("button", name="Nonaktifkan akun").click()
        expect(self.page.get_by_role("status")).to_contain_text("dinonaktifkan")

    def open_role_change(self) -> RoleChangePage:
        self.page.get_by_role("link", name="Ubah peran dan wilayah").click()
        expect(self.heading()).to_have_text("Ubah peran dan wilayah")
        return RoleChangePage(self.page, self.base_url)


class RoleChangePage(BasePage):
    """/admin/akun/<id>/peran: an admin changes someone's role, office and area."""

    def choose_role(self, role: str) -> None:
        self.page.get_by_label("Peran", exact=True).select_option(label=role)

    def choose_office(self, name: str) -> None:
        office = self.page.get_by_label("Kantor", exact=True)
        office.select_option(
            value=office.locator("option", has_text=name).first.get_attribute("value")
        )

    def save(self, admin_password: str) -> None:
        self.page.get_by_label("Kata sandi Anda").fill(admin_password)
        self.page.get_by_role("button", name="Simpan").click()


class CoordinatorDashboard(BasePage):
    path = "/koordinator"

    def new_list(self) -> ListPage:
        self.page.get_by_role("button", name="Buat daftar baru").click()
        self.page.wait_for_url("**/koordinator/daftar/**")
        return ListPage(self.page, self.base_url)


class ListPage(BasePage):
    """A coordinator's draft list: the add form, rows, paste/upload links, submit."""

    def field(self, name: str):
        return self.page.locator(f"#new-{name}")

    def fill_resident(
        self, name: str, *, nik: str = "", dob=("17", "8", "1990"), sex: str = "L"
    ) -> None:
        self.field("full_name").fill(name)
        self.field("nik").fill(nik)
        for part, value in zip(("day", "month", "year"), dob, strict=True):
            self.field(f"dob_{part}").fill(value)
        self.page.locator(f"#new-sex-{sex}").check()

    def save_resident(self) -> None:
        # Wait for the answer: it replaces the form, so typing before it lands is lost.
        with self.page.expect_response(
            lambda r: r.url.endswith("/warga") and r.request.method == "POST"
        ):
            self.page.get_by_role("button", name="Simpan warga").click()
        # A saved row brings a fresh form, and htmx moves the cursor to its name box only
        # when the swap settles (20 ms later, when it drops "htmx-added"). Typing before
        # that can land in the name box: CI once saved a NIK as part of a name that way.
        expect(self.page.locator(".htmx-added, .htmx-settling")).to_have_count(0)

    def add_resident(self, name: str, **kwargs) -> None:
        self.fill_resident(name, **kwargs)
        self.save_resident()
        expect(self.row(name)).to_be_visible()

    def row(self, name: str):
        heading = self.page.get_by_role("heading", name=name, exact=True)
        return self.page.locator("li.resident", has=heading)

    def field_error(self, name: str):
        return self.page.locator(f"#new-{name}-field .error-message")

    def submit(self) -> None:
        self.page.get_by_role("button", name="ke petugas").click()
        expect(self.page.get_by_text("Daftar sudah dikirim ke petugas")).to_be_visible()


class RequirementsPage(BasePage):
    path = "/persyaratan"

    def section(self, anchor: str):
        return self.page.locator(f"section:has(h2#{anchor})")


class FinderPage(BasePage):
    """Cari tempat layanan: office → kecamatan → kelurahan/desa."""

    path = "/cari-tempat"

    def choose(self, label: str, option: str, *, submit: bool) -> None:
        """Pick `option` in the select labelled `label`. Without JavaScript the visitor then
        presses the form's button; with htmx the form updates by itself."""
        self.page.get_by_label(label).select_option(label=option)
        if submit:
            self.page.locator("form.finder button[type=submit]").click()
            self.page.wait_for_load_state()

    def find(self, office: str, kecamatan: str, village: str, *, submit: bool) -> None:
        self.choose("Kota atau kabupaten", office, submit=submit)
        expect(self.page.get_by_label("Kecamatan")).to_be_visible()
        self.settled()
        self.choose("Kecamatan", kecamatan, submit=submit)
        expect(self.page.get_by_label("Kelurahan atau desa")).to_be_visible()
        self.settled()
        self.choose("Kelurahan atau desa", village, submit=submit)
        expect(self.results()).to_be_visible()

    def settled(self) -> None:
        """htmx swaps the form in, then wires its listeners when it settles (and drops the
        htmx-added class). A choice made in between fires no request."""
        expect(self.page.locator("#cari.htmx-added")).to_have_count(0)

    def results(self):
        return self.page.locator("section.results")

    def result_names(self) -> list[str]:
        return self.results().locator(".card h3 a").all_inner_texts()


class SchedulePage(BasePage):
    path = "/jadwal"

    def open_first_session(self) -> str:
        link = self.page.locator("#hasil-jadwal .card h3 a").first
        title = link.inner_text()
        link.click()
        expect(self.heading()).to_have_text(title)
        return title


class CheckerPage(BasePage):
    """Cek apakah saya sudah bisa rekam."""

    path = "/cek-usia"

    def answer(self, day: int, month: int, year: int, married: bool, office: str) -> None:
        self.page.locator("#lahir-hari").fill(str(day))
        self.page.locator("#lahir-bulan").fill(str(month))
        self.page.locator("#lahir-tahun").fill(str(year))
        self.page.locator("#kawin-ya" if married else "#kawin-tidak").check()
        self.page.get_by_label("Di mana Anda terdaftar di Kartu Keluarga?").select_option(
            value=office
        )
        self.page.get_by_role("button", name="Cek").click()

    def verdict(self):
        return self.page.locator(".answer h2")


# --- Staff area -------------------------------------------------------------------------------


class StaffQueuePage(BasePage):
    path = "/petugas/antrian"

    def search(self, text: str) -> None:
        self.page.get_by_label("Cari nama atau NIK").fill(text)
        self.page.get_by_role("button", name="Terapkan").click()
        # The address changes as the results are swapped in (htmx) or loaded (no JS): rows
        # ticked before that would belong to the old results.
        query = re.escape(urlencode({"q": text}))
        expect(self.page).to_have_url(re.compile(rf"[?&]{query}(&|$)"))

    def rows(self):
        return self.page.locator("table.queue tbody tr")

    def row(self, name: str):
        return self.rows().filter(has_text=name)

    def open_resident(self, name: str) -> None:
        self.page.get_by_role("link", name=name, exact=True).click()

    def tick(self, name: str) -> None:
        self.page.get_by_label(f"Pilih {name}").check()

    def bulk(self, action: str, session_title: str | None = None) -> None:
        self.page.locator(".bulk-details summary").click()
        self.page.get_by_label("Tindakan", exact=True).select_option(label=action)
        if session_title is not None:
            select = self.page.get_by_label("Sesi (untuk menjadwalkan)")
            option = select.locator("option", has_text=session_title).first
            select.select_option(option.get_attribute("value"))
        self.page.get_by_role("button", name="Lakukan tindakan").click()


class StaffResidentPage(BasePage):
    def status(self):
        return self.page.locator(".resident-head .tag").first

    def notice(self):
        return self.page.locator(".notice").first

    def reveal_nik(self) -> None:
        self.page.get_by_role("button", name="Tampilkan NIK").click()

    def verify(self) -> None:
        self.page.get_by_role("button", name="Verifikasi", exact=True).click()

    def schedule(self, session_title: str) -> None:
        select = self.page.get_by_label("Sesi", exact=True)
        value = select.locator("option", has_text=session_title).first.get_attribute("value")
        select.select_option(value)
        self.page.get_by_role("button", name="Jadwalkan", exact=True).click()

    def reject(self, reason: str) -> None:
        self.page.get_by_text("Tolak", exact=True).first.click()  # opens the <details>
        self.page.get_by_label(reason, exact=True).check()
        self.page.get_by_role("button", name="Tolak", exact=True).click()


class StaffSessionFormPage(BasePage):
    path = "/petugas/jadwal/baru"

    def create(
        self,
        *,
        title: str,
        day: str,
        kecamatan: str,
        capacity: int = 10,
        kit: str | None = None,
        kind: str = "kelurahan",
        starts: str = "08:00",
        ends: str = "12:00",
        target: str = "",
    ) -> None:
        """Fill in and send the form; ``kit``: the label of the recording kit to take (the
        demo offices have kits, so a new session needs one: ``StaffKitsPage.add_kit``)."""
        p = self.page
        p.get_by_label("Jenis sesi").select_option(kind)
        p.get_by_label("Nama sesi").fill(title)
        p.get_by_label("Tempat", exact=True).fill("Balai RW 02 Surodinawan")
        p.get_by_label("Tanggal", exact=True).fill(day)
        p.get_by_label("Jam mulai").fill(starts)
        p.get_by_label("Jam selesai").fill(ends)
        if kit is not None:
            p.get_by_label("Alat rekam", exact=True).select_option(label=kit)
        if target:
            p.get_by_label("Target siswa (hanya sesi sekolah, tidak wajib)").fill(target)
        p.get_by_label("Kuota").fill(str(capacity))
        p.get_by_label(f"Kecamatan {kecamatan} (seluruhnya)").check()
        p.get_by_label("Tampilkan di jadwal publik").uncheck()
        p.get_by_role("button", name="Buat sesi").click()


class StaffKitsPage(BasePage):
    """/petugas/alat-rekam: the office's recording kits and operators."""

    path = "/petugas/alat-rekam"

    def add_kit(self, name: str, serial: str = "") -> str:
        """Add a kit and return its name, as the session form's kit choice reads it."""
        p = self.page
        form = p.locator("details.add-form", has_text="Tambah alat rekam")
        if not form.evaluate("details => details.open"):
            form.locator("summary").click()
        p.get_by_label("Nama alat rekam").fill(name)
        if serial:
            p.get_by_label("Nomor seri (tidak wajib)").fill(serial)
        p.get_by_role("button", name="Simpan alat rekam").click()
        expect(p.locator(".notice").first).to_contain_text("Alat rekam disimpan.")
        return f"{name} (no. seri {serial})" if serial else name


class StaffSessionPage(BasePage):
    def roster_row(self, name: str):
        return self.page.locator("table.roster tbody tr").filter(has_text=name)

    def mark_present(self, name: str) -> None:
        self.mark_attendance({name: "Hadir"})

    def mark_attendance(self, choices: dict[str, str]) -> None:
        """``{"Name": "Hadir" | "Tidak hadir" | "Belum"}``, then save."""
        for name, choice in choices.items():
            self.roster_row(name).get_by_label(choice, exact=True).check()
        self.page.get_by_role("button", name="Simpan kehadiran").click()

    def download(self, label: str) -> str:
        """Click an export link ("Unduh CSV", "Unduh Excel") and return the saved file's path."""
        with self.page.expect_download() as download:
            self.page.get_by_role("link", name=label).click()
        return str(download.value.path())


class ProgressPage(BasePage):
    """/capaian: counts per kecamatan, with kelurahan/desa lines inside each."""

    path = "/capaian"

    def kecamatan_row(self, name: str):
        return self.page.locator("tbody tr").filter(has=self.page.locator("summary", has_text=name))

    def recorded_in_kecamatan(self, name: str) -> int:
        row = self.kecamatan_row(name)
        if row.count() == 0:
            return 0
        return int(row.locator("td.num").nth(2).inner_text().replace(".", ""))

    def village_line(self, kecamatan: str, village: str):
        """Opens the kecamatan's drill-down and returns the village's line."""
        row = self.kecamatan_row(kecamatan)
        row.locator("summary").click()
        return row.locator("ul.drill li", has_text=village + ":")

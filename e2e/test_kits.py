"""Recording kits in session planning, on a phone: staff add a kit, plan a school session
with it and a target, try an overlapping session on the same kit and see the refusal naming
the clash, then follow the school's recorded count against its target. Every page visited
passes axe, fits 360 px and (as the server sent it) the Nu HTML Checker."""

from __future__ import annotations

import secrets

from playwright.sync_api import Page, expect

from e2e.conftest import PHONE
from e2e.pages import StaffKitsPage, StaffSessionFormPage, StaffSessionPage
from e2e.quality import assert_no_axe_violations, assert_valid_html
from portal.clock import today_local
from portal.rules.dates import format_long_date_id


def check(page: Page, documents: dict[str, str], name: str) -> None:
    """axe and the 360 px check on the page as shown; its HTML kept for the checker."""
    page.wait_for_load_state("load")
    assert_no_axe_violations(page)
    StaffKitsPage(page, "").assert_no_horizontal_scroll()
    documents[name] = page.content() if name.endswith("(POST)") else _as_sent(page)


def _as_sent(page: Page) -> str:
    return page.context.request.get(page.url).text()


def test_plan_a_school_session_with_a_kit_and_see_a_clash_refused(page: Page, base_url, sign_in):
    page.set_viewport_size(PHONE)
    tag = "t" + secrets.token_hex(2)
    documents: dict[str, str] = {}
    sign_in("petugas.kota")

    kits = StaffKitsPage(page, base_url).open()
    expect(kits.heading()).to_have_text("Alat rekam dan operator")
    expect(page.locator("main table").first).to_contain_text("Alat rekam keliling")  # demo
    check(page, documents, "kits")
    kit = kits.add_kit(f"Alat rekam uji {tag}", serial=f"SN-{tag}")
    expect(page.locator("main table").first).to_contain_text(f"Alat rekam uji {tag}")
    check(page, documents, "kits after adding")

    day = today_local()
    title = f"Jemput bola SMA uji {tag}"
    form = StaffSessionFormPage(page, base_url).open()
    check(page, documents, "new session")
    form.create(
        title=title,
        day=day.isoformat(),
        kecamatan="Prajuritkulon",
        kit=kit,
        kind="sekolah",
        target="120",
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    facts = page.locator("dl.session-facts")
    expect(facts).to_contain_text(f"Alat rekam uji {tag}")
    expect(facts).to_contain_text("direkam 0 dari target 120 (0%)")
    session_url = page.url.split("?", 1)[0]

    StaffSessionFormPage(page, base_url).open().create(
        title=f"Sesi bentrok {tag}",
        day=day.isoformat(),
        kecamatan="Prajuritkulon",
        kit=kit,
        starts="10:00",
        ends="13:00",
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Sesi jemput bola baru")
    refusal = page.locator("#kit-error")
    expect(refusal).to_contain_text(f"Alat rekam “Alat rekam uji {tag}” sudah dipakai")
    expect(refusal).to_contain_text(f"untuk sesi “{title}” (Balai RW 02 Surodinawan)")
    expect(refusal).to_contain_text(f"{format_long_date_id(day)}, 08.00–12.00 WIB")
    expect(page.locator(".error-summary")).to_contain_text(f"sesi “{title}”")
    expect(page.get_by_label("Jam mulai")).to_have_value("10:00")  # what was typed is kept
    check(page, documents, "clash refused (POST)")

    # Back to back on the same kit is fine.
    StaffSessionFormPage(page, base_url).open().create(
        title=f"Sesi siang {tag}",
        day=day.isoformat(),
        kecamatan="Prajuritkulon",
        kit=kit,
        starts="12:00",
        ends="14:00",
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Sesi siang {tag}")

    page.goto(session_url)
    page.get_by_label("Jumlah yang direkam tanpa daftar koordinator").fill("30")
    page.get_by_role("button", name="Simpan jumlah").click()
    expect(page.locator(".notice").first).to_contain_text("30 orang")
    expect(facts).to_contain_text("direkam 30 dari target 120 (25%)")
    check(page, documents, "school session")
    StaffSessionPage(page, base_url).assert_no_horizontal_scroll()

    page.goto(base_url + "/petugas/jadwal")
    row = page.locator("tbody tr", has_text=title)
    expect(row.locator("td[data-label=Direkam]")).to_have_text("30 dari target 120")
    expect(page.locator(".school-summary")).to_contain_text("dari target")
    check(page, documents, "sessions")

    page.get_by_role("link", name="Alat rekam", exact=True).click()
    page.get_by_role("link", name=f"Alat rekam uji {tag}").click()
    expect(page.locator("main")).to_contain_text(title)  # its coming sessions
    check(page, documents, "kit")
    assert_valid_html(documents)

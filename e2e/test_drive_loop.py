"""Issue 12's whole loop in a browser, on a phone: someone on the office's "belum rekam" list
is found by their RT ("masih tinggal di sini"), becomes a resident of a list without a
field typed twice, is sent to the office, verified and recorded, gets a printed KTP-el and
collects it in person; the coordinator then reads it on their list. Each page on the way
passes axe and the 360 px check, and the Nu HTML Checker at the end."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from e2e.pages import BasePage, ListPage, StaffQueuePage
from e2e.quality import assert_no_axe_violations, assert_valid_html
from e2e.test_drive_cards import CardPanel, record
from e2e.test_drive_office_list import LIST, people, unchecked_people


def checked(page: Page, documents: dict[str, str], name: str) -> None:
    page.wait_for_load_state("load")
    assert_no_axe_violations(page)
    BasePage(page, "").assert_no_horizontal_scroll()
    documents[name] = page.content()


def test_from_the_office_list_to_a_collected_card(page: Page, base_url, sign_in):
    documents: dict[str, str] = {}

    # The coordinator finds someone of 17 or more still living in the RT.
    sign_in("rt03.surodinawan")
    page.goto(base_url + LIST)
    person = next(p for p in unchecked_people(page) if p[1] >= 17)
    name = person[0]
    page.locator(f"#{person[2]}").check()
    page.get_by_label("Masih tinggal di sini").check()
    page.get_by_role("button", name="Simpan tanda untuk yang dicentang").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Periksa sebelum disimpan")
    checked(page, documents, "preview")
    page.get_by_role("button", name="Simpan 1 warga ke draf").click()
    expect(page.get_by_text("sudah disimpan di draf")).to_be_visible()

    # Nothing typed twice: the draft row carries the office's data; the list goes to staff.
    lst = ListPage(page, base_url)
    expect(lst.row(name)).to_contain_text("3576••••••••")
    lst.submit()
    expect(lst.row(name)).to_contain_text("Diterima")
    list_url = page.url.split("?", 1)[0]
    checked(page, documents, "list sent")

    # Staff verify and record the resident, print the card, and hand it over in person.
    sign_in("petugas.kota")
    queue = StaffQueuePage(page, base_url).open()
    queue.search(name)
    queue.open_resident(name)
    record(page, name)
    panel = CardPanel(page)
    expect(panel.state()).to_have_text("Menunggu cetak")
    panel.print_card("Kantor Kelurahan Surodinawan")
    expect(panel.state()).to_have_text("KTP-el dicetak")
    checked(page, documents, "printed")
    panel.hand_over(in_person=True)
    expect(panel.state()).to_have_text("Sudah diambil")
    checked(page, documents, "collected")

    # The coordinator reads where their resident stands; the office list says they were found.
    sign_in("rt03.surodinawan")
    page.goto(list_url)
    expect(lst.row(name)).to_contain_text("Sudah rekam")
    expect(lst.row(name)).to_contain_text("KTP-el sudah diambil")
    checked(page, documents, "list collected")
    page.goto(base_url + LIST + "?tampil=sudah")
    found = people(page).filter(has_text=name)
    expect(found).to_contain_text(re.compile("Sudah masuk daftar warga|Masih tinggal"))
    checked(page, documents, "office list")
    assert_valid_html(documents)

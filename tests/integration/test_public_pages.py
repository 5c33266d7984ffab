"""Public pages on a real database: content from the tables, office-specific rules, the
finder and its Dlanggu fallback, schedule filters, .ics files, the checker, aggregates."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import icalendar
from bs4 import BeautifulSoup

from portal.clock import today_local
from portal.rules.dates import format_date_id
from portal.settings import get_settings
from tests.integration.public_fixtures import (  # noqa: F401 (autouse fixture)
    add_residents,
    add_session,
    fresh_page_cache,
)

PAGES = [
    "/",
    "/persyaratan",
    "/lokasi",
    "/lokasi/kota-mpp-gajah-mada",
    "/cari-tempat",
    "/cari-tempat?kantor=kota&kecamatan=35.76.01&desa=35.76.01.1007",
    "/jadwal",
    "/cek-usia",
    "/capaian",
    "/privasi",
]


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def text_of(response) -> str:
    return " ".join(soup(response).get_text(" ").split())


async def test_every_public_page_renders_from_the_database(client):
    session = await add_session("Perekaman di Balai Uji")
    for path in [*PAGES, f"/jadwal/{session.id}"]:
        response = await client.get(path)
        assert response.status_code == 200, path
        page = soup(response)
        assert page.html["lang"] == "id"
        assert len(page.select("h1")) == 1, path
        assert page.select_one('meta[name="description"]')["content"].strip(), path
        assert "cache-control" in response.headers
    home = text_of(await client.get("/"))
    assert "Dispendukcapil Kota Mojokerto" in home and "Dispendukcapil Kabupaten Mojokerto" in home
    assert "Mal Pelayanan Publik (MPP) Gajah Mada" in home


async def test_requirements_carry_legal_basis_source_and_check_date(client):
    from portal.tables.content import Requirement

    page = soup(await client.get("/persyaratan"))
    rows = await Requirement.select().order_by(Requirement.position)
    for row in rows:
        article = page.select_one(f"#{row['slug']}")
        assert article is not None, row["slug"]
        assert row["title"] in article.get_text()
        if row["legal_basis"]:
            assert row["legal_basis"] in article.get_text()
        assert f"Terakhir diperiksa {format_date_id(row['checked_on'])}" in article.get_text()
        assert ("Belum dikonfirmasi" in article.get_text()) == (not row["verified"])
    # Bullets in the body become a list; URLs in sources become links.
    assert page.select("#isi-perekaman ul li")
    assert page.select('#gratis .source a[href^="https://"]')
    for anchor in ("wajib", "usia", "dokumen", "biaya", "proses", "perbedaan", "ikd"):
        assert page.select_one(f"#{anchor}"), anchor


async def test_requirements_say_married_people_under_17_must_record(client):
    page = soup(await client.get("/persyaratan"))
    who = " ".join(page.select_one("section:has(#wajib) #wajib-ktp-el").get_text(" ").split())
    assert "sudah berumur 17 tahun, sudah menikah, atau pernah menikah" in who
    bring = page.select_one("section:has(#dokumen) #dokumen-menikah-di-bawah-17")
    words = " ".join(bring.get_text(" ").split())
    assert "sudah menikah dan belum berumur 17 tahun" in words
    assert "fotokopi buku nikah atau akta perkawinan" in words
    # Only Bantul's practice backs it, so the page must not present it as confirmed.
    assert "Belum dikonfirmasi" in words


async def test_minimum_age_comes_from_each_office_row(client):
    from portal.tables.regions import Office

    page = text_of(await client.get("/persyaratan"))
    assert "Kota Mojokerto 16 tahun 8 bulan" in page
    assert "Kabupaten Mojokerto 16 tahun" in page
    await Office.update({Office.min_age_months: 6}).where(Office.slug == "kabupaten")
    try:
        from portal.content.load import bump_revision

        await bump_revision()
        assert "Kabupaten Mojokerto 16 tahun 6 bulan" in text_of(await client.get("/persyaratan"))
        home = text_of(await client.get("/"))
        assert "Bisa rekam mulai usia 16 tahun 6 bulan" in home
    finally:
        await Office.update({Office.min_age_months: 0}).where(Office.slug == "kabupaten")


async def test_location_page_has_hours_services_areas_and_map_links(client):
    page = soup(await client.get("/lokasi/kota-mpp-gajah-mada"))
    text = " ".join(page.get_text(" ").split())
    assert "Senin 08.00–14.00 WIB" in text and "Minggu 08.00–11.00 WIB" in text
    assert "Perekaman KTP-el" in text and "Aktivasi IKD" in text
    assert "Seluruh Kota Mojokerto (3 kecamatan, 18 kelurahan/desa)" in text
    assert re.search(r"(Buka sekarang|Tutup sekarang)", text)
    geo = page.select_one('a[href^="geo:0,0?q="]')["href"]
    assert "Gajah%20Mada" in geo
    osm = page.select_one('a[href^="https://www.openstreetmap.org/search?query="]')
    assert osm is not None
    assert (await client.get("/lokasi/tidak-ada")).status_code == 404


async def test_location_list_filters_by_office(client):
    kota = text_of(await client.get("/lokasi?kantor=kota"))
    assert "Kantor Kelurahan Surodinawan" in kota and "Kantor Kecamatan Gondang" not in kota
    both = text_of(await client.get("/lokasi"))
    assert "Kantor Kelurahan Surodinawan" in both and "Kantor Kecamatan Gondang" in both


async def test_special_day_hours_are_shown_and_applied(client):
    from datetime import time

    from portal.tables.locations import Location, SpecialDay

    mpp = await Location.select(Location.id).where(Location.slug == "kota-mpp-gajah-mada").first()
    tomorrow = today_local() + timedelta(days=1)
    row = SpecialDay(
        location=mpp["id"],
        day=tomorrow,
        opens=time(8),
        closes=time(12),
        note="Hari pemungutan suara",
    )
    await row.save()
    try:
        text = text_of(await client.get("/lokasi/kota-mpp-gajah-mada"))
        assert f"{format_date_id(tomorrow)}: 08.00–12.00 WIB. Hari pemungutan suara" in text
    finally:
        await SpecialDay.delete().where(SpecialDay.id == row.id)


async def test_finder_shows_locations_serving_a_kelurahan(client):
    path = "/cari-tempat?kantor=kota&kecamatan=35.76.01&desa=35.76.01.1007"
    page = soup(await client.get(path))
    names = [a.get_text() for a in page.select(".results .card h3 a")]
    assert "Mal Pelayanan Publik (MPP) Gajah Mada" in names
    assert "Kantor Kelurahan Surodinawan" in names
    assert "Kantor Kelurahan Kauman" not in names
    kab = soup(
        await client.get("/cari-tempat?kantor=kabupaten&kecamatan=35.16.13&desa=35.16.13.2001")
    )
    assert "Kantor Dispendukcapil Kabupaten Mojokerto" in kab.get_text()


async def test_finder_steps_without_javascript(client):
    start = soup(await client.get("/cari-tempat"))
    assert start.select_one("select#kantor") and not start.select_one("select#kecamatan")
    step2 = soup(await client.get("/cari-tempat?kantor=kabupaten"))
    options = [o["value"] for o in step2.select("select#kecamatan option") if o["value"]]
    assert len(options) == 18 and "35.16.09" in options
    step3 = soup(await client.get("/cari-tempat?kantor=kabupaten&kecamatan=35.16.08"))
    villages = [o.get_text() for o in step3.select("select#desa option") if o["value"]]
    assert len(villages) == 19 and "Wonokusumo" in villages
    # A kecamatan of the other office (the office was changed) starts that step again.
    mixed = soup(await client.get("/cari-tempat?kantor=kota&kecamatan=35.16.08&desa=35.16.08.1007"))
    assert not mixed.select_one("select#desa") and not mixed.select_one(".results")


async def test_dlanggu_points_to_the_main_location_instead_of_nothing(client):
    path = "/cari-tempat?kantor=kabupaten&kecamatan=35.16.09&desa=35.16.09.2001"
    page = soup(await client.get(path))
    text = " ".join(page.get_text(" ").split())
    assert "Belum ada tempat layanan yang ditunjuk untuk Kecamatan Dlanggu" in text
    assert page.select_one('.results a[href="/lokasi/kab-dispendukcapil"]') is not None


async def test_finder_lists_sessions_for_the_village(client):
    await add_session("Sesi Surodinawan", serves=("35.76.01.1007",))
    await add_session("Sesi Wates", serves=("35.76.02.1010",))
    await add_session("Sesi seluruh kota", serves=("35.76",))
    path = "/cari-tempat?kantor=kota&kecamatan=35.76.01&desa=35.76.01.1007"
    text = text_of(await client.get(path))
    assert "Sesi Surodinawan" in text and "Sesi seluruh kota" in text
    assert "Sesi Wates" not in text


async def test_finder_fragment_for_htmx(client):
    path = "/cari-tempat?kantor=kota&kecamatan=35.76.01"
    fragment = await client.get(path, headers={"HX-Request": "true"})
    assert "<html" not in fragment.text and 'id="cari"' in fragment.text
    assert 'select id="desa"' in fragment.text.replace("  ", " ")
    village = "/cari-tempat?kantor=kabupaten&kecamatan=35.16.09&desa=35.16.09.2001"
    results = await client.get(village, headers={"HX-Request": "true"})
    assert results.status_code == 200 and "<html" not in results.text
    assert "/lokasi/kab-dispendukcapil" in results.text


async def test_schedule_fragment_for_htmx(client):
    await add_session("Sesi Kota", in_days=2)
    fragment = await client.get("/jadwal?kantor=kota", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert 'id="jadwal-isi"' in fragment.text and "Sesi Kota" in fragment.text


async def test_schedule_lists_upcoming_public_sessions_only(client):
    await add_session("Sesi lalu", in_days=-1)
    await add_session("Sesi batal", cancelled=True)
    await add_session("Sesi internal", public=False)
    await add_session("Sesi hari ini", in_days=0)
    await add_session("Sesi kabupaten", office="kabupaten", serves=("35.16.13",), in_days=5)
    text = text_of(await client.get("/jadwal"))
    assert "Sesi hari ini" in text and "Sesi kabupaten" in text
    for hidden in ("Sesi lalu", "Sesi batal", "Sesi internal"):
        assert hidden not in text
    assert "Diperbarui 20 November 2026, 10.00 WIB" in text


async def test_schedule_filters_by_office_area_and_date(client):
    await add_session("Sesi Kota", in_days=2, serves=("35.76.01.1007",))
    await add_session("Sesi Sooko", office="kabupaten", serves=("35.16.13",), in_days=4)
    await add_session("Sesi Gondang", office="kabupaten", serves=("35.16.02",), in_days=4)
    kab = text_of(await client.get("/jadwal?kantor=kabupaten"))
    assert "Sesi Sooko" in kab and "Sesi Gondang" in kab and "Sesi Kota" not in kab
    sooko = text_of(await client.get("/jadwal?wilayah=35.16.13"))
    assert "Sesi Sooko" in sooko and "Sesi Gondang" not in sooko
    # A kecamatan filter includes sessions for one of its villages.
    prajurit = text_of(await client.get("/jadwal?wilayah=35.76.01"))
    assert "Sesi Kota" in prajurit
    day = (today_local() + timedelta(days=2)).isoformat()
    by_day = text_of(await client.get(f"/jadwal?tanggal={day}"))
    assert "Sesi Kota" in by_day and "Sesi Sooko" not in by_day
    none = text_of(await client.get("/jadwal?kantor=kota&wilayah=35.16.13"))
    assert "Sesi Kota" in none  # an area of the other office is dropped, not an error
    assert (await client.get("/jadwal?tanggal=bukan-tanggal&wilayah=x")).status_code == 200


async def test_session_page_share_link_and_ics(client):
    session = await add_session("Sesi Surodinawan", registration_via_rt=True)
    response = await client.get(f"/jadwal/{session.id}")
    page = soup(response)
    text = " ".join(page.get_text(" ").split())
    assert "Perlu daftar lebih dulu lewat ketua RT/RW Anda." in text
    share = page.select_one('a[href^="https://wa.me/?text="]')["href"]
    message = parse_qs(urlsplit(share).query)["text"][0]
    assert message.endswith(f"{get_settings().base_url}/jadwal/{session.id}")
    assert page.select_one(f'a[href="/jadwal/{session.id}.ics"]') is not None

    ics = await client.get(f"/jadwal/{session.id}.ics")
    assert ics.status_code == 200
    assert ics.headers["content-type"].startswith("text/calendar")
    assert "attachment" in ics.headers["content-disposition"]
    cal = icalendar.Calendar.from_ical(ics.content)
    (event,) = cal.walk("VEVENT")
    assert str(event["summary"]) == "Sesi Surodinawan"
    start = event.decoded("dtstart")
    assert start.date() == session.day and start.hour == 8
    assert str(start.tzinfo) == "Asia/Jakarta"
    assert b"DTSTART;TZID=Asia/Jakarta:" in ics.content
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Asia/Jakarta"]


async def test_past_cancelled_and_private_sessions(client):
    past = await add_session("Sesi lalu", in_days=-2)
    cancelled = await add_session("Sesi batal", cancelled=True)
    private = await add_session("Sesi internal", public=False)
    assert "Jadwal ini sudah lewat" in (await client.get(f"/jadwal/{past.id}")).text
    assert "Jadwal ini dibatalkan" in (await client.get(f"/jadwal/{cancelled.id}")).text
    ics = icalendar.Calendar.from_ical((await client.get(f"/jadwal/{cancelled.id}.ics")).content)
    assert str(ics.walk("VEVENT")[0]["status"]) == "CANCELLED"
    for path in (
        f"/jadwal/{private.id}",
        f"/jadwal/{private.id}.ics",
        "/jadwal/abc",
        "/jadwal/99999",
    ):
        assert (await client.get(path)).status_code == 404, path


async def test_checker_gives_the_three_answers_with_the_offices_rule(client):
    born = today_local().replace(year=today_local().year - 16) - timedelta(days=40)
    base = f"/cek-usia?lahir-hari={born.day}&lahir-bulan={born.month}&lahir-tahun={born.year}"
    kab = await client.get(base + "&kawin=tidak&kantor=kabupaten")
    assert "Anda sudah bisa rekam KTP-el sekarang" in kab.text
    assert kab.headers["cache-control"] == "no-store"
    kota = text_of(await client.get(base + "&kawin=tidak&kantor=kota"))
    assert "Anda bisa rekam mulai" in kota and "16 tahun 8 bulan" in kota
    married = text_of(await client.get(base + "&kawin=ya&kantor=kota"))
    assert "Anda wajib punya KTP-el" in married
    links = soup(await client.get(base + "&kawin=tidak&kantor=kabupaten")).select(".answer a")
    assert "/cari-tempat?kantor=kabupaten" in [a["href"] for a in links]


async def test_checker_errors_keep_input_and_link_to_fields(client):
    page = soup(await client.get("/cek-usia?lahir-hari=31&lahir-bulan=2&lahir-tahun=2009"))
    assert page.title.get_text().startswith("Kesalahan:")
    summary = [(a["href"], a.get_text()) for a in page.select(".error-summary a")]
    assert summary[0] == ("#lahir-hari", "Tanggal lahir harus tanggal yang benar")
    assert ("#kawin-tidak", "Pilih apakah Anda sudah pernah menikah") in summary
    assert page.select_one("#lahir-hari")["value"] == "31"
    assert page.select_one("#lahir-hari")["inputmode"] == "numeric"
    assert page.select_one("#lahir-hari")["aria-invalid"] == "true"
    assert page.select_one("#lahir-error") is not None


async def test_progress_shows_only_aggregates(client):
    await add_residents(
        "35.76.01.1007",
        ["diterima", "dijadwalkan", "dijadwalkan", "sudah_rekam", "duplikat"],
        names="Rahasia Sekali",
    )
    await add_residents("35.76.01.1007", ["diterima", "diterima"], state="draft", names="Draf")
    response = await client.get("/capaian")
    text = text_of(response)
    assert "Rahasia Sekali" not in response.text and "Draf 0" not in response.text
    assert "357601010" not in response.text
    assert "Total: 4 dilaporkan, 2 dijadwalkan, 1 sudah rekam" in text
    assert "Surodinawan: 4 dilaporkan, 2 dijadwalkan, 1 sudah rekam" in text
    assert "Mentikan" not in text  # villages with zero counts stay hidden
    page = soup(response)
    svg = page.select_one("figure.chart svg")
    assert svg["role"] == "img" and svg.select_one("title")
    assert not page.select("[style]")
    assert "Belum ada laporan dari koordinator untuk Kabupaten Mojokerto" in text
    # Published figures keep their source and date.
    assert "Penduduk sudah rekam KTP-el: 870.399 orang (21 Oktober 2024)" in text


async def test_robots_and_privacy(client):
    robots = await client.get("/robots.txt")
    assert robots.headers["content-type"].startswith("text/plain")
    assert "User-agent: *" in robots.text and "Disallow: /petugas" in robots.text
    privacy = text_of(await client.get("/privasi"))
    assert "UU 27/2022" in privacy and "Dispendukcapil Kota Mojokerto" in privacy
    assert "180 hari" in privacy


async def test_no_advert_text_from_the_seed_article_anywhere(client):
    await add_session("Sesi uji")
    for path in PAGES:
        body = (await client.get(path)).text.lower()
        for word in ("crypto", "kripto", "trading", "bitcoin", "robot"):
            assert word not in body, (path, word)

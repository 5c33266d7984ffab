"""Region-code coverage (portal.domain.regions), map links, WhatsApp share links, .ics files
and chart geometry."""

from datetime import UTC, date, datetime, time
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import icalendar

from portal.domain.links import (
    absolute_url,
    geo_uri,
    map_query,
    osm_search_url,
    whatsapp_share_url,
)
from portal.domain.regions import ancestors, covers, is_code, overlaps, serves
from portal.public.chart import Series, bar_chart
from portal.public.ics import CalendarEvent, session_calendar


def test_codes_cover_whole_blocks_only():
    assert ancestors("35.76.01.1007") == ["35.76", "35.76.01", "35.76.01.1007"]
    assert covers("35.76", "35.76.01.1007")
    assert covers("35.16.13", "35.16.13")
    assert not covers("35.16.1", "35.16.13")
    assert not covers("35.16.13.2001", "35.16.13")
    assert serves(["35.16.05", "35.16.08"], "35.16.08.1007")
    assert not serves(["35.16.05", "35.16.08"], "35.16.09.2001")
    assert overlaps("35.16.13.2001", "35.16.13") and overlaps("35.16", "35.16.13")
    assert is_code("35.76.01.1007") and is_code("35.16") and not is_code("35.16.1")


def test_map_links_are_encoded_and_name_the_area():
    query = map_query("Kantor Kecamatan Gondang", None, "Kabupaten Mojokerto")
    assert query == "Kantor Kecamatan Gondang, Kabupaten Mojokerto"
    assert map_query("MPP", "Jl. Gajah Mada No. 100, Kota Mojokerto", "Kota Mojokerto") == (
        "Jl. Gajah Mada No. 100, Kota Mojokerto"
    )
    osm = urlsplit(osm_search_url("Jl. Gajah Mada No. 100, Kota Mojokerto"))
    assert osm.netloc == "www.openstreetmap.org"
    assert parse_qs(osm.query)["query"] == ["Jl. Gajah Mada No. 100, Kota Mojokerto"]
    assert geo_uri("A & B, Kota") == "geo:0,0?q=A%20%26%20B%2C%20Kota"


def test_whatsapp_link_carries_the_absolute_page_address():
    page = absolute_url("https://ktp.example.id/", "/jadwal/7")
    assert page == "https://ktp.example.id/jadwal/7"
    url = whatsapp_share_url(f"Jadwal rekam KTP-el: {page}")
    assert url.startswith("https://wa.me/?text=")
    assert parse_qs(urlsplit(url).query)["text"] == [f"Jadwal rekam KTP-el: {page}"]


def test_ics_round_trips_with_jakarta_times():
    zone = ZoneInfo("Asia/Jakarta")
    event = CalendarEvent(
        uid="sesi-7@ktp.example.id",
        title="Perekaman KTP-el di SMAN 1",
        day=date(2026, 12, 1),
        starts=time(8),
        ends=time(12),
        place="SMAN 1 Kota Mojokerto",
        description="Bawa KK.",
        url="https://ktp.example.id/jadwal/7",
        updated_at=datetime(2026, 11, 20, 3, 0, tzinfo=UTC),
    )
    data = session_calendar(event, zone)
    assert data == session_calendar(event, zone)  # same session, same bytes
    assert b"DTSTART;TZID=Asia/Jakarta:20261201T080000" in data
    cal = icalendar.Calendar.from_ical(data)
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Asia/Jakarta"]
    (vevent,) = cal.walk("VEVENT")
    assert vevent.decoded("dtstart") == datetime(2026, 12, 1, 8, tzinfo=zone)
    assert vevent.decoded("dtend").hour == 12
    assert str(vevent["summary"]) == "Perekaman KTP-el di SMAN 1"
    assert str(vevent["url"]) == "https://ktp.example.id/jadwal/7"


def test_bar_chart_scales_to_the_largest_value():
    series = [Series("a", "A"), Series("b", "B")]
    chart = bar_chart([("Satu", {"a": 10, "b": 5}), ("Dua", {"a": 1000, "b": 0})], series)
    one, two = chart.groups
    assert two.bars[0].width == chart.width - 44
    assert one.bars[0].width == round((chart.width - 44) * 10 / 1000) == 3
    tiny = bar_chart([("x", {"a": 1}), ("y", {"a": 10_000})], series).groups[0].bars[0]
    assert tiny.width == 1  # small but non-zero stays visible
    assert two.bars[1].width == 0
    ys = [bar.y for group in chart.groups for bar in group.bars]
    assert ys == sorted(ys) and len(set(ys)) == len(ys)
    assert chart.height >= ys[-1] + two.bars[-1].height


def test_empty_chart():
    chart = bar_chart([], [Series("a", "A")])
    assert chart.groups == () and chart.height == 0

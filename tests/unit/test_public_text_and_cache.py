"""Plain-text bodies to paragraphs and lists, source links (portal.web.filters), and the
cache's header logic."""

import gzip
from datetime import date

from portal.public.cache import PageCache, accepts_gzip, etag_matches, make_entry
from portal.web.filters import link_parts, number, text_blocks


def test_text_blocks_make_paragraphs_and_lists():
    body = "Anda perlu:\n- ponsel\n- email\n\n1. Unduh\n2. Daftar\nSelesai."
    blocks = [(b.kind, b.items) for b in text_blocks(body)]
    assert blocks == [
        ("p", ("Anda perlu:",)),
        ("ul", ("ponsel", "email")),
        ("ol", ("Unduh", "Daftar")),
        ("p", ("Selesai.",)),
    ]
    assert text_blocks("") == []


def test_link_parts_turn_urls_into_links_without_trailing_punctuation():
    parts = link_parts("TribunJatim, 21 Okt 2024: http://a.id/x?id=7 ; https://b.id/y.")
    assert parts == [
        ("text", "TribunJatim, 21 Okt 2024: "),
        ("url", "http://a.id/x?id=7"),
        ("text", " ; "),
        ("url", "https://b.id/y"),
        ("text", "."),
    ]
    assert link_parts("tanpa tautan") == [("text", "tanpa tautan")]


def test_numbers_use_the_indonesian_thousands_separator():
    assert number(870399) == "870.399" and number(25) == "25"


def test_accept_encoding_parsing():
    assert accepts_gzip(b"gzip, deflate, br")
    assert accepts_gzip(b"br;q=1.0, gzip;q=0.8")
    assert not accepts_gzip(b"gzip;q=0")
    assert not accepts_gzip(b"identity")
    assert not accepts_gzip(b"")


def test_etag_matching_is_weak_and_handles_lists():
    etag = b'W/"abc"'
    assert etag_matches(b'W/"abc"', etag)
    assert etag_matches(b'"abc"', etag)
    assert etag_matches(b'W/"x", W/"abc"', etag)
    assert etag_matches(b"*", etag)
    assert not etag_matches(b'W/"abd"', etag)
    assert not etag_matches(b"", etag)


def test_entry_keeps_gzip_and_stable_etag():
    body = b"<p>" + b"halo " * 400 + b"</p>"
    headers = [(b"content-type", b"text/html"), (b"set-cookie", b"x=1"), (b"vary", b"x")]
    entry = make_entry(
        headers, body, revision=3, day=date(2026, 11, 25), now=0.0, ttl=60, cache_control="c"
    )
    again = make_entry(
        headers, body, revision=4, day=date(2026, 11, 26), now=9.0, ttl=60, cache_control="c"
    )
    assert entry.etag == again.etag and entry.etag.startswith(b'W/"')
    assert gzip.decompress(entry.gzipped) == body and entry.gzipped == again.gzipped
    assert entry.headers == [(b"content-type", b"text/html")]
    assert entry.fresh(3, date(2026, 11, 25), 59.9)
    assert not entry.fresh(4, date(2026, 11, 25), 1)  # content changed
    assert not entry.fresh(3, date(2026, 11, 26), 1)  # a new day in Jakarta
    assert not entry.fresh(3, date(2026, 11, 25), 60)  # too old
    tiny = make_entry([], b"ok", revision=0, day=date(2026, 1, 1), now=0, ttl=1, cache_control="")
    assert tiny.gzipped is None


def test_cache_is_bounded_least_recently_used_first():
    cache = PageCache(max_entries=2)
    entry = make_entry([], b"x", revision=0, day=date(2026, 1, 1), now=0, ttl=1, cache_control="")
    cache.put(("/a", b"", False), entry)
    cache.put(("/b", b"", False), entry)
    cache.get(("/a", b"", False))
    cache.put(("/c", b"", False), entry)
    assert set(cache.entries) == {("/a", b"", False), ("/c", b"", False)}

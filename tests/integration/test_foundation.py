"""The harness itself: migrations, health, headers, errors, fragments, static files."""

from bs4 import BeautifulSoup

from portal.web.assets import manifest
from portal.web.headers import CSP


async def test_migrations_leave_nothing_pending(client):
    from portal.db import pending_migrations

    assert await pending_migrations() == []


async def test_health_and_readiness(client):
    assert (await client.get("/healthz")).status_code == 200
    ready = await client.get("/readyz")
    assert ready.status_code == 200, ready.text


async def test_security_headers_on_pages_errors_and_static(client):
    css = "/static/" + manifest()["portal.css"]
    for path in ("/", "/tidak-ada-halaman-ini", css, "/healthz"):
        response = await client.get(path)
        assert response.headers["content-security-policy"] == CSP, path
        assert "unsafe-inline" not in CSP and "unsafe-eval" not in CSP
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "same-origin"


async def test_not_found_page_is_indonesian_without_trace(client):
    response = await client.get("/tidak-ada-halaman-ini")
    assert response.status_code == 404
    page = BeautifulSoup(response.text, "html.parser")
    assert page.select_one("h1").text == "Halaman tidak ditemukan"
    assert page.html["lang"] == "id"
    assert "Traceback" not in response.text


async def test_full_page_and_fragment_from_the_same_handler(client):
    full = await client.get("/")
    fragment = await client.get("/", headers={"HX-Request": "true"})
    assert "HX-Request" in full.headers["vary"] and "HX-Request" in fragment.headers["vary"]
    assert "<html" in full.text and "<header" in full.text
    assert "<html" not in fragment.text and "<header" not in fragment.text
    assert "<h1>" in fragment.text
    boosted = await client.get("/", headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert "<html" in boosted.text


async def test_static_files_have_versioned_names_and_long_caching(client):
    versioned = manifest()["portal.css"]
    assert versioned != "portal.css"
    response = await client.get("/static/" + versioned)
    assert response.status_code == 200
    assert "max-age=31536000" in response.headers["cache-control"]
    assert response.headers["content-type"].startswith("text/css")
    assert (await client.get("/static/portal.css")).status_code == 404
    htmx = await client.get("/static/vendor/htmx-2.0.11.min.js")
    assert htmx.status_code == 200 and "immutable" in htmx.headers["cache-control"]
    assert "javascript" in htmx.headers["content-type"]  # nosniff: a wrong type is ignored


async def test_responses_are_compressed(client):
    response = await client.get(
        "/static/vendor/htmx-2.0.11.min.js", headers={"Accept-Encoding": "gzip"}
    )
    assert response.headers.get("content-encoding") == "gzip"


async def test_unknown_host_is_refused(client):
    response = await client.get("/", headers={"Host": "evil.example"})
    assert response.status_code == 400


async def test_anonymous_visit_creates_no_session(client):
    response = await client.get("/")
    assert "portal_session" not in response.headers.get("set-cookie", "")
    from portal.tables.accounts import UserSession

    assert await UserSession.count() == 0


async def test_static_files_have_their_media_type_and_no_cookie(client):
    for name, media in (
        ("portal.css", "text/css"),
        ("favicon.svg", "image/svg+xml"),
        ("vendor/htmx-2.0.11.min.js", "text/javascript"),
    ):
        response = await client.get("/static/" + manifest()[name])
        assert response.headers["content-type"].startswith(media), name
        assert "set-cookie" not in response.headers, name


async def test_head_gets_the_headers_of_get_and_no_body(client):
    paths = ["/", "/persyaratan", "/healthz", "/static/" + manifest()["portal.css"], "/tidak-ada"]
    for path in paths:
        got = await client.get(path)
        head = await client.head(path)
        assert head.status_code == got.status_code, path
        assert head.content == b"", path
        for name in ("content-type", "cache-control", "etag", "content-security-policy"):
            assert head.headers.get(name) == got.headers.get(name), (path, name)
    # A conditional HEAD is answered like a conditional GET.
    etag = (await client.get("/")).headers["etag"]
    assert (await client.head("/", headers={"If-None-Match": etag})).status_code == 304
    # Guarded pages behave as for GET: sign in first.
    guarded = await client.head("/koordinator", follow_redirects=False)
    assert guarded.status_code == 303 and guarded.headers["location"].startswith("/masuk")
    # HEAD is still a safe method: nothing that changes data answers it.
    assert (await client.head("/keluar")).status_code == 405

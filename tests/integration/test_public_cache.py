"""The public page cache: hits, revision-based invalidation, conditional requests, signed-in
bypass, the last good copy while the database is down, and content loads that bump the
revision only when they commit."""

from __future__ import annotations

import dataclasses
import gzip

import pytest

from portal.content.load import bump_revision, load_content
from portal.content.seed import Seed, load_seed
from portal.domain import audit
from portal.public.cache import PAGE_CACHE
from portal.tables.accounts import AuditEntry
from portal.tables.content import Requirement, SiteRevision
from tests.integration.public_fixtures import (  # noqa: F401 (autouse fixture)
    add_session,
    add_user,
    fresh_page_cache,
)


async def test_second_request_is_a_hit_with_the_same_etag(client):
    first = await client.get("/persyaratan")
    second = await client.get("/persyaratan")
    assert first.headers["x-portal-cache"] == "miss"
    assert second.headers["x-portal-cache"] == "hit"
    assert first.headers["etag"] == second.headers["etag"]
    assert first.text == second.text
    assert second.headers["cache-control"] == "public, max-age=60"
    assert "HX-Request" in second.headers["vary"]


async def test_query_and_fragment_are_separate_entries(client):
    await client.get("/lokasi")
    filtered = await client.get("/lokasi?kantor=kota")
    fragment = await client.get("/cari-tempat", headers={"HX-Request": "true"})
    full = await client.get("/cari-tempat")
    assert filtered.headers["x-portal-cache"] == "miss"
    assert fragment.headers["x-portal-cache"] == full.headers["x-portal-cache"] == "miss"
    assert "<html" in full.text and "<html" not in fragment.text


async def test_conditional_request_gets_304(client):
    first = await client.get("/jadwal")
    etag = first.headers["etag"]
    again = await client.get("/jadwal", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    other = await client.get("/jadwal", headers={"If-None-Match": 'W/"something-else"'})
    assert other.status_code == 200


async def test_gzip_and_identity_are_the_same_page(client):
    zipped = await client.get("/persyaratan", headers={"Accept-Encoding": "gzip"})
    plain = await client.get("/persyaratan", headers={"Accept-Encoding": "identity"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert "content-encoding" not in plain.headers
    assert zipped.text == plain.text
    assert zipped.headers["etag"] == plain.headers["etag"]
    assert int(zipped.headers["content-length"]) < len(plain.content) // 2
    assert len(gzip.compress(plain.content)) < 14 * 1024  # the 14 KB first-round-trip budget


async def test_bump_revision_invalidates_pages(client):
    before = await client.get("/persyaratan")
    await Requirement.update({Requirement.title: "Biaya perekaman (diubah)"}).where(
        Requirement.slug == "gratis"
    )
    try:
        stale = await client.get("/persyaratan")
        assert stale.headers["x-portal-cache"] == "hit"
        assert "Biaya perekaman (diubah)" not in stale.text
        await bump_revision()
        fresh = await client.get("/persyaratan")
        assert fresh.headers["x-portal-cache"] == "miss"
        assert "Biaya perekaman (diubah)" in fresh.text
        assert fresh.headers["etag"] != before.headers["etag"]
    finally:
        await Requirement.update({Requirement.title: "Biaya"}).where(Requirement.slug == "gratis")
        await bump_revision()


async def test_revision_is_read_at_most_once_per_interval(client):
    PAGE_CACHE.check_interval = 3600
    await client.get("/privasi")
    await bump_revision()
    assert (await client.get("/privasi")).headers["x-portal-cache"] == "hit"
    PAGE_CACHE.checked_at = float("-inf")  # the interval has passed
    assert (await client.get("/privasi")).headers["x-portal-cache"] == "miss"


async def test_time_to_live_expires_open_now_pages(client):
    await client.get("/lokasi")
    PAGE_CACHE.clock = lambda: 10_000_000.0  # far later: more than 60 s
    try:
        assert (await client.get("/lokasi")).headers["x-portal-cache"] == "miss"
    finally:
        import time

        PAGE_CACHE.clock = time.monotonic


async def test_signed_in_visitors_bypass_the_cache(client, login_as):
    await client.get("/")
    user = await add_user()
    await login_as(user)
    response = await client.get("/")
    assert "x-portal-cache" not in response.headers
    assert response.headers["cache-control"] == "no-store"
    assert ">Keluar</button>" in response.text
    client.cookies.clear()
    anonymous = await client.get("/")
    assert ">Keluar</button>" not in anonymous.text and anonymous.headers["x-portal-cache"] == "hit"


async def test_checker_answers_are_not_cached(client):
    blank = await client.get("/cek-usia")
    assert blank.headers["x-portal-cache"] == "miss"
    path = "/cek-usia?lahir-hari=1&lahir-bulan=1&lahir-tahun=2000&kawin=tidak&kantor=kota"
    answer = await client.get(path)
    assert "x-portal-cache" not in answer.headers
    assert answer.headers["cache-control"] == "no-store"
    assert len(PAGE_CACHE.entries) == 1


async def test_last_good_copy_is_served_while_the_database_is_down(client, app):
    session = await add_session("Sesi darurat")
    good = await client.get(f"/jadwal/{session.id}")
    state = app.state.db_state
    state.ready, state.reason = False, "uji: basis data mati"
    try:
        served = await client.get(f"/jadwal/{session.id}")
        assert served.status_code == 200
        assert served.headers["x-portal-cache"] == "stale"
        assert served.text == good.text
        never_seen = await client.get("/privasi")
        assert never_seen.status_code == 503
    finally:
        state.ready, state.reason = True, ""


async def test_stale_copy_is_kept_after_invalidation_for_outages(client, app):
    good = await client.get("/persyaratan")
    await bump_revision()
    state = app.state.db_state
    state.ready = False
    try:
        served = await client.get("/persyaratan")
        assert served.status_code == 200 and served.headers["x-portal-cache"] == "stale"
        assert served.text == good.text
    finally:
        state.ready = True


async def test_error_pages_are_not_cached(client):
    assert (await client.get("/lokasi/tidak-ada")).status_code == 404
    assert not PAGE_CACHE.entries


async def test_database_error_while_checking_the_revision_serves_the_copy(client, app, monkeypatch):
    good = await client.get("/privasi")
    state = app.state.db_state

    async def broken() -> int:
        raise OSError("connection refused")

    monkeypatch.setattr(PAGE_CACHE, "current_revision", broken)
    try:
        served = await client.get("/privasi")
        assert served.status_code == 200 and served.headers["x-portal-cache"] == "stale"
        assert served.text == good.text
        assert state.ready is False  # reported, so the recovery watcher starts
        assert (await client.get("/lokasi")).status_code == 503
    finally:
        monkeypatch.undo()
        if state._task is not None:
            state._task.cancel()
        state.ready, state.reason = True, ""


def _seed_with_new_item() -> Seed:
    seed = load_seed()
    item = dataclasses.replace(seed.requirements[0], slug="uji-tambahan", title="Butir uji")
    return dataclasses.replace(seed, requirements=(*seed.requirements, item))


async def _revision() -> int:
    row = await SiteRevision.select(SiteRevision.revision).first()
    return int(row["revision"])


async def test_a_content_load_and_its_audit_line_commit_together(client, monkeypatch):
    """A load that fails at its audit line stores nothing: no new item, no audit line, and
    no revision bump (cached pages stay valid)."""
    page = await client.get("/persyaratan")
    revision = await _revision()

    async def fail(*args, **kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(audit, "record", fail)
    with pytest.raises(RuntimeError):
        await load_content(_seed_with_new_item())
    monkeypatch.undo()
    assert not await Requirement.exists().where(Requirement.slug == "uji-tambahan")
    assert not await AuditEntry.exists()
    assert await _revision() == revision
    assert (await client.get("/persyaratan")).headers["x-portal-cache"] == "hit"

    try:
        assert (await load_content(_seed_with_new_item()))["requirements"] == 1
        (entry,) = (
            await AuditEntry.select()
            .where(AuditEntry.action == "content.loaded")
            .output(load_json=True)
        )
        assert entry["detail"] == {"requirements": 1}
        assert entry["actor"] is None and entry["actor_name"] == "portal"
        assert await _revision() == revision + 1
        fresh = await client.get("/persyaratan")
        assert "Butir uji" in fresh.text and fresh.headers["etag"] != page.headers["etag"]
        assert await load_content(_seed_with_new_item()) == dict.fromkeys(
            ("offices", "kecamatan", "villages", "locations", "requirements", "figures"), 0
        )
        assert await AuditEntry.count() == 1  # nothing added, nothing recorded
    finally:
        await Requirement.delete().where(Requirement.slug == "uji-tambahan")
        await bump_revision()

"""The coordinator's services called directly: plain values in, domain errors out, the
list page read in SQL, and a change that cannot write its audit line stores nothing."""

import pytest

from portal.coordinator import rows, submit
from portal.coordinator.new_list import ListAlreadyMade, NewListInput, create_list
from portal.coordinator.preview import open_batch
from portal.coordinator.resident_list import get_resident, list_page, open_list
from portal.domain import audit
from portal.domain.errors import Conflict, Invalid, NotFound
from portal.domain.scope import scope_for
from portal.tables.accounts import AuditEntry
from portal.tables.residents import DraftEntry, FormToken, Resident, ResidentEvent, ResidentList
from tests.integration.coordinator.helpers import Browser, make_coordinator, resident_fields


async def _access(user):
    return await scope_for(user)


async def _list_with(browser: Browser, *names: str) -> str:
    url = await browser.new_list()
    for name in names:
        assert (await browser.add(url, **resident_fields(name=name))).status_code == 303
    return url


def _key(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


async def test_another_coordinators_list_and_batch_are_not_found(browser, rt03):
    url = await _list_with(browser, "Ani")
    preview = await browser.post(url + "/tempel", {"rows": "Budi, 1-1-1990"})
    batch_key = _key(preview.headers["location"])
    neighbour = await _access(await make_coordinator("rt04.test", rt="04"))
    with pytest.raises(NotFound):
        await open_list(neighbour, _key(url))
    with pytest.raises(NotFound):
        await open_batch(neighbour, batch_key)
    with pytest.raises(NotFound):
        await open_list(neighbour, "not-a-uuid")
    own = await open_list(await _access(rt03), _key(url))
    with pytest.raises(NotFound):
        await get_resident(own, 999_999)


async def test_state_refusals_are_conflicts(browser, rt03):
    access = await _access(rt03)
    empty = await open_list(access, _key(await browser.new_list()))
    with pytest.raises(Conflict, match="Daftar masih kosong"):
        await submit.submit_list(access, empty, token="tok-empty")
    with pytest.raises(Conflict, match="sudah dikirim yang bisa ditarik"):
        await submit.withdraw_list(access, empty)
    with pytest.raises(Conflict, match="sudah ditarik yang bisa dibuka"):
        await submit.reopen_list(access, empty)
    url = await _list_with(browser, "Ani")
    assert (await browser.post(url + "/kirim", {"submit_token": "tok-sent"})).status_code == 303
    sent = await open_list(access, _key(url))
    with pytest.raises(Conflict, match="sudah dikirim"):
        await rows.add_resident(access, sent, resident_fields(name="Lagi"), token="t")
    with pytest.raises(Conflict, match="tidak bisa dihapus"):
        await submit.delete_list(access, sent)


async def test_new_list_input_is_invalid_or_a_reused_token(rt03, db):
    access = await _access(rt03)
    with pytest.raises(Invalid) as refused:
        await create_list(access, NewListInput(title="x" * 151), token="")
    assert set(refused.value.errors) == {"title", "form"}
    made = await create_list(access, NewListInput(title="Pemula"), token="tok-once")
    again = await create_list(access, NewListInput(title="Pemula"), token="tok-once")
    assert again.id == made.id
    with pytest.raises(ListAlreadyMade) as reused:
        await create_list(access, NewListInput(title="Lansia"), token="tok-once")
    assert isinstance(reused.value, Conflict) and reused.value.made.id == made.id
    assert await ResidentList.count() == 1


async def test_the_list_page_is_filtered_and_paged_in_sql(browser, rt03, monkeypatch):
    url = await browser.new_list()
    rows_text = "\n".join(f"Warga {i:02d}, {1 + i % 28}-01-1990" for i in range(60))
    preview = await browser.post(url + "/tempel", {"rows": rows_text})
    await browser.post(preview.headers["location"] + "/simpan")
    own = await open_list(await _access(rt03), _key(url))
    from portal.piccolo_conf import DB

    engine = type(DB)
    run = engine.run_querystring
    sent: list[str] = []

    async def spying(self, querystring, *args, **kwargs):
        sent.append(str(querystring))
        return await run(self, querystring, *args, **kwargs)

    monkeypatch.setattr(engine, "run_querystring", spying)
    second = await list_page(own, page="2")
    assert [r["full_name"] for r in second.residents] == [
        f"Warga {i:02d}" for i in range(9, -1, -1)
    ]
    assert (second.pager.page, second.pager.pages, second.total) == (2, 2, 60)
    listing = [q for q in sent if '"resident"."full_name"' in q]
    assert listing and all("LIMIT 50" in q and "OFFSET 50" in q for q in listing)
    # The resident being edited is found on its page by counting, not by loading rows.
    oldest = await Resident.select(Resident.id).order_by(Resident.id).first()
    assert (await list_page(own, editing_id=oldest["id"])).pager.page == 2
    await Resident.update({Resident.status: "diterima"}).where(Resident.full_name == "Warga 07")
    picked = await list_page(own, status="diterima")
    assert [r["full_name"] for r in picked.residents] == ["Warga 07"]
    assert picked.pager.total == 1 and picked.total == 60


class _AuditDown(Exception):
    pass


@pytest.fixture
def audit_fails(monkeypatch):
    async def refuse(*args, **kwargs):
        raise _AuditDown()

    monkeypatch.setattr(audit, "record", refuse)


async def test_a_list_whose_audit_line_fails_is_not_created(rt03, db, audit_fails):
    with pytest.raises(_AuditDown):
        await create_list(await _access(rt03), NewListInput(title="Gagal"), token="tok-fail")
    assert await ResidentList.count() == 0
    assert await FormToken.count() == 0
    assert await AuditEntry.count() == 0


async def test_a_resident_whose_audit_line_fails_is_not_added(browser, rt03, monkeypatch):
    url = await browser.new_list()
    own = await open_list(await _access(rt03), _key(url))
    before = await AuditEntry.count()

    async def refuse(*args, **kwargs):
        raise _AuditDown()

    monkeypatch.setattr(audit, "record", refuse)
    with pytest.raises(_AuditDown):
        await rows.add_resident(await _access(rt03), own, resident_fields(), token="tok-row")
    assert await Resident.count() == 0
    assert await FormToken.count().where(FormToken.token == "tok-row") == 0
    assert await AuditEntry.count() == before


async def test_a_submit_whose_audit_line_fails_leaves_the_draft(browser, rt03, monkeypatch):
    url = await _list_with(browser, "Ani", "Budi")
    access = await _access(rt03)
    own = await open_list(access, _key(url))
    before = await AuditEntry.count()

    async def refuse(*args, **kwargs):
        raise _AuditDown()

    monkeypatch.setattr(audit, "record", refuse)
    with pytest.raises(_AuditDown):
        await submit.submit_list(access, own, token="tok-submit")
    lst = await ResidentList.objects().first()
    assert (lst.state, lst.submit_token, lst.submitted_at) == ("draft", None, None)
    assert {r["status"] for r in await Resident.select(Resident.status)} == {"draft"}
    assert await ResidentEvent.count() == 0
    assert await AuditEntry.count() == before
    # The routes answer with the error page and store nothing either.
    response = await browser.post(url + "/kirim", {"submit_token": "tok-submit-2"})
    assert response.status_code == 500
    assert (await ResidentList.objects().first()).state == "draft"


async def test_routes_that_cannot_audit_store_nothing(browser, rt03, monkeypatch):
    url = await browser.new_list()
    before = await AuditEntry.count()

    async def refuse(*args, **kwargs):
        raise _AuditDown()

    monkeypatch.setattr(audit, "record", refuse)
    created = await browser.post("/koordinator/daftar/baru", {"_token": "t", "title": "Baru"})
    added = await browser.add(url, **resident_fields())
    assert (created.status_code, added.status_code) == (500, 500)
    assert await ResidentList.count() == 1 and await Resident.count() == 0
    assert await AuditEntry.count() == before
    assert await DraftEntry.count() == 0

"""The staff services speak plain values: a Scope and typed input in, rows or domain
errors out (portal.domain.errors), whoever calls them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal.clock import today_local
from portal.domain.errors import Conflict, Invalid, NotFound
from portal.staff import content, queue_bulk, resident, session, triage
from portal.staff.queue_bulk import BulkInput
from portal.staff.resident import ActionInput
from portal.staff.scheduling import schedule
from portal.staff.session import SessionInput
from portal.tables.content import Requirement
from tests.integration import staff_fixtures as fx

TODAY = today_local()


@pytest.fixture
async def kota(db):
    return await fx.scope_of(await fx.staff("kota"))


async def waiting(count: int = 1, office: str = "kota", **fields):
    village = fx.KOTA_VILLAGE if office == "kota" else fx.KAB_VILLAGE
    lst = await fx.submitted_list(await fx.coordinator(office, village), village)
    return await fx.residents(lst, count, **fields)


async def test_resident_actions_answer_with_domain_errors(kota):
    (r,) = await waiting()
    (theirs,) = await waiting(office="kabupaten")
    with pytest.raises(NotFound):
        await resident.act(kota, r.id, "hapus-semua", ActionInput(versi=r.version), TODAY)
    with pytest.raises(NotFound):
        await resident.act(kota, theirs.id, "verifikasi", ActionInput(versi=0), TODAY)
    with pytest.raises(Invalid) as missing:
        await resident.act(kota, r.id, "tolak", ActionInput(versi=r.version), TODAY)
    assert missing.value.errors == {"alasan_tolak": "Pilih alasan penolakan"}
    with pytest.raises(Conflict) as stale:
        await resident.act(kota, r.id, "verifikasi", ActionInput(versi=r.version + 5), TODAY)
    assert "baru saja diubah oleh petugas lain" in stale.value.message
    await resident.act(kota, r.id, "verifikasi", ActionInput(versi=r.version), TODAY)
    with pytest.raises(Conflict) as refused:
        await resident.act(kota, r.id, "buka-kembali", ActionInput(versi=r.version + 1), TODAY)
    assert "berstatus Diverifikasi" in refused.value.message
    assert (await fx.fresh(r))["status"] == "diverifikasi"


async def test_a_full_session_is_a_conflict_that_says_what_is_left(kota):
    people = await waiting(3, status="diverifikasi")
    small = await fx.session("kota", capacity=2)
    with pytest.raises(triage.SessionFull) as full:
        await schedule(kota, [(p.id, p.version) for p in people], small.id, TODAY)
    assert isinstance(full.value, Conflict) and full.value.remaining == 2
    with pytest.raises(Invalid) as no_session:
        await schedule(kota, [(people[0].id, people[0].version)], None, TODAY)
    assert set(no_session.value.errors) == {"sesi"}


async def test_bulk_actions_say_what_is_missing(kota):
    with pytest.raises(Invalid) as nobody:
        await queue_bulk.act(kota, BulkInput(aksi="verifikasi"), TODAY)
    assert set(nobody.value.errors) == {"kosong"}
    (r,) = await waiting()
    with pytest.raises(Invalid) as what:
        await queue_bulk.act(kota, BulkInput(aksi="hapus", pilih=[f"{r.id}.{r.version}"]), TODAY)
    assert set(what.value.errors) == {"aksi"}
    confirm = await queue_bulk.act(kota, BulkInput(aksi="verifikasi", cakupan="saringan"), TODAY)
    assert isinstance(confirm, queue_bulk.Confirmation) and confirm.count == 1


async def test_sessions_refuse_bad_input_and_wait_for_their_day(kota):
    with pytest.raises(Invalid) as bad:
        await session.save(kota, SessionInput(title="", day="kemarin", areas=[]))
    assert {"title", "place", "day", "areas"} <= set(bad.value.errors)
    admin = await fx.scope_of(await fx.admin())
    with pytest.raises(Invalid) as which:
        await session.save(admin, SessionInput(title="Sesi", place="Balai", day="2030-01-01"))
    assert set(which.value.errors) == {"kantor"}
    later = await fx.session("kota", day=TODAY + timedelta(days=2))
    with pytest.raises(Invalid):
        await session.attendance(kota, later.id, {}, TODAY)
    theirs = await fx.session("kabupaten", areas=("35.16",))
    with pytest.raises(NotFound):
        await session.detail(kota, theirs.id, TODAY)


async def test_content_outside_the_scope_is_not_found(kota):
    shared = await Requirement.select(Requirement.id).where(Requirement.office.is_null()).first()
    if shared:
        with pytest.raises(NotFound):
            await content.item(kota, content.REQUIREMENT, shared["id"])
    with pytest.raises(Invalid) as bad:
        await content.save(kota, content.FIGURE, content.FigureInput(value="banyak"))
    assert {"label", "value", "as_of", "source"} <= set(bad.value.errors)

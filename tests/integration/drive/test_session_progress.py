"""What a session recorded: residents of coordinator lists marked "sudah rekam" in it plus
people recorded without a list (a count staff enter), against a school's target; on the
session page, in the sessions list, and summed over the school year's school sessions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from portal.clock import today_local
from portal.staff.session_progress import school_year
from portal.tables.accounts import AuditEntry
from portal.tables.kits import SessionPlan
from tests.integration import staff_fixtures as fx
from tests.integration.drive import kit_fixtures as kf
from tests.integration.staff_client import page, post, text


@pytest.fixture
async def officer(client, login_as):
    user = await fx.staff("kota")
    await login_as(user)
    return user


async def school(title: str, day: date, office: str = "kota", **plan):
    s = await fx.session(office, day=day, title=title, kind="sekolah")
    if plan:
        await kf.plan(s, **plan)
    return s


async def recorded_in(s, count: int, status: str = "sudah_rekam"):
    lst = await fx.submitted_list(await fx.coordinator("kota"))
    return await fx.residents(lst, count, status=status, outreach_session=s.id)


def walk_in_path(s) -> str:
    return f"/petugas/jadwal/{s.id}/tanpa-daftar"


async def test_the_session_page_shows_recorded_against_the_target(client, officer):
    today = today_local()
    kit = await kf.kit("kota", "Alat rekam keliling")
    s = await school("SMAN 1 Kota Mojokerto", today, kit_row=kit, target=10, walk_ins=4)
    await recorded_in(s, 3)
    await recorded_in(s, 2, status="dijadwalkan")  # not recorded (yet)
    shown = page(await client.get(f"/petugas/jadwal/{s.id}"))
    facts = text(shown.select_one("dl.session-facts"))
    assert "Target siswa 10" in facts
    assert "direkam 7 dari target 10 (70%)" in facts
    assert "3 dari daftar koordinator, 4 tanpa daftar" in facts
    assert shown.select_one("#walk-in-count")["value"] == "4"

    listing = page(await client.get("/petugas/jadwal"))
    row = next(r for r in listing.select("tbody tr") if "SMAN 1 Kota Mojokerto" in text(r))
    assert text(row.select_one("td[data-label=Direkam]")) == "7 dari target 10"
    assert text(row.select_one("td[data-label='Alat rekam']")) == "Alat rekam keliling"


async def test_the_school_summary_adds_up_this_school_years_school_sessions(client, officer):
    today = today_local()
    start, _ = school_year(today)
    a = await school("Sekolah A", today, target=10, walk_ins=4)
    await recorded_in(a, 3)
    await school("Sekolah B", today + timedelta(days=3), target=20)
    await school("Sekolah tanpa target", today + timedelta(days=4))
    gone = await school("Sekolah batal", today + timedelta(days=5), target=100)
    await post(client, f"/petugas/jadwal/{gone.id}/batal", {})
    await school("Tahun ajaran lalu", start - timedelta(days=1), target=300, walk_ins=50)
    await school("Sekolah Kabupaten", today, office="kabupaten", target=500, walk_ins=80)
    not_school = await fx.session("kota", day=today, title="Kelurahan")
    await kf.plan(not_school, walk_ins=9)

    summary = page(await client.get("/petugas/jadwal")).select_one(".school-summary")
    words = text(summary)
    assert f"tahun ajaran {start.year}/{start.year + 1}" in words
    assert "3 sesi sekolah" in words
    assert "direkam 7 dari target 30 siswa (23%)" in words
    assert "1 sesi sekolah belum diberi target siswa" in words


async def test_walk_ins_are_a_total_set_with_the_version_seen(client, officer):
    s = await school("SMK PGRI Kota Mojokerto", today_local(), target=40)
    first = await post(client, walk_in_path(s), {"count": "12", "version": "1"})
    assert first.status_code == 303
    assert (
        "Jumlah yang direkam tanpa daftar disimpan: 12 orang."
        in (await client.get(first.headers["location"])).text
    )
    plan = await SessionPlan.select().first()
    assert (plan["walk_in_recorded"], plan["version"]) == (12, 2)
    again = await post(client, walk_in_path(s), {"count": "12", "version": "1"})  # sent twice
    assert again.status_code == 303 and "tanpa-daftar-bentrok" in again.headers["location"]
    assert (await SessionPlan.select().first())["walk_in_recorded"] == 12
    entries = (
        await AuditEntry.select()
        .where(AuditEntry.action == "session.walk_ins")
        .output(load_json=True)
    )
    assert [e["detail"] for e in entries] == [{"count": 12, "before": 0}]


async def test_walk_ins_of_a_session_planned_before_kits_existed(client, officer):
    s = await fx.session("kota", day=today_local(), title="Sesi lama")
    ok = await post(client, walk_in_path(s), {"count": "5", "version": "0"})
    assert ok.status_code == 303
    plan = await SessionPlan.select().first()
    assert (plan["session"], plan["kit"], plan["walk_in_recorded"]) == (s.id, None, 5)


async def test_walk_ins_are_refused_before_the_day_or_when_not_a_number(client, officer):
    coming = await school("Sekolah nanti", today_local() + timedelta(days=2))
    early = await post(client, walk_in_path(coming), {"count": "5", "version": "0"})
    assert early.status_code == 422
    assert "bisa dicatat mulai hari sesi" in text(page(early).select_one("#walk-in-count-error"))
    now = await school("Sekolah hari ini", today_local(), target=40)
    shown = page(await client.get(f"/petugas/jadwal/{coming.id}"))
    assert shown.select_one("#walk-in-count") is None  # no form before the day
    bad = await post(client, walk_in_path(now), {"count": "lima", "version": "1"})
    assert bad.status_code == 422
    assert page(bad).select_one("#walk-in-count")["value"] == "lima"  # input kept
    assert "angka 0 sampai 10.000" in text(page(bad).select_one("#walk-in-count-error"))
    assert (await SessionPlan.select().where(SessionPlan.session == now.id).first())[
        "walk_in_recorded"
    ] == 0


async def test_another_offices_session_takes_no_walk_ins(client, officer):
    theirs = await school("Sekolah Kabupaten", today_local(), office="kabupaten", target=9)
    response = await post(client, walk_in_path(theirs), {"count": "5", "version": "1"})
    assert response.status_code == 404
    assert (await SessionPlan.select().first())["walk_in_recorded"] == 0


async def test_walk_ins_are_not_stored_without_their_audit_line(client, officer, monkeypatch):
    s = await school("Sekolah", today_local(), target=40)
    await client.get(f"/petugas/jadwal/{s.id}")  # the CSRF cookie
    from portal.domain import audit

    async def refuse(*args, **kwargs):
        raise RuntimeError("the audit log cannot be written")

    monkeypatch.setattr(audit, "record", refuse)
    response = await post(client, walk_in_path(s), {"count": "5", "version": "1"})
    assert response.status_code == 500
    plan = await SessionPlan.select().first()
    assert (plan["walk_in_recorded"], plan["version"]) == (0, 1)

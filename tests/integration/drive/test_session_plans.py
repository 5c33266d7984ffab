"""Planning sessions with a recording kit and operators: a kit is required once the office
has one, a session that overlaps another on the same kit (or operator) is refused with the
clash named and nothing stored, back-to-back and cancelled sessions do not clash, and an edit
that creates an overlap is refused too."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from portal.tables.accounts import AuditEntry
from portal.tables.kits import SessionOperator, SessionPlan
from portal.tables.outreach import OutreachArea, OutreachSession
from tests.integration import staff_fixtures as fx
from tests.integration.drive import kit_fixtures as kf
from tests.integration.drive.kit_fixtures import DAY, session_form
from tests.integration.staff_client import page, post, text

NEW = "/petugas/jadwal/baru"


@pytest.fixture
async def officer(client, login_as):
    user = await fx.staff("kota")
    await login_as(user)
    return user


async def booked_session(kit, title="Jemput bola SMAN 1 Kota Mojokerto", **fields):
    """A session on ``DAY`` 08:00–12:00 holding ``kit``."""
    place = fields.pop("place", None)
    s = await fx.session("kota", day=fields.pop("day", DAY), title=title, **fields)
    if place:
        await OutreachSession.update({OutreachSession.place: place}).where(
            OutreachSession.id == s.id
        )
    await kf.plan(s, kit)
    return s


def error_of(response, field: str) -> str:
    """The message shown next to ``field`` (without the screen reader's "Kesalahan:")."""
    return text(page(response).select_one(f"#{field}-error")).removeprefix("Kesalahan: ")


async def test_without_kits_the_form_says_so_and_saves_without_one(client, officer):
    shown = await client.get(NEW)
    notice = page(shown).select_one("#kit")
    assert "belum mencatat alat rekam" in text(notice)
    assert notice.select_one("a")["href"] == "/petugas/alat-rekam"
    created = await post(client, NEW, session_form())
    assert created.status_code == 303
    assert await OutreachSession.count() == 1 and await SessionPlan.count() == 0


async def test_a_new_session_needs_a_kit_of_its_own_office(client, officer):
    ours = await kf.kit("kota", "Alat rekam keliling", serial="SN-7")
    theirs = await kf.kit("kabupaten", "Alat rekam Sooko")
    retired = await kf.kit("kota", "Alat rekam lama", active=False)
    shown = await client.get(NEW)
    options = {o.get("value"): text(o) for o in page(shown).select("#kit option")}
    assert options == {"": "Pilih alat rekam", str(ours.id): "Alat rekam keliling (no. seri SN-7)"}

    missing = await post(client, NEW, session_form())
    assert missing.status_code == 422
    assert error_of(missing, "kit") == "Pilih alat rekam yang dipakai sesi ini"
    assert page(missing).select_one("#title")["value"] == "Perekaman di Balai RW 02"
    for other in (theirs, retired):
        refused = await post(client, NEW, session_form(kit=str(other.id)))
        assert refused.status_code == 422
        assert "Pilih alat rekam dari daftar" in error_of(refused, "kit")
    assert await OutreachSession.count() == 0 and await SessionPlan.count() == 0

    created = await post(client, NEW, session_form(kit=str(ours.id)))
    assert created.status_code == 303
    plan = await SessionPlan.select().first()
    assert plan["kit"] == ours.id and plan["target_students"] is None
    [entry] = await AuditEntry.select().where(AuditEntry.action == "session.plan")
    assert entry["object_id"] == str(plan["session"])
    shown = await client.get(created.headers["location"])
    facts = text(page(shown).select_one("dl.session-facts"))
    assert "Alat rekam Alat rekam keliling · no. seri SN-7" in facts


async def test_an_overlap_on_the_same_kit_is_refused_naming_the_clash(client, officer):
    kit = await kf.kit("kota", "Alat rekam keliling")
    await booked_session(kit, place="Aula SMAN 1")
    before = (await OutreachSession.count(), await OutreachArea.count())
    clash = await post(client, NEW, session_form(kit=str(kit.id), starts="11:00", ends="13:00"))
    assert clash.status_code == 422
    message = error_of(clash, "kit")
    day = page(clash).select_one("#kit").find_parent("div")
    assert message in text(day)  # next to the field
    assert "Alat rekam “Alat rekam keliling” sudah dipakai untuk sesi" in message
    assert "“Jemput bola SMAN 1 Kota Mojokerto” (Aula SMAN 1)" in message
    assert "08.00–12.00 WIB" in message
    from portal.rules.dates import format_long_date_id

    assert format_long_date_id(DAY) in message
    assert message in text(page(clash).select_one(".error-summary"))
    assert page(clash).select_one("#starts")["value"] == "11:00"  # input kept
    assert (await OutreachSession.count(), await OutreachArea.count()) == before
    assert await SessionPlan.count() == 1
    assert not await AuditEntry.exists().where(AuditEntry.action == "outreach_session_created")


async def test_back_to_back_another_day_and_another_kit_are_accepted(client, officer):
    kit = await kf.kit("kota", "Alat rekam keliling")
    other = await kf.kit("kota", "Alat rekam MPP")
    await booked_session(kit)
    for changes in (
        {"starts": "12:00", "ends": "14:00"},  # starts when the other ends
        {"starts": "06:00", "ends": "08:00"},  # ends when the other starts
        {"day": (DAY + timedelta(days=1)).isoformat()},
    ):
        ok = await post(client, NEW, session_form(kit=str(kit.id), **changes))
        assert ok.status_code == 303, changes
    same_time = await post(client, NEW, session_form(kit=str(other.id)))
    assert same_time.status_code == 303
    assert await SessionPlan.count() == 5


async def test_a_cancelled_session_frees_its_kit(client, officer):
    kit = await kf.kit("kota", "Alat rekam keliling")
    first = await booked_session(kit)
    assert (await post(client, NEW, session_form(kit=str(kit.id)))).status_code == 422
    cancelled = await post(client, f"/petugas/jadwal/{first.id}/batal", {"alasan": "Hujan"})
    assert cancelled.status_code == 303
    assert (await post(client, NEW, session_form(kit=str(kit.id)))).status_code == 303
    # The cancelled session keeps its kit, for the record.
    assert (await SessionPlan.select().where(SessionPlan.session == first.id).first())[
        "kit"
    ] == kit.id


async def test_an_edit_that_creates_an_overlap_is_refused(client, officer):
    kit = await kf.kit("kota", "Alat rekam keliling")
    other = await kf.kit("kota", "Alat rekam MPP")
    await booked_session(kit, title="Sesi pagi")
    afternoon = await fx.session("kota", day=DAY, title="Sesi siang")
    await kf.plan(afternoon, kit)
    await OutreachSession.update(
        {OutreachSession.starts: time(13), OutreachSession.ends: time(15)}
    ).where(OutreachSession.id == afternoon.id)
    edit = f"/petugas/jadwal/{afternoon.id}/ubah"
    form = page(await client.get(edit))
    assert form.select_one("#kit option[selected]")["value"] == str(kit.id)
    same = session_form(title="Sesi siang", kit=str(kit.id), starts="13:00", ends="15:00")
    assert (await post(client, edit, same)).status_code == 303  # no clash with itself

    earlier = await post(client, edit, {**same, "starts": "11:00"})
    assert earlier.status_code == 422
    assert "untuk sesi “Sesi pagi”" in error_of(earlier, "kit")
    row = await fx.fresh(afternoon)
    assert row["starts"].hour == 13 and row["title"] == "Sesi siang"
    # Moving the kit instead of the hours is checked the same way.
    morning_other = await fx.session("kota", day=DAY, title="Sesi MPP")
    await kf.plan(morning_other, other)
    swap = await post(client, edit, {**same, "starts": "09:00", "kit": str(other.id)})
    assert swap.status_code == 422 and "untuk sesi “Sesi MPP”" in error_of(swap, "kit")
    assert (await SessionPlan.select().where(SessionPlan.session == afternoon.id).first())[
        "kit"
    ] == kit.id


async def test_an_operator_cannot_be_at_two_sessions_at_once(client, officer):
    kit_a = await kf.kit("kota", "Alat rekam keliling")
    kit_b = await kf.kit("kota", "Alat rekam MPP")
    rina = await kf.operator("kota", "Bu Rina")
    agus = await kf.operator("kota", "Pak Agus")
    theirs = await kf.operator("kabupaten", "Pak Operator Kab")
    first = await fx.session("kota", day=DAY, title="Sesi Bu Rina")
    await kf.plan(first, kit_a, operators=[rina])
    shown = page(await client.get(NEW))
    assert {b["value"] for b in shown.select("input[name=operators]")} == {
        str(rina.id),
        str(agus.id),
    }
    busy = await post(
        client, NEW, session_form(kit=str(kit_b.id), operators=[str(agus.id), str(rina.id)])
    )
    assert busy.status_code == 422
    message = error_of(busy, "operators")
    assert message.startswith("Operator “Bu Rina” sudah bertugas untuk sesi “Sesi Bu Rina”")
    foreign = await post(client, NEW, session_form(kit=str(kit_b.id), operators=[str(theirs.id)]))
    assert "Pilih operator dari daftar" in error_of(foreign, "operators")
    assert await OutreachSession.count() == 1

    ok = await post(client, NEW, session_form(kit=str(kit_b.id), operators=[str(agus.id)]))
    assert ok.status_code == 303
    new_id = int(ok.headers["location"].split("/")[-1].split("?")[0])
    operators = await SessionOperator.select(SessionOperator.operator).where(
        SessionOperator.session == new_id
    )
    assert [o["operator"] for o in operators] == [agus.id]
    shown = await client.get(ok.headers["location"])
    assert "Operator Pak Agus" in text(page(shown).select_one("dl.session-facts"))


async def test_a_target_is_for_school_sessions(client, officer):
    kit = await kf.kit("kota", "Alat rekam keliling")
    wrong = await post(client, NEW, session_form(kit=str(kit.id), target_students="150"))
    assert wrong.status_code == 422
    assert "hanya untuk sesi jenis Sekolah" in error_of(wrong, "target_students")
    bad = await post(
        client, NEW, session_form(kind="sekolah", kit=str(kit.id), target_students="banyak")
    )
    assert "Target siswa harus angka 1 sampai 10.000" in error_of(bad, "target_students")
    ok = await post(
        client, NEW, session_form(kind="sekolah", kit=str(kit.id), target_students="1.423")
    )
    assert ok.status_code == 303
    assert (await SessionPlan.select().first())["target_students"] == 1423


async def test_double_tap_on_create_makes_one_session(client, officer):
    kit = await kf.kit("kota", "Alat rekam keliling")
    token = page(await client.get(NEW)).select_one("input[name=_token]")["value"]
    form = session_form(kit=str(kit.id), _token=token)
    first, second = await post(client, NEW, form), await post(client, NEW, form)
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    assert await OutreachSession.count() == 1


async def test_a_session_with_a_kit_is_not_stored_without_its_audit_line(
    client, officer, monkeypatch
):
    kit = await kf.kit("kota", "Alat rekam keliling")
    rina = await kf.operator("kota", "Bu Rina")
    await client.get(NEW)  # the CSRF cookie
    from portal.domain import audit

    async def refuse(*args, **kwargs):
        raise RuntimeError("the audit log cannot be written")

    monkeypatch.setattr(audit, "record", refuse)
    form = session_form(
        kind="sekolah", kit=str(kit.id), operators=[str(rina.id)], target_students="90"
    )
    response = await post(client, NEW, form)
    assert response.status_code == 500
    assert await OutreachSession.count() == 0 and await OutreachArea.count() == 0
    assert await SessionPlan.count() == 0 and await SessionOperator.count() == 0
    assert await AuditEntry.count() == 0


async def test_admin_plans_a_kabupaten_session_with_a_kabupaten_kit(client, login_as):
    await login_as(await fx.admin())
    kota_kit = await kf.kit("kota", "Alat rekam MPP")
    kab_kit = await kf.kit("kabupaten", "Alat rekam Sooko")
    shown = page(await client.get(f"{NEW}?kantor=kabupaten"))
    assert [o["value"] for o in shown.select("#kit option")] == ["", str(kab_kit.id)]
    form = session_form(kantor="kabupaten", areas=["35.16.01"], kit=str(kota_kit.id))
    refused = await post(client, NEW, form)
    assert refused.status_code == 422 and "Pilih alat rekam dari daftar" in refused.text
    made = await post(client, NEW, {**form, "kit": str(kab_kit.id)})
    assert made.status_code == 303
    assert (await SessionPlan.select().first())["kit"] == kab_kit.id

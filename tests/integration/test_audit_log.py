"""The audit log: what is recorded, who reads what, and that nobody can change it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from bs4 import BeautifulSoup

from portal.domain import audit
from portal.domain.actor import Actor
from portal.tables.accounts import AuditEntry
from tests.integration.accounts_fixtures import (
    kabupaten_village,
    make_user,
    post_form,
    sign_in_with_form,
    village,
)


def _rows(html: str) -> list[list[str]]:
    """Per entry: [what, who/when/where]."""
    page = BeautifulSoup(html, "html.parser")
    return [
        [li.select_one(".audit-what").get_text(" ", strip=True), li.select_one(".audit-who").text]
        for li in page.select("#results .audit-entries li")
        if li.select_one(".audit-what")
    ]


async def test_sign_in_events_are_recorded_with_address(client):
    await make_user("rt.catat")
    await sign_in_with_form(client, "rt.catat", "bukan-sandinya-sama-sekali")
    await sign_in_with_form(client, "rt.catat", follow=False)
    await post_form(client, "/keluar")
    entries = await AuditEntry.select().order_by(AuditEntry.id)
    assert [e["action"] for e in entries] == ["login.failed", "login.success", "logout"]
    assert all(e["ip"] == "testclient" for e in entries)
    assert all(e["office"] is not None for e in entries)  # the coordinator's office sees them


async def test_staff_read_only_their_offices_log(client, login_as):
    kota_staff = await make_user("petugas.kota", "staff")
    kab_staff = await make_user("petugas.kab", "staff", office="kabupaten")
    kab_coord = await make_user("rt.kab", office="kabupaten", village_row=await kabupaten_village())
    await audit.record(Actor.of(kota_staff), "account.created", object_type="user", object_id=1)
    await audit.record(
        Actor.of(kab_staff), "account.created", object_type="user", object_id=kab_coord.id
    )
    await login_as(kota_staff)
    response = await client.get("/petugas/audit")
    assert response.status_code == 200
    rows = _rows(response.text)
    assert [r[1].split()[0] for r in rows] == ["petugas.kota"]
    assert rows[0][0].startswith("Akun dibuat")
    assert "petugas.kab" not in response.text
    assert "rt.kab" not in response.text


async def test_admin_reads_everything_and_filters(client, login_as):
    admin = await make_user("admin.satu", "admin")
    kota = await make_user("petugas.kota", "staff")
    kab = await make_user("petugas.kab", "staff", office="kabupaten")
    await audit.record(Actor.of(kota), "account.created", object_type="user", object_id=11)
    await audit.record(Actor.of(kab), "account.deactivated", object_type="user", object_id=12)
    await audit.record(Actor.of(kab), "resident.nik_viewed", object_type="resident", object_id=5)
    old = datetime.now(UTC) - timedelta(days=10)
    await AuditEntry(
        at=old, actor=kota.id, actor_name="petugas.kota", action="logout", office=kota.office
    ).save()
    await login_as(admin)
    everything = await client.get("/admin/audit")
    assert len(_rows(everything.text)) == 4
    page = BeautifulSoup(everything.text, "html.parser")
    offered = {o["value"] for o in page.select("#action option") if o["value"]}
    assert offered == {"account.created", "account.deactivated", "resident.nik_viewed", "logout"}

    async def count(query: str) -> int:
        return len(_rows((await client.get("/admin/audit?" + query)).text))

    assert await count("action=account.deactivated") == 1
    assert await count("user=petugas.kab") == 2
    assert await count("object_type=resident&object_id=5") == 1
    today = datetime.now(UTC).date()
    assert await count(f"from={today - timedelta(days=1)}") == 3
    assert await count(f"to={today - timedelta(days=5)}") == 1
    bad = await client.get("/admin/audit?from=kemarin")
    assert bad.status_code == 400 and "Tanggal tidak valid" in bad.text
    fragment = await client.get("/admin/audit?action=logout", headers={"HX-Request": "true"})
    assert "<html" not in fragment.text and "Keluar" in fragment.text


async def test_entries_name_who_when_what_and_never_a_secret(client, login_as):
    staff = await make_user("petugas.kota", "staff")
    await login_as(staff)
    wates = await client.get("/petugas/koordinator/baru")
    assert wates.status_code == 200
    from tests.integration.test_account_management import _create_coordinator

    response = await _create_coordinator(client)
    token = response.text.split("/aktivasi/")[1].split('"')[0]
    for entry in await AuditEntry.select():
        assert token not in str(entry)
        assert entry["at"] is not None and entry["action"]


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_entry SET action = 'x'", "DELETE FROM audit_entry"]
)
async def test_the_database_refuses_to_change_or_delete_entries(db, statement):
    from portal.piccolo_conf import DB

    await audit.record(None, "login.success", actor_name="someone")
    with pytest.raises(Exception, match="append-only"):
        await DB.run_ddl(statement)
    with pytest.raises(Exception, match="append-only"):
        await AuditEntry.update({AuditEntry.action: "forged"}).where(AuditEntry.id > 0)
    with pytest.raises(Exception, match="append-only"):
        await AuditEntry.delete().where(AuditEntry.id > 0)
    rows = await AuditEntry.select(AuditEntry.action)
    assert rows == [{"action": "login.success"}]


async def test_no_route_can_edit_or_delete_audit_entries(app):
    from tests.integration.test_route_security import endpoints

    for method, path, _ in endpoints(app):
        if "audit" in path:
            assert method == "GET", (method, path)


# ---- a change and its audit line commit together ------------------------------------------


class AuditDown(RuntimeError):
    pass


@pytest.fixture
def audit_fails(monkeypatch):
    """Every audit line fails to be written, as a full disk or a dropped connection
    would make it fail between a change and its entry."""

    async def broken(*args, **kwargs):
        raise AuditDown("audit log unavailable")

    monkeypatch.setattr(audit, "record", broken)


async def _fails(request) -> None:
    """Send ``request``: it must fail (the 500 page, or the error itself where the test
    client passes it on)."""
    try:
        response = await request
    except AuditDown:
        return
    assert response.status_code == 500, response.status_code


async def test_creating_an_account_stores_nothing_when_its_audit_line_fails(
    client, login_as, audit_fails
):
    from portal.tables.accounts import ActivationToken, User

    staff = await make_user("petugas.kota", "staff")
    await login_as(staff)
    wates = await village("35.76.02.1010")
    data = {"full_name": "Pak Budi", "username": "rt07.wates", "title": "ketua_rt"}
    await _fails(post_form(client, "/petugas/koordinator/baru", {**data, "village": str(wates.id)}))
    assert not await User.exists().where(User.username == "rt07.wates")
    assert await ActivationToken.count() == 0
    assert await AuditEntry.count() == 0


async def test_deactivating_or_resetting_stores_nothing_when_the_audit_line_fails(
    client, login_as, audit_fails
):
    from portal.auth.sessions import hash_token, start_session
    from portal.tables.accounts import ActivationToken, UserSession
    from tests.integration.accounts_fixtures import reload

    staff = await make_user("petugas.kota", "staff")
    coordinator = await make_user("rt.tetap")
    phone = await start_session(coordinator)
    await login_as(staff)
    await _fails(post_form(client, f"/petugas/koordinator/{coordinator.id}/nonaktifkan"))
    await _fails(post_form(client, f"/petugas/koordinator/{coordinator.id}/tautan"))
    fresh = await reload(coordinator)
    assert fresh.active and fresh.password_hash == coordinator.password_hash
    assert fresh.auth_version == coordinator.auth_version
    assert await UserSession.exists().where(UserSession.token_hash == hash_token(phone.value))
    assert await ActivationToken.count() == 0
    assert await AuditEntry.count() == 0


async def test_a_role_change_stores_nothing_when_its_audit_line_fails(
    client, login_as, audit_fails
):
    from tests.integration.accounts_fixtures import PASSWORD, reload, submit_form

    await login_as(await make_user("admin.satu", "admin"))
    staff = await make_user("petugas.naik", "staff")
    path = f"/admin/akun/{staff.id}/peran"
    await _fails(submit_form(client, path, path, {"role": "admin", "current_password": PASSWORD}))
    fresh = await reload(staff)
    assert (fresh.role, fresh.office, fresh.auth_version) == (
        "staff",
        staff.office,
        staff.auth_version,
    )
    assert await AuditEntry.count() == 0


async def test_a_password_change_stores_nothing_when_its_audit_line_fails(
    client, login_as, audit_fails
):
    from portal.auth.passwords import verify_password
    from portal.tables.accounts import UserSession
    from tests.integration.accounts_fixtures import PASSWORD, reload

    user = await make_user("rt.ganti")
    await login_as(user)
    new = "jendela-biru-di-atas-sawah"
    data = {"current_password": PASSWORD, "password": new, "password_confirm": new}
    await _fails(post_form(client, "/akun/sandi", data))
    fresh = await reload(user)
    assert await verify_password(fresh.password_hash, PASSWORD)
    assert fresh.auth_version == user.auth_version
    assert await UserSession.count() == 1  # the session it had, no new one
    assert await AuditEntry.count() == 0


async def test_a_sign_in_opens_no_session_when_its_audit_line_fails(client, audit_fails):
    from portal.tables.accounts import LoginAttempt, UserSession

    await make_user("rt.masuk")
    await _fails(sign_in_with_form(client, "rt.masuk", "bukan-sandinya-sama-sekali"))
    await _fails(sign_in_with_form(client, "rt.masuk"))
    assert await UserSession.count() == 0
    # The wrong password's throttle row went with its "login.failed" line.
    assert await LoginAttempt.count().where(LoginAttempt.success.eq(False)) == 0
    assert await AuditEntry.count() == 0


async def test_turning_two_factor_off_or_moving_an_area_stores_nothing_when_audit_fails(
    client, login_as, audit_fails
):
    from tests.integration.accounts_fixtures import PASSWORD, reload, submit_form, totp_now

    coordinator = await make_user("rt.dua.langkah", totp=True, rw="02", rt="03")
    await login_as(coordinator)
    data = {"off_password": PASSWORD, "off_code": totp_now(coordinator)}
    await _fails(post_form(client, "/akun/2fa/matikan", data))
    assert (await reload(coordinator)).totp_enabled

    client.cookies.clear()
    await login_as(await make_user("petugas.kota", "staff"))
    path = f"/petugas/koordinator/{coordinator.id}/wilayah"
    await _fails(submit_form(client, path, path, {"rw": "04", "rt": ""}))
    fresh = await reload(coordinator)
    assert (fresh.scope_rw, fresh.scope_rt, fresh.auth_version) == (
        "02",
        "03",
        coordinator.auth_version,
    )
    assert await AuditEntry.count() == 0

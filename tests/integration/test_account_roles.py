"""Admins change an account's role, office and coordinator scope (/admin/akun/{id}/peran),
and manage other admins: sessions end, the new scope applies at once, the portal never
loses its last admin, a stale form is refused, and only admins get there."""

from __future__ import annotations

import asyncio
import json
import threading

import anyio
from bs4 import BeautifulSoup
from litestar.testing import AsyncTestClient, TestClient

from portal.auth.sessions import cookie_name, hash_token, start_session
from portal.coordinator.new_list import choices
from portal.domain.scope import scope_for
from portal.tables.accounts import ActivationToken, AuditEntry, User, UserSession
from portal.tables.regions import Office
from tests.integration.accounts_fixtures import (
    PASSWORD,
    kabupaten_village,
    make_user,
    post_form,
    reload,
    sign_in_with_form,
    submit_form,
    village,
)

NO_REDIRECT = {"follow_redirects": False}


def role_page(user) -> str:
    return f"/admin/akun/{user.id}/peran"


async def change_role(client, user, changes: dict, **kwargs):
    """The admin's form as the page shows it, with ``changes`` and the admin's password."""
    path = role_page(user)
    data = {"current_password": PASSWORD, **changes}
    return await submit_form(client, path, path, data, **{**NO_REDIRECT, **kwargs})


async def office_id(slug: str) -> int:
    return (await Office.select(Office.id).where(Office.slug == slug).first())["id"]


async def session_alive(token: str) -> bool:
    return await UserSession.exists().where(UserSession.token_hash == hash_token(token))


async def role_changes() -> list[dict]:
    rows = await AuditEntry.select().where(AuditEntry.action == "account.role_changed")
    for row in rows:
        if isinstance(row["detail"], str):
            row["detail"] = json.loads(row["detail"])
    return rows


async def test_a_coordinator_made_staff_is_signed_out_and_must_set_up_two_factor(client, login_as):
    admin = await make_user("admin.satu", "admin")
    coordinator = await make_user("rt.naik", rw="02", rt="03", phone="+6281233334444")
    phone = await start_session(coordinator)
    await login_as(admin)
    detail = await client.get(f"/petugas/koordinator/{coordinator.id}")
    assert f'href="{role_page(coordinator)}"' in detail.text
    form = BeautifulSoup((await client.get(role_page(coordinator))).text, "html.parser")
    for name in ("role", "office", "title", "kecamatan", "village", "rw", "rt"):
        assert form.select_one(f"label[for={name}]"), name  # every field has a label
    assert form.select_one("#current_password")["autocomplete"] == "current-password"

    kota = await office_id("kota")
    response = await change_role(client, coordinator, {"role": "staff", "office": str(kota)})
    assert response.status_code == 303
    assert response.headers["location"] == f"/admin/petugas/{coordinator.id}?pesan=peran-2fa"
    user = await reload(coordinator)
    assert (user.role, user.office, user.title) == ("staff", kota, "")
    assert (user.scope_village, user.scope_kecamatan, user.scope_rw, user.scope_rt) == (
        None,
        None,
        None,
        None,
    )
    assert user.auth_version > coordinator.auth_version
    assert not await session_alive(phone.value)
    shown = await client.get(response.headers["location"])
    assert "wajib memasang aplikasi autentikator" in shown.text
    # Managed with staff now; the coordinator pages no longer know the account.
    assert (await client.get(f"/petugas/koordinator/{coordinator.id}")).status_code == 404
    assert "Rt Naik" in (await client.get("/admin/petugas")).text

    (entry,) = await role_changes()
    assert entry["actor"] == admin.id and entry["object_id"] == str(coordinator.id)
    assert entry["office"] == kota
    detail = entry["detail"]
    assert detail["before"]["role"] == "coordinator" and detail["after"]["role"] == "staff"
    assert detail["before"]["scope_rt"] == "03" and detail["after"]["scope_rt"] is None
    for personal in ("rt.naik", "Rt Naik", "6281233334444"):
        assert personal not in str(detail)

    # Sign-in now insists on an authenticator before any session exists.
    client.cookies.clear()
    again = await sign_in_with_form(client, "rt.naik", follow=False)
    assert again.headers["location"] == "/masuk/pasang-2fa"
    assert await UserSession.count().where(UserSession.user == coordinator.id) == 0


async def test_a_new_area_changes_what_the_coordinator_may_list_at_once(client, login_as, app):
    admin = await make_user("admin.satu", "admin")
    surodinawan = await village()
    coordinator = await make_user("rt.pindah", village_row=surodinawan, rw="02", rt="03")
    trowulan = await kabupaten_village()
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as phone:
        cookie = await start_session(coordinator)
        phone.cookies.set(cookie_name(), cookie.value)
        before = await phone.get("/koordinator/daftar/baru")
        assert surodinawan.name in before.text

        await login_as(admin)
        # Admins are not office-scoped: the village list offers both offices, and the
        # kecamatan picker narrows it through the one shared route.
        form = BeautifulSoup((await client.get(role_page(coordinator))).text, "html.parser")
        offered = {int(o["value"]) for o in form.select("#village option") if o["value"]}
        assert {surodinawan.id, trowulan.id} <= offered
        assert form.select_one("#kecamatan")["data-hx-get"] == "/petugas/koordinator/desa"
        response = await change_role(
            client,
            coordinator,
            {
                "role": "coordinator",
                "title": "ketua_rw",
                "village": str(trowulan.id),
                "rw": "1",
                "rt": "",
            },
        )
        assert response.status_code == 303
        assert response.headers["location"] == f"/petugas/koordinator/{coordinator.id}?pesan=peran"

        assert (await phone.get("/koordinator", **NO_REDIRECT)).status_code == 303  # signed out
        cookie = await start_session(await reload(coordinator))
        phone.cookies.set(cookie_name(), cookie.value)
        after = await phone.get("/koordinator/daftar/baru")
        assert trowulan.name in after.text and surodinawan.name not in after.text

    user = await reload(coordinator)
    assert user.office == await office_id("kabupaten") and user.title == "ketua_rw"
    access = await scope_for(user)
    where = await choices(access)
    assert [v.id for v in where.villages] == [trowulan.id]
    assert (where.rw, where.rt) == ("01", None)
    assert access.area_holds(trowulan.id, rw="01", rt="05")
    assert not access.area_holds(surodinawan.id, rw="02", rt="03")
    # The Kota office no longer manages this coordinator; Kabupaten does.
    kota_staff = await make_user("petugas.kota", "staff")
    kab_staff = await make_user("petugas.kab", "staff", office="kabupaten")
    await login_as(kota_staff)
    assert (await client.get(f"/petugas/koordinator/{coordinator.id}")).status_code == 404
    await login_as(kab_staff)
    assert (await client.get(f"/petugas/koordinator/{coordinator.id}")).status_code == 200


async def test_staff_made_admin_and_back(client, login_as):
    admin = await make_user("admin.satu", "admin")
    staff = await make_user("petugas.naik", "staff")
    await login_as(admin)
    made_admin = await change_role(client, staff, {"role": "admin"})
    assert made_admin.headers["location"] == f"/admin/petugas/{staff.id}?pesan=peran"
    assert ((await reload(staff)).role, (await reload(staff)).office) == ("admin", None)
    listing = BeautifulSoup((await client.get("/admin/petugas")).text, "html.parser")
    row = next(tr for tr in listing.select("#results tbody tr") if "Petugas Naik" in tr.text)
    assert "Admin" in row.text and "Kedua kantor" in row.text

    kab = await office_id("kabupaten")
    back = await change_role(client, staff, {"role": "staff", "office": str(kab)})
    assert back.status_code == 303
    assert ((await reload(staff)).role, (await reload(staff)).office) == ("staff", kab)
    entries = await role_changes()
    assert [e["detail"]["after"]["role"] for e in entries] == ["admin", "staff"]
    # Both entries stay visible to the office the account came from or went to.
    assert [e["office"] for e in entries] == [staff.office, kab]


async def test_nothing_changed_writes_nothing(client, login_as):
    await login_as(await make_user("admin.satu", "admin"))
    staff = await make_user("petugas.tetap", "staff")
    session = await start_session(staff)
    response = await change_role(client, staff, {})
    assert response.headers["location"] == f"/admin/petugas/{staff.id}?pesan=tetap"
    assert (await reload(staff)).auth_version == staff.auth_version
    assert await session_alive(session.value)
    assert await role_changes() == []


async def test_errors_are_shown_next_to_the_fields_and_the_input_is_kept(client, login_as):
    await login_as(await make_user("admin.satu", "admin"))
    staff = await make_user("petugas.salah", "staff")
    response = await change_role(
        client,
        staff,
        {
            "role": "coordinator",
            "title": "",
            "village": "",
            "rw": "",
            "rt": "7",
            "current_password": "bukan-kata-sandi-saya",
        },
    )
    assert response.status_code == 400
    page = BeautifulSoup(response.text, "html.parser")
    for field in ("title", "village", "rw", "current_password"):
        assert page.select_one(f"#{field}-error"), field
        assert field in page.select_one(f"#{field}")["aria-describedby"]
    assert page.select_one("#rt")["value"] == "7"
    assert page.select_one("#role option[selected]")["value"] == "coordinator"
    assert not page.select_one("#current_password").get("value")  # never echoed
    assert (await reload(staff)).role == "staff"
    # A right password with a missing office is still refused, field by field.
    response = await change_role(client, staff, {"role": "staff", "office": ""})
    assert response.status_code == 400 and "Pilih kantor petugas" in response.text


async def test_a_form_read_before_another_change_gets_409_and_the_current_data(client, login_as):
    await login_as(await make_user("admin.satu", "admin"))
    staff = await make_user("petugas.rebutan", "staff")
    stale = BeautifulSoup((await client.get(role_page(staff))).text, "html.parser")
    version = stale.select_one("input[name=versi]")["value"]
    kab = await office_id("kabupaten")
    # Meanwhile another admin moves the officer to Kabupaten.
    await User.update({User.office: kab, User.auth_version: User.auth_version + 1}).where(
        User.id == staff.id
    )
    response = await post_form(
        client,
        role_page(staff),
        {"versi": version, "role": "admin", "current_password": PASSWORD},
        **NO_REDIRECT,
    )
    assert response.status_code == 409
    page = BeautifulSoup(response.text, "html.parser")
    assert "baru saja diubah" in page.select_one(".notice.error").text
    assert page.select_one("#office option[selected]")["value"] == str(kab)
    assert page.select_one("input[name=versi]")["value"] != version
    assert (await reload(staff)).role == "staff"
    assert await role_changes() == []


async def test_an_admin_cannot_change_their_own_role_or_status(client, login_as):
    admin = await make_user("admin.sendiri", "admin")
    await make_user("admin.lain", "admin")
    await login_as(admin)
    form = await client.get(role_page(admin))
    assert form.status_code == 403 and "akun Anda sendiri" in form.text
    assert "current_password" not in form.text
    posted = await post_form(
        client,
        role_page(admin),
        {"role": "staff", "office": str(await office_id("kota")), "current_password": PASSWORD},
    )
    assert posted.status_code == 403
    detail = await client.get(f"/admin/petugas/{admin.id}")
    assert detail.status_code == 200 and "/nonaktifkan" not in detail.text
    assert "/tautan" not in detail.text and role_page(admin) not in detail.text
    for action in ("tautan", "nonaktifkan"):
        response = await post_form(
            client,
            f"/admin/petugas/{admin.id}/{action}",
            {f"current_password_{action}": PASSWORD},
        )
        assert response.status_code == 404, action
    fresh = await reload(admin)
    assert (fresh.role, fresh.active, bool(fresh.password_hash)) == ("admin", True, True)


async def test_the_last_admin_keeps_the_role_even_when_the_others_leave_meanwhile(
    client, login_as, monkeypatch
):
    """Admin A demotes admin B while A's own access is taken away by someone else: the
    check inside the transaction sees no other admin left and refuses."""
    a = await make_user("admin.a", "admin")
    b = await make_user("admin.b", "admin")
    await login_as(a)
    from portal.accounts import passwords

    real = passwords.check_current_password

    async def meanwhile_a_is_deactivated(actor, password, field="current_password"):
        errors = await real(actor, password, field)
        await User.update({User.active: False}).where(User.id == a.id)
        return errors

    monkeypatch.setattr(passwords, "check_current_password", meanwhile_a_is_deactivated)
    response = await change_role(
        client, b, {"role": "staff", "office": str(await office_id("kota"))}
    )
    assert response.status_code == 409 and "admin aktif terakhir" in response.text
    assert (await reload(b)).role == "admin"
    assert await role_changes() == []

    # The same for deactivating B.
    await User.update({User.active: True}).where(User.id == a.id)
    response = await post_form(
        client,
        f"/admin/petugas/{b.id}/nonaktifkan",
        {"current_password_nonaktifkan": PASSWORD},
    )
    assert response.status_code == 409 and "admin aktif terakhir" in response.text
    assert (await reload(b)).active


async def test_two_admins_demoting_each_other_at_once_leave_one_admin(client, app, monkeypatch):
    """Both requests are signed in and past the password check before either writes, so
    the transactions really overlap (row locks on PostgreSQL, IMMEDIATE on SQLite). The
    async test client runs one request at a time; two threads with a client each do not."""
    a = await make_user("admin.a", "admin")
    b = await make_user("admin.b", "admin")
    kota = str(await office_id("kota"))
    sessions = {user.id: (await start_session(user)).value for user in (a, b)}
    from portal.accounts import passwords

    real = passwords.check_current_password
    both_checked = threading.Barrier(2, timeout=20)

    async def then_wait_for_the_other(actor, password, field="current_password"):
        errors = await real(actor, password, field)
        await anyio.to_thread.run_sync(both_checked.wait)
        return errors

    monkeypatch.setattr(passwords, "check_current_password", then_wait_for_the_other)

    def demote(actor, target) -> int:
        # Not entered as a context manager: no second lifespan of the shared app, and
        # each request gets its own event loop thread.
        browser = TestClient(app=app, base_url="http://testserver.local")
        browser.cookies.set(cookie_name(), sessions[actor.id])
        page = BeautifulSoup(browser.get(role_page(target)).text, "html.parser")
        form = page.find("form", action=role_page(target))
        data = {f["name"]: f.get("value", "") for f in form.select("input[type=hidden]")}
        data.update(role="staff", office=kota, current_password=PASSWORD)
        return browser.post(role_page(target), data=data, **NO_REDIRECT).status_code

    statuses = await asyncio.gather(
        asyncio.to_thread(demote, a, b), asyncio.to_thread(demote, b, a)
    )
    assert sorted(statuses) == [303, 409]
    assert await User.count().where((User.role == "admin") & User.active.eq(True)) == 1
    assert len(await role_changes()) == 1


async def test_another_admin_is_reset_or_deactivated_only_with_the_actors_password(
    client, login_as
):
    admin = await make_user("admin.satu", "admin")
    other = await make_user("admin.dua", "admin")
    await login_as(admin)
    detail = BeautifulSoup((await client.get(f"/admin/petugas/{other.id}")).text, "html.parser")
    assert detail.select_one("#current_password_tautan") is not None
    assert detail.select_one("#current_password_nonaktifkan") is not None

    refused = await post_form(client, f"/admin/petugas/{other.id}/tautan")
    assert refused.status_code == 400
    assert BeautifulSoup(refused.text, "html.parser").select_one("#current_password_tautan-error")
    assert await ActivationToken.count() == 0 and (await reload(other)).password_hash
    wrong = await post_form(
        client, f"/admin/petugas/{other.id}/nonaktifkan", {"current_password_nonaktifkan": "x"}
    )
    assert wrong.status_code == 400 and (await reload(other)).active

    reset = await post_form(
        client, f"/admin/petugas/{other.id}/tautan", {"current_password_tautan": PASSWORD}
    )
    assert reset.status_code == 200 and "/aktivasi/" in reset.text
    assert (await reload(other)).password_hash is None
    gone = await post_form(
        client,
        f"/admin/petugas/{other.id}/nonaktifkan",
        {"current_password_nonaktifkan": PASSWORD},
        **NO_REDIRECT,
    )
    assert gone.status_code == 303 and not (await reload(other)).active
    # Staff accounts need no password: nothing changes for the everyday work.
    staff = await make_user("petugas.biasa", "staff")
    plain = await post_form(client, f"/admin/petugas/{staff.id}/nonaktifkan", **NO_REDIRECT)
    assert plain.status_code == 303


async def test_only_admins_reach_the_role_page(client, login_as):
    target = await make_user("rt.target")
    staff = await make_user("petugas.kota", "staff")
    for actor in (staff, await make_user("rt.lain")):
        client.cookies.clear()
        await login_as(actor)
        assert (await client.get(role_page(target))).status_code == 403
        posted = await post_form(
            client,
            role_page(target),
            {"role": "admin", "current_password": PASSWORD},
        )
        assert posted.status_code == 403
        assert "Ubah peran" not in (await client.get(f"/petugas/koordinator/{target.id}")).text
    assert (await reload(target)).role == "coordinator"
    # Without the CSRF field, even an admin's post is refused.
    client.cookies.clear()
    await login_as(await make_user("admin.satu", "admin"))
    await client.get(role_page(target))
    no_token = await client.post(
        role_page(target), data={"role": "admin", "current_password": PASSWORD}
    )
    assert no_token.status_code == 403
    assert (await reload(target)).role == "coordinator" and await role_changes() == []


async def test_the_role_service_refuses_ones_own_account_and_non_admins(db):
    import pytest

    from portal.accounts import roles
    from portal.accounts.account_fields import AccountInput
    from portal.domain.errors import Forbidden

    admin = await make_user("admin.sendiri", "admin")
    staff = await make_user("petugas.kota", "staff")
    own = await scope_for(admin)
    with pytest.raises(Forbidden):
        await roles.change_role(own, admin.id, AccountInput(role="staff"), PASSWORD)
    with pytest.raises(Forbidden):
        await roles.role_account(await scope_for(staff), admin.id)
    assert (await reload(admin)).role == "admin" and await role_changes() == []

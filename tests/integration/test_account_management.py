"""Staff manage coordinators, admin manages staff: creation, activation links, reset,
scope change, deactivation, and that nobody reaches accounts outside their office."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from bs4 import BeautifulSoup

from portal.auth.sessions import cookie_name
from portal.tables.accounts import ActivationToken, AuditEntry, User, UserSession
from portal.tables.residents import ResidentList
from tests.integration.accounts_fixtures import (
    PASSWORD,
    activation_link,
    kabupaten_village,
    make_user,
    post_form,
    reload,
    sign_in_with_form,
    signed_in,
    submit_form,
    village,
)

NO_REDIRECT = {"follow_redirects": False}
NEW_PASSWORD = "payung-hijau-kereta-malam"


async def _create_coordinator(client, username="rt07.wates", **overrides):
    wates = await village("35.76.02.1010")
    data = {
        "full_name": "Pak Budi",
        "username": username,
        "phone": "",
        "title": "ketua_rt",
        "village": str(wates.id),
        "rw": "3",
        "rt": "7",
        **overrides,
    }
    return await post_form(client, "/petugas/koordinator/baru", data)


async def test_staff_create_a_coordinator_and_get_a_one_time_link(client, login_as):
    staff = await make_user("petugas.kota", "staff")
    await login_as(staff)
    form = await client.get("/petugas/koordinator/baru")
    assert form.status_code == 200
    page = BeautifulSoup(form.text, "html.parser")
    groups = [g["label"] for g in page.select("#village optgroup")]
    assert groups and all("Kecamatan" in g for g in groups)
    assert "Trowulan" not in form.text  # a Kabupaten village is not offered to Kota staff

    response = await _create_coordinator(client, phone="0812 1111 2222")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    link = activation_link(response.text)
    whatsapp = BeautifulSoup(response.text, "html.parser").find("a", string="Kirim lewat WhatsApp")
    assert whatsapp["href"].startswith("https://wa.me/?text=")
    assert link.split("/")[-1] in whatsapp["href"]
    user = await User.objects().where(User.username == "rt07.wates").first()
    assert user.role == "coordinator" and user.password_hash is None
    assert (user.scope_rw, user.scope_rt, user.phone) == ("03", "07", "+6281211112222")
    assert user.office == staff.office and user.created_by == staff.id
    token = link.split("/")[-1]
    stored = await ActivationToken.objects().where(ActivationToken.user == user.id).first()
    assert stored.token_hash != token and len(stored.token_hash) == 64
    assert timedelta(hours=71) < stored.expires_at - stored.created_at <= timedelta(hours=72)
    created = await AuditEntry.objects().where(AuditEntry.action == "account.created").first()
    assert created.actor == staff.id and created.office == staff.office
    assert token not in str(created.detail)


async def test_form_errors_keep_the_input_and_store_nothing(client, login_as):
    await login_as(await make_user("petugas.kota", "staff"))
    await make_user("rt.sudah.ada")
    response = await _create_coordinator(
        client, username="rt.sudah.ada", rt="5", rw="", village="", title="raja"
    )
    assert response.status_code == 400
    page = BeautifulSoup(response.text, "html.parser")
    summary = page.select_one(".error-summary").text
    for expected in ("sudah dipakai", "kelurahan/desa", "RW", "jabatan"):
        assert expected in summary, expected
    assert page.select_one("#full_name")["value"] == "Pak Budi"
    assert await User.count().where(User.role == "coordinator") == 1


async def test_staff_cannot_scope_a_coordinator_to_another_office(client, login_as):
    await login_as(await make_user("petugas.kota", "staff"))
    trowulan = await kabupaten_village()
    response = await _create_coordinator(client, village=str(trowulan.id))
    assert response.status_code == 400
    assert not await User.exists().where(User.username == "rt07.wates")


async def test_activation_link_sets_a_password_once(client, login_as):
    await login_as(await make_user("petugas.kota", "staff"))
    link = activation_link((await _create_coordinator(client)).text)
    client.cookies.clear()  # the coordinator's own phone

    form = await client.get(link)
    assert form.status_code == 200 and form.headers["cache-control"] == "no-store"
    page = BeautifulSoup(form.text, "html.parser")
    assert page.select_one("#password")["autocomplete"] == "new-password"
    assert page.select_one("#password_confirm")["autocomplete"] == "new-password"
    assert page.select_one("input[autocomplete=username]")["value"] == "rt07.wates"

    weak = await post_form(client, link, {"password": "wates12345678", "password_confirm": "x"})
    assert weak.status_code == 400 and "wates" in weak.text.lower()
    mismatch = await post_form(
        client, link, {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD + "x"}
    )
    assert mismatch.status_code == 400 and "tidak sama" in mismatch.text

    done = await post_form(
        client, link, {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}, **NO_REDIRECT
    )
    assert done.status_code == 303 and done.headers["location"] == "/koordinator"
    user = await User.objects().where(User.username == "rt07.wates").first()
    assert user.password_hash and user.password_hash.startswith("$argon2id$")
    assert await UserSession.count().where(UserSession.user == user.id) == 1

    reuse = await client.get(link)
    assert reuse.status_code == 410 and "sudah dipakai" in reuse.text
    again = await post_form(client, link, {"password": "x" * 20, "password_confirm": "x" * 20})
    assert again.status_code == 410
    assert "account.activated" in {r["action"] for r in await AuditEntry.select(AuditEntry.action)}


async def test_expired_and_unknown_links_are_refused(client, login_as):
    await login_as(await make_user("petugas.kota", "staff"))
    link = activation_link((await _create_coordinator(client)).text)
    await ActivationToken.update(
        {ActivationToken.expires_at: datetime.now(UTC) - timedelta(minutes=1)}
    ).where(ActivationToken.used_at.is_null())
    client.cookies.clear()
    assert (await client.get(link)).status_code == 410
    posted = await post_form(
        client, link, {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}
    )
    assert posted.status_code == 410
    assert (await client.get("/aktivasi/" + "x" * 43)).status_code == 404
    user = await User.objects().where(User.username == "rt07.wates").first()
    assert user.password_hash is None


async def test_reset_invalidates_old_links_password_and_sessions(client, login_as):
    staff = await make_user("petugas.kota", "staff")
    coordinator = await make_user("rt.lupa", village_row=await village())
    first_link = None
    await login_as(staff)
    reissued = await post_form(client, f"/petugas/koordinator/{coordinator.id}/tautan")
    assert reissued.status_code == 200
    first_link = activation_link(reissued.text)
    second = await post_form(client, f"/petugas/koordinator/{coordinator.id}/tautan")
    second_link = activation_link(second.text)
    assert first_link != second_link
    assert (await reload(coordinator)).password_hash is None

    from portal.auth.sessions import start_session

    phone = await start_session(await reload(coordinator))
    client.cookies.clear()
    assert (await client.get(first_link)).status_code == 410  # replaced by the newer link
    assert signed_in(await sign_in_with_form(client, "rt.lupa", follow=False)) is False
    done = await post_form(
        client,
        second_link,
        {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD},
        **NO_REDIRECT,
    )
    assert done.status_code == 303
    # The session of the "other phone", created before the password was set, is over.
    from portal.auth.sessions import hash_token

    assert not await UserSession.exists().where(UserSession.token_hash == hash_token(phone.value))
    actions = [r["action"] for r in await AuditEntry.select(AuditEntry.action)]
    assert "account.reset" in actions and "account.password_reset" in actions


async def test_staff_reset_makes_staff_set_up_two_factor_again(client, login_as):
    admin = await make_user("admin.satu", "admin")
    staff = await make_user("petugas.lupa", "staff")
    await login_as(admin)
    link = activation_link((await post_form(client, f"/admin/petugas/{staff.id}/tautan")).text)
    client.cookies.clear()
    done = await post_form(
        client, link, {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}, **NO_REDIRECT
    )
    assert done.headers["location"] == "/masuk/pasang-2fa"
    assert await UserSession.count().where(UserSession.user == staff.id) == 0
    assert not (await reload(staff)).totp_enabled


async def test_deactivation_ends_a_live_session_at_once(client, login_as, app):
    from litestar.testing import AsyncTestClient

    staff = await make_user("petugas.kota", "staff")
    coordinator = await make_user("rt.berhenti")
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as phone:
        from portal.auth.sessions import start_session

        cookie = await start_session(coordinator)
        phone.cookies.set(cookie_name(), cookie.value)
        assert (await phone.get("/akun", **NO_REDIRECT)).status_code == 200

        await login_as(staff)
        response = await post_form(
            client, f"/petugas/koordinator/{coordinator.id}/nonaktifkan", **NO_REDIRECT
        )
        assert response.status_code == 303
        assert (await phone.get("/akun", **NO_REDIRECT)).status_code == 303
    assert await UserSession.count().where(UserSession.user == coordinator.id) == 0
    assert not (await reload(coordinator)).active
    client.cookies.clear()
    assert not signed_in(await sign_in_with_form(client, "rt.berhenti", follow=False))
    # Reactivation lets them back in with their password.
    await login_as(staff)
    await post_form(client, f"/petugas/koordinator/{coordinator.id}/aktifkan")
    client.cookies.clear()
    assert signed_in(await sign_in_with_form(client, "rt.berhenti", follow=False))


async def test_scope_change_ends_the_coordinators_sessions(client, login_as):
    staff = await make_user("petugas.kota", "staff")
    coordinator = await make_user("rt.pindah", rw="02", rt="03")
    from portal.auth.sessions import start_session

    old = await start_session(coordinator)
    await login_as(staff)
    path = f"/petugas/koordinator/{coordinator.id}/wilayah"
    wates = await village("35.76.02.1010")
    response = await submit_form(
        client,
        path,
        path,
        {"title": "ketua_rw", "village": str(wates.id), "rw": "04", "rt": ""},
        **NO_REDIRECT,
    )
    assert response.status_code == 303
    user = await reload(coordinator)
    assert (user.scope_village, user.scope_rw, user.scope_rt, user.title) == (
        wates.id,
        "04",
        None,
        "ketua_rw",
    )
    assert user.auth_version == coordinator.auth_version + 1
    from portal.auth.sessions import hash_token

    assert not await UserSession.exists().where(UserSession.token_hash == hash_token(old.value))
    entry = await AuditEntry.objects().where(AuditEntry.action == "account.scope_changed").first()
    assert entry is not None and entry.object_id == str(coordinator.id)


async def test_a_scope_form_read_before_another_change_gets_409_and_the_current_area(
    client, login_as
):
    staff = await make_user("petugas.kota", "staff")
    coordinator = await make_user("rt.rebutan", rw="02", rt="03")
    await login_as(staff)
    path = f"/petugas/koordinator/{coordinator.id}/wilayah"
    stale = BeautifulSoup((await client.get(path)).text, "html.parser")
    version = stale.select_one("input[name=versi]")["value"]
    # Meanwhile a colleague makes the coordinator Ketua RW of RW 05.
    await User.update(
        {User.scope_rw: "05", User.scope_rt: None, User.auth_version: User.auth_version + 1}
    ).where(User.id == coordinator.id)
    surodinawan = await village()
    response = await post_form(
        client,
        path,
        {"versi": version, "title": "ketua_rt", "village": str(surodinawan.id), "rw": "2"},
    )
    assert response.status_code == 409
    page = BeautifulSoup(response.text, "html.parser")
    assert "baru saja diubah" in page.select_one(".notice.error").text
    assert page.select_one("#rw")["value"] == "05"
    assert ((await reload(coordinator)).scope_rw, (await reload(coordinator)).scope_rt) == (
        "05",
        None,
    )
    assert not await AuditEntry.exists().where(AuditEntry.action == "account.scope_changed")


async def test_listing_shows_coordinators_of_the_office_with_their_list_counts(client, login_as):
    staff = await make_user("petugas.kota", "staff")
    mine = await make_user("rt.punya.daftar")
    await make_user("rt.kosong")
    await make_user("rt.kabupaten", office="kabupaten", village_row=await kabupaten_village())
    surodinawan = await village()
    for _ in range(2):
        await ResidentList(
            public_id=uuid.uuid4(),
            coordinator=mine.id,
            office=staff.office,
            village=surodinawan.id,
            created_at=datetime.now(UTC),
            updated_at=datetime.now(UTC),
        ).save()
    await login_as(staff)
    response = await client.get("/petugas/koordinator")
    assert response.status_code == 200
    rows = {
        tr.select_one("td a").text: tr.select("td")[2].text.strip()
        for tr in BeautifulSoup(response.text, "html.parser").select("#results tbody tr")
    }
    assert rows == {"Rt Punya Daftar": "2", "Rt Kosong": "0"}
    by_village = await client.get(f"/petugas/koordinator?village={surodinawan.id}&status=aktif")
    assert "Rt Punya Daftar" in by_village.text
    fragment = await client.get("/petugas/koordinator?q=kosong", headers={"HX-Request": "true"})
    assert "<html" not in fragment.text and "Rt Kosong" in fragment.text
    assert "Rt Punya Daftar" not in fragment.text


async def test_accounts_of_another_office_do_not_exist_for_staff(client, login_as):
    staff = await make_user("petugas.kota", "staff")
    other = await make_user("rt.jauh", office="kabupaten", village_row=await kabupaten_village())
    await login_as(staff)
    base = f"/petugas/koordinator/{other.id}"
    assert (await client.get(base)).status_code == 404
    assert (await client.get(base + "/wilayah")).status_code == 404
    for action in ("tautan", "nonaktifkan", "aktifkan", "wilayah"):
        response = await post_form(client, f"{base}/{action}", {"village": "1", "title": "x"})
        assert response.status_code == 404, action
    # An id that exists and one that does not answer the same.
    assert (await client.get("/petugas/koordinator/999999")).status_code == 404
    assert (await reload(other)).active and (await reload(other)).password_hash
    assert await ActivationToken.count() == 0
    # Staff accounts are not coordinators: not reachable through this page either.
    colleague = await make_user("petugas.lain", "staff")
    assert (await client.get(f"/petugas/koordinator/{colleague.id}")).status_code == 404


async def test_coordinators_cannot_reach_staff_or_admin_pages(client, login_as):
    coordinator = await make_user("rt.penasaran")
    victim = await make_user("rt.korban")
    await login_as(coordinator)
    for path in (
        "/petugas/koordinator",
        f"/petugas/koordinator/{victim.id}",
        "/petugas/audit",
        "/admin",
        "/admin/petugas",
        "/admin/audit",
    ):
        response = await client.get(path)
        assert response.status_code == 403, path
        assert "rt.korban" not in response.text
    posted = await post_form(client, f"/petugas/koordinator/{victim.id}/nonaktifkan")
    assert posted.status_code == 403
    assert (await reload(victim)).active


async def test_staff_cannot_manage_staff(client, login_as):
    await login_as(await make_user("petugas.kota", "staff"))
    colleague = await make_user("petugas.teman", "staff")
    assert (await client.get("/admin/petugas")).status_code == 403
    assert (
        await post_form(client, f"/admin/petugas/{colleague.id}/nonaktifkan")
    ).status_code == 403
    assert (await reload(colleague)).active


async def test_admin_creates_staff_who_must_enrol_at_first_login(client, login_as):
    admin = await make_user("admin.satu", "admin")
    await login_as(admin)
    home = await client.get("/admin")
    assert home.status_code == 200 and "/admin/petugas" in home.text
    form = await client.get("/admin/petugas/baru")
    kota = BeautifulSoup(form.text, "html.parser").select("#office option")[1]["value"]
    response = await post_form(
        client,
        "/admin/petugas/baru",
        {"full_name": "Bu Rina", "username": "petugas.rina", "office": kota},
    )
    assert response.status_code == 200
    link = activation_link(response.text)
    listing = await client.get("/admin/petugas")
    assert "Bu Rina" in listing.text and "Menunggu aktivasi" in listing.text
    client.cookies.clear()
    done = await post_form(
        client, link, {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}, **NO_REDIRECT
    )
    assert done.headers["location"] == "/masuk/pasang-2fa"
    assert await UserSession.count().where(UserSession.user != admin.id) == 0
    # And signing in with the password later also insists on the authenticator first.
    client.cookies.clear()
    again = await sign_in_with_form(client, "petugas.rina", NEW_PASSWORD, follow=False)
    assert again.headers["location"] == "/masuk/pasang-2fa"


async def test_admin_sees_coordinators_of_both_offices(client, login_as):
    await login_as(await make_user("admin.satu", "admin"))
    await make_user("rt.kota")
    await make_user("rt.kab", office="kabupaten", village_row=await kabupaten_village())
    listing = await client.get("/petugas/koordinator")
    assert "Rt Kota" in listing.text and "Rt Kab" in listing.text


async def test_double_submit_creates_one_account(client, login_as):
    await login_as(await make_user("petugas.kota", "staff"))
    first = await _create_coordinator(client)
    second = await _create_coordinator(client)
    assert first.status_code == 200 and second.status_code == 400
    assert await User.count().where(User.username == "rt07.wates") == 1


async def test_sign_in_password_uses_the_password_rules(client):
    assert PASSWORD  # the fixture's password passes the rules too
    from portal.rules.passwords import password_problems

    assert password_problems(PASSWORD, username="x") == []


async def test_create_user_command_enforces_password_rules_and_later_enrolment(client):
    import pytest

    from portal.accounts_cli import create_user_command

    for weak in ("pendek", "mojokerto-admin-1", "admin.pertama2024", "prajuritkulon77"):
        with pytest.raises(ValueError):
            await create_user_command("admin", "admin.pertama", "Admin Pertama", None, weak)
    with pytest.raises(ValueError, match="/petugas/koordinator"):
        await create_user_command("coordinator", "rt.cli", "RT", "kota", NEW_PASSWORD)
    message = await create_user_command(
        "admin", "admin.pertama", "Admin Pertama", None, NEW_PASSWORD
    )
    assert "Two-factor" in message
    admin = await User.objects().where(User.username == "admin.pertama").first()
    assert admin.password_hash.startswith("$argon2id$") and not admin.totp_enabled
    response = await sign_in_with_form(client, "admin.pertama", NEW_PASSWORD, follow=False)
    assert response.headers["location"] == "/masuk/pasang-2fa"
    assert await UserSession.count() == 0


async def test_a_racing_duplicate_is_refused_by_the_unique_index(client, login_as, monkeypatch):
    """Both submits passed the "already taken?" check; the database still says no."""
    await login_as(await make_user("petugas.kota", "staff"))
    await make_user("rt07.wates")
    from portal.accounts import account_fields

    real = account_fields.common_fields

    async def unchecked(form, *, new, errors):
        fields = await real(form, new=new, errors=errors)
        errors.pop("username", None)  # as if the other submit had not committed yet
        return fields

    monkeypatch.setattr(account_fields, "common_fields", unchecked)
    response = await _create_coordinator(client)
    assert response.status_code == 400 and "sudah dipakai" in response.text
    assert await User.count().where(User.username == "rt07.wates") == 1
    assert await ActivationToken.count() == 0


async def test_choosing_a_kecamatan_narrows_the_village_list(client, login_as):
    await login_as(await make_user("petugas.kota", "staff"))
    form = BeautifulSoup((await client.get("/petugas/koordinator/baru")).text, "html.parser")
    kecamatan = form.select("#kecamatan option")[1]
    all_groups = form.select("#village optgroup")
    assert len(all_groups) == len(form.select("#kecamatan option")) - 1 > 1
    select = form.select_one("#kecamatan")
    assert select["data-hx-get"] == "/petugas/koordinator/desa"
    fragment = await client.get(
        f"/petugas/koordinator/desa?kecamatan={kecamatan['value']}",
        headers={"HX-Request": "true"},
    )
    assert fragment.status_code == 200 and "<html" not in fragment.text
    groups = BeautifulSoup(fragment.text, "html.parser").select("#village optgroup")
    assert [g["label"] for g in groups] == [f"Kecamatan {kecamatan.text}"]
    # A whole page is never narrowed: without JavaScript, choosing another kecamatan could
    # not bring its villages back (the scope form opens with the current kecamatan chosen).
    coordinator = await make_user("rt.lama")
    scope = BeautifulSoup(
        (await client.get(f"/petugas/koordinator/{coordinator.id}/wilayah")).text, "html.parser"
    )
    assert scope.select_one("#kecamatan option[selected]")["value"]
    assert len(scope.select("#village optgroup")) == len(all_groups)


# ---- the services, called with plain values ------------------------------------------------


async def test_the_life_cycle_service_speaks_scope_and_domain_errors(db):
    import pytest

    from portal.accounts import manage
    from portal.accounts.account_fields import AccountInput
    from portal.domain.errors import Forbidden, Invalid, NotFound
    from portal.domain.scope import scope_for

    kota = await scope_for(await make_user("petugas.kota", "staff"))
    kab_coordinator = await make_user(
        "rt.jauh", office="kabupaten", village_row=await kabupaten_village()
    )
    # Outside the scope an account does not exist; a staff member is not an admin.
    with pytest.raises(NotFound):
        await manage.load_account(kota, manage.COORDINATORS, kab_coordinator.id)
    with pytest.raises(Forbidden):
        await manage.list_accounts(kota, manage.STAFF, manage.AccountFilters())
    # Field problems come back by field name, nothing stored.
    wates = await village("35.76.02.1010")
    typed = AccountInput(full_name="Pak Budi", username="rt07.wates", title="ketua_rt")
    with pytest.raises(Invalid) as refused:
        await manage.create_account(kota, manage.COORDINATORS, typed)
    assert set(refused.value.errors) == {"village"}
    # "RT 3" is read by the one RT/RW rule.
    typed.village, typed.rw, typed.rt = wates.id, "RW 2", "RT 3"
    issued = await manage.create_account(kota, manage.COORDINATORS, typed)
    assert (issued.account["scope_rw"], issued.account["scope_rt"]) == ("02", "03")
    assert issued.url.split("/")[-1] in issued.share_url and issued.created
    listed = await manage.list_accounts(kota, manage.COORDINATORS, manage.AccountFilters())
    assert [(r["username"], r["state"]) for r in listed.rows] == [("rt07.wates", "menunggu")]
    assert listed.pager.total == 1


async def test_a_stale_change_is_a_conflict_and_writes_nothing(db):
    import pytest

    from portal.accounts import manage
    from portal.domain.errors import Conflict
    from portal.domain.scope import scope_for

    kota = await scope_for(await make_user("petugas.kota", "staff"))
    coordinator = await make_user("rt.rebutan", rw="02", rt="03")
    account = await manage.load_account(kota, manage.COORDINATORS, coordinator.id)
    stale = account["auth_version"] - 1
    with pytest.raises(Conflict, match="baru saja diubah"):
        await manage.change_account(
            kota.actor, account, {"scope_rt": "04"}, version=stale, action="account.scope_changed"
        )
    assert (await reload(coordinator)).scope_rt == "03"
    assert await AuditEntry.count() == 0
    unchanged = {"scope_rt": "03"}
    assert not await manage.change_account(
        kota.actor, account, unchanged, version=stale, action="account.scope_changed"
    )

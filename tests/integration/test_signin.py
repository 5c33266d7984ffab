"""Sign-in: password, second factor, first-login enrolment, next, sign-out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bs4 import BeautifulSoup

from portal.auth.challenges import challenge_cookie_name
from portal.tables.accounts import AuditEntry, LoginChallenge, RecoveryCode, User, UserSession
from tests.integration.accounts_fixtures import (
    PASSWORD,
    make_user,
    post_form,
    reload,
    session_cookie_value,
    sign_in_with_form,
    totp_now,
)

NO_REDIRECT = {"follow_redirects": False}


async def test_login_page_has_the_right_fields(client):
    response = await client.get("/masuk")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    page = BeautifulSoup(response.text, "html.parser")
    assert page.select_one("#username")["autocomplete"] == "username"
    assert page.select_one("#password")["autocomplete"] == "current-password"
    assert page.select_one("#password")["type"] == "password"
    assert page.select_one("label[for=username]") and page.select_one("label[for=password]")
    assert page.select_one("input[name=_csrf_token]")["value"]
    assert page.find("a", href="/lupa-sandi")


async def test_coordinator_signs_in_and_lands_on_their_home(client):
    await make_user("rt.satu")
    response = await client.post(
        "/masuk",
        data={"username": "RT.Satu", "password": PASSWORD, "_csrf_token": await _csrf(client)},
        **NO_REDIRECT,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/koordinator"
    assert session_cookie_value(client)
    assert await UserSession.count() == 1
    account = await client.get("/akun")
    assert account.status_code == 200 and "rt.satu" in account.text
    assert account.headers["cache-control"] == "no-store"
    entry = await AuditEntry.objects().where(AuditEntry.action == "login.success").first()
    assert entry.actor_name == "rt.satu" and entry.ip


async def _csrf(client):
    from tests.integration.accounts_fixtures import csrf_token

    return await csrf_token(client)


async def test_sign_in_with_phone_number(client):
    await make_user("rt.hp", phone="+6281234567890")
    response = await sign_in_with_form(client, "0812-3456-7890", follow=False)
    assert response.headers["location"] == "/koordinator"
    assert await UserSession.count() == 1


async def test_next_is_followed_only_when_it_stays_on_this_site(client):
    await make_user("rt.next")
    for target, expected in (
        ("/akun", "/akun"),
        ("//evil.example/x", "/koordinator"),
        ("https://evil.example/", "/koordinator"),
        ("/\\evil.example", "/koordinator"),
        ("/masuk", "/koordinator"),
    ):
        client.cookies.clear()
        response = await post_form(
            client,
            "/masuk",
            {"username": "rt.next", "password": PASSWORD, "next": target},
            **NO_REDIRECT,
        )
        assert response.headers["location"] == expected, target


async def test_wrong_password_and_unknown_user_get_the_same_answer(client):
    await make_user("rt.benar")
    wrong = await sign_in_with_form(client, "rt.benar", "salah-sandi-sekali-ini")
    unknown = await sign_in_with_form(client, "tidak.ada", "salah-sandi-sekali-ini")
    assert wrong.status_code == unknown.status_code == 400

    def message(response):
        page = BeautifulSoup(response.text, "html.parser")
        return page.select_one(".error-message").get_text(" ", strip=True)

    assert message(wrong) == message(unknown)
    assert "salah" in message(wrong)
    # The username typed is kept, the password never comes back.
    page = BeautifulSoup(wrong.text, "html.parser")
    assert page.select_one("#username")["value"] == "rt.benar"
    assert not page.select_one("#password").get("value")
    assert await UserSession.count() == 0
    failures = await AuditEntry.select(AuditEntry.actor_name, AuditEntry.detail).where(
        AuditEntry.action == "login.failed"
    )
    assert len(failures) == 2


async def test_inactive_or_unactivated_accounts_cannot_sign_in(client):
    await make_user("rt.mati", active=False)
    await make_user("rt.baru", password=None)
    for name in ("rt.mati", "rt.baru"):
        response = await sign_in_with_form(client, name)
        assert response.status_code == 400
    assert await UserSession.count() == 0


async def test_staff_get_no_session_before_the_second_factor(client):
    staff = await make_user("petugas.satu", "staff")
    response = await sign_in_with_form(client, "petugas.satu")
    assert str(response.url).endswith("/masuk/kode")
    assert await UserSession.count() == 0
    assert not session_cookie_value(client)
    assert client.cookies.get(challenge_cookie_name())
    # Staff pages still refuse: a challenge is not a session.
    assert (await client.get("/akun", **NO_REDIRECT)).status_code == 303
    challenge = await LoginChallenge.objects().first()
    assert challenge.purpose == "totp"
    assert challenge.token_hash != client.cookies.get(challenge_cookie_name())

    done = await post_form(client, "/masuk/kode", {"code": totp_now(staff)}, **NO_REDIRECT)
    assert done.status_code == 303 and done.headers["location"] == "/petugas"
    assert await UserSession.count() == 1
    assert await LoginChallenge.count() == 0


async def test_a_code_is_accepted_once_only(client):
    staff = await make_user("petugas.ulang", "staff")
    code = totp_now(staff)
    await sign_in_with_form(client, "petugas.ulang")
    assert (
        await post_form(client, "/masuk/kode", {"code": code}, **NO_REDIRECT)
    ).status_code == 303
    client.cookies.clear()
    await sign_in_with_form(client, "petugas.ulang")
    replay = await post_form(client, "/masuk/kode", {"code": code})
    assert replay.status_code == 400
    assert await UserSession.count() == 1


async def test_wrong_codes_end_the_challenge_after_five(client):
    await make_user("petugas.salah", "staff")
    await sign_in_with_form(client, "petugas.salah")
    for attempt in range(4):
        response = await post_form(client, "/masuk/kode", {"code": "000000"})
        assert response.status_code == 400, attempt
        assert "sisa" in response.text
    last = await post_form(client, "/masuk/kode", {"code": "000000"}, **NO_REDIRECT)
    assert last.status_code == 303 and last.headers["location"] == "/masuk?pesan=habis"
    assert await LoginChallenge.count() == 0
    assert await UserSession.count() == 0


async def test_an_expired_challenge_sends_back_to_the_password(client):
    staff = await make_user("petugas.lambat", "staff")
    await sign_in_with_form(client, "petugas.lambat")
    await LoginChallenge.update(
        {LoginChallenge.expires_at: datetime.now(UTC) - timedelta(seconds=1)}
    ).where(LoginChallenge.user == staff.id)
    response = await post_form(client, "/masuk/kode", {"code": totp_now(staff)}, **NO_REDIRECT)
    assert response.headers["location"] == "/masuk?pesan=habis"
    assert await UserSession.count() == 0


async def test_code_page_without_a_challenge_goes_back_to_sign_in(client):
    response = await client.get("/masuk/kode", **NO_REDIRECT)
    assert response.status_code == 303 and response.headers["location"] == "/masuk?pesan=habis"
    forged = await client.get(
        "/masuk/kode", headers={"Cookie": f"{challenge_cookie_name()}=forged"}, **NO_REDIRECT
    )
    assert forged.status_code == 303


async def test_staff_without_an_authenticator_enrol_before_any_session(client):
    await make_user("petugas.baru", "staff", totp=False)
    response = await sign_in_with_form(client, "petugas.baru")
    assert str(response.url).endswith("/masuk/pasang-2fa")
    page = BeautifulSoup(response.text, "html.parser")
    qr = page.select_one(".qr img")
    assert qr["src"].startswith("data:image/svg+xml") and qr["alt"]
    assert page.select_one("#code")["autocomplete"] == "one-time-code"
    assert await UserSession.count() == 0
    user = await User.objects().where(User.username == "petugas.baru").first()
    assert user.totp_secret and not user.totp_enabled
    assert user.totp_secret.replace(" ", "") in page.select_one("#totp-secret").text.replace(
        " ", ""
    )

    wrong = await post_form(client, "/masuk/pasang-2fa", {"code": "123456"})
    assert wrong.status_code == 400 and await UserSession.count() == 0

    done = await post_form(client, "/masuk/pasang-2fa", {"code": totp_now(user)})
    assert done.status_code == 200
    assert done.headers["cache-control"] == "no-store"
    codes = [c.text for c in BeautifulSoup(done.text, "html.parser").select("#recovery-codes code")]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert await RecoveryCode.count().where(RecoveryCode.user == user.id) == 10
    stored = await RecoveryCode.select(RecoveryCode.code_hash)
    assert not {row["code_hash"] for row in stored} & set(codes)
    assert (await reload(user)).totp_enabled
    assert await UserSession.count() == 1
    assert (await client.get("/akun")).status_code == 200


async def test_a_recovery_code_works_once(client):
    staff = await make_user("petugas.hilang", "staff", totp=False)
    await sign_in_with_form(client, "petugas.hilang")
    staff = await reload(staff)
    done = await post_form(client, "/masuk/pasang-2fa", {"code": totp_now(staff)})
    code = BeautifulSoup(done.text, "html.parser").select_one("#recovery-codes code").text
    await post_form(client, "/keluar")

    await sign_in_with_form(client, "petugas.hilang")
    used = await post_form(client, "/masuk/kode", {"code": code.upper()}, **NO_REDIRECT)
    assert used.status_code == 303 and used.headers["location"] == "/akun?pesan=pemulihan"
    await post_form(client, "/keluar")

    await sign_in_with_form(client, "petugas.hilang")
    again = await post_form(client, "/masuk/kode", {"code": code})
    assert again.status_code == 400
    actions = {r["action"] for r in await AuditEntry.select(AuditEntry.action)}
    assert "totp.recovery_code_used" in actions


async def test_coordinator_who_turned_on_two_factor_is_asked_for_a_code(client, login_as):
    coordinator = await make_user("rt.aman")
    await login_as(coordinator)
    form = await client.get("/akun/2fa")
    assert form.status_code == 200 and "data:image/svg+xml" in form.text
    coordinator = await reload(coordinator)
    done = await post_form(client, "/akun/2fa", {"code": totp_now(coordinator)})
    assert done.status_code == 200 and "recovery-codes" in done.text
    assert (await reload(coordinator)).totp_enabled
    client.cookies.clear()
    response = await sign_in_with_form(client, "rt.aman")
    assert str(response.url).endswith("/masuk/kode")


async def test_sign_out_ends_the_session_on_the_server(client):
    await make_user("rt.pulang")
    await sign_in_with_form(client, "rt.pulang")
    token = session_cookie_value(client)
    assert token
    response = await post_form(client, "/keluar", **NO_REDIRECT)
    assert response.status_code == 303 and response.headers["location"] == "/masuk?pesan=keluar"
    assert await UserSession.count() == 0
    # The old cookie, replayed, is worth nothing.
    from portal.auth.sessions import cookie_name

    replay = await client.get(
        "/akun", headers={"Cookie": f"{cookie_name()}={token}"}, **NO_REDIRECT
    )
    assert replay.status_code == 303 and replay.headers["location"].startswith("/masuk")
    assert "logout" in {r["action"] for r in await AuditEntry.select(AuditEntry.action)}


async def test_signing_in_again_rotates_the_session_id(client):
    await make_user("rt.putar")
    await sign_in_with_form(client, "rt.putar")
    first = session_cookie_value(client)
    await sign_in_with_form(client, "rt.putar")
    second = session_cookie_value(client)
    assert first and second and first != second
    assert await UserSession.count() == 1  # the old one was ended, not left behind


async def test_forgot_password_page_explains_staff_resets(client):
    response = await client.get("/lupa-sandi")
    assert response.status_code == 200
    assert "petugas" in response.text and "tautan" in response.text


async def test_the_sign_out_button_on_a_public_page_works(client):
    """Public pages skip the CSRF middleware (no cookie on cacheable pages); the header's
    sign-out form must still carry a token the middleware accepts."""
    await make_user("rt.publik")
    await sign_in_with_form(client, "rt.publik", follow=False)
    home = await client.get("/")
    form = BeautifulSoup(home.text, "html.parser").select_one("form[action='/keluar']")
    token = form.select_one("input[name=_csrf_token]")["value"]
    assert token
    response = await client.post("/keluar", data={"_csrf_token": token}, **NO_REDIRECT)
    assert response.status_code == 303
    assert await UserSession.count() == 0

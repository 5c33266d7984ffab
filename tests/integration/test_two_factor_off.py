"""Turning two-factor sign-in off on /akun: coordinators may, with their password and a
current code; staff and admin may not (sign-in requires it of them)."""

from __future__ import annotations

from bs4 import BeautifulSoup

from portal.auth import totp
from portal.auth.sessions import start_session
from portal.tables.accounts import AuditEntry, LoginAttempt, RecoveryCode, UserSession
from tests.integration.accounts_fixtures import (
    PASSWORD,
    make_user,
    post_form,
    reload,
    sign_in_with_form,
    submit_form,
    totp_now,
)

NO_REDIRECT = {"follow_redirects": False}
ACTION = "/akun/2fa/matikan"


def _field_error(html: str, name: str) -> str:
    """The error shown next to field ``name`` (inside its .field), or ""."""
    field = BeautifulSoup(html, "html.parser").find(id=name).find_parent(class_="field")
    message = field.select_one(".error-message")
    return message.get_text(" ", strip=True) if message else ""


async def test_a_coordinator_turns_two_factor_off_and_other_sessions_end(client, login_as):
    coordinator = await make_user("rt.lepas", totp=True)
    await totp.new_recovery_codes(coordinator.id)
    await login_as(coordinator)
    await start_session(coordinator)  # another phone
    done = await submit_form(
        client,
        "/akun",
        ACTION,
        {"off_password": PASSWORD, "off_code": totp_now(coordinator)},
        **NO_REDIRECT,
    )
    assert done.status_code == 303 and done.headers["location"] == "/akun?pesan=2fa-mati"
    fresh = await reload(coordinator)
    assert not fresh.totp_enabled and fresh.totp_secret is None
    assert await RecoveryCode.count() == 0
    assert await UserSession.count() == 1  # this browser's only
    shown = await client.get(done.headers["location"], **NO_REDIRECT)
    assert shown.status_code == 200
    notice = BeautifulSoup(shown.text, "html.parser").select_one(".notice").text
    assert "Verifikasi dua langkah sudah dimatikan" in notice
    assert "Belum aktif" in shown.text and ACTION not in shown.text
    [entry] = await AuditEntry.select().where(AuditEntry.action == "totp.disabled")
    assert entry["actor"] == coordinator.id and entry["object_id"] == str(coordinator.id)
    assert PASSWORD not in str(entry)
    client.cookies.clear()
    assert (
        "/masuk/kode"
        not in ((await sign_in_with_form(client, "rt.lepas", follow=False)).headers["location"])
    )


async def test_a_recovery_code_may_stand_in_for_the_app(client, login_as):
    coordinator = await make_user("rt.hphilang", totp=True)
    [code, *_] = await totp.new_recovery_codes(coordinator.id)
    await login_as(coordinator)
    done = await post_form(
        client, ACTION, {"off_password": PASSWORD, "off_code": code.upper()}, **NO_REDIRECT
    )
    assert done.status_code == 303
    assert not (await reload(coordinator)).totp_enabled


async def test_wrong_or_missing_answers_are_shown_next_to_their_fields(client, login_as):
    coordinator = await make_user("rt.keliru", totp=True)
    await login_as(coordinator)
    empty = await post_form(client, ACTION, {})
    assert empty.status_code == 400
    assert _field_error(empty.text, "off_password").endswith("Masukkan kata sandi Anda sekarang")
    assert "Masukkan kode" in _field_error(empty.text, "off_code")

    wrong_password = await post_form(
        client, ACTION, {"off_password": "bukan-sandinya", "off_code": totp_now(coordinator)}
    )
    assert wrong_password.status_code == 400
    assert "Kata sandi sekarang salah" in _field_error(wrong_password.text, "off_password")
    assert _field_error(wrong_password.text, "off_code") == ""
    # Without the right password the code is not even tried: its time step is not used up.
    assert (await reload(coordinator)).totp_last_step is None

    wrong_code = await post_form(client, ACTION, {"off_password": PASSWORD, "off_code": "000000"})
    assert wrong_code.status_code == 400
    assert "Kode salah" in _field_error(wrong_code.text, "off_code")
    page = BeautifulSoup(wrong_code.text, "html.parser")
    # Secrets are never sent back into the form.
    assert not page.find(id="off_password").get("value")
    assert not page.find(id="off_code").get("value")
    assert page.select_one(".error-summary a[href='#off_code']")
    assert (await reload(coordinator)).totp_enabled


async def test_a_right_password_does_not_reset_the_throttle_for_code_guesses(client, login_as):
    coordinator = await make_user("rt.tebakkode", totp=True)
    await login_as(coordinator)
    for _ in range(3):
        await post_form(client, ACTION, {"off_password": PASSWORD, "off_code": "123456"})
    key = f"user:{coordinator.id}"
    attempts = await LoginAttempt.select().where(LoginAttempt.account == key)
    assert [a["success"] for a in attempts] == [False, False, False]
    # Locked like a sign-in, and recorded once.
    from datetime import UTC, datetime

    await LoginAttempt.insert(
        *[
            LoginAttempt(at=datetime.now(UTC), ip="198.51.100.7", account=key, success=False)
            for _ in range(20)
        ]
    )
    for _ in range(2):
        locked = await post_form(
            client, ACTION, {"off_password": PASSWORD, "off_code": totp_now(coordinator)}
        )
        assert locked.status_code == 429
        assert "Terlalu banyak percobaan" in _field_error(locked.text, "off_password")
    assert (await reload(coordinator)).totp_enabled
    throttled = await AuditEntry.count().where(AuditEntry.action == "login.throttled")
    assert throttled == 1


async def test_staff_and_admin_cannot_turn_it_off_and_are_told_why(client, login_as):
    for username, role in (("petugas.wajib", "staff"), ("admin.wajib", "admin")):
        user = await make_user(username, role)
        client.cookies.clear()
        await login_as(user)
        shown = await client.get("/akun")
        assert ACTION not in shown.text
        assert "wajib memakai verifikasi dua langkah" in shown.text
        refused = await post_form(
            client, ACTION, {"off_password": PASSWORD, "off_code": totp_now(user)}
        )
        assert refused.status_code == 403
        assert "wajib memakai verifikasi dua langkah" in refused.text
        assert (await reload(user)).totp_enabled
    assert await AuditEntry.count().where(AuditEntry.action == "totp.disabled") == 0


async def test_the_form_needs_its_csrf_token(client, login_as):
    coordinator = await make_user("rt.csrf", totp=True)
    await login_as(coordinator)
    await client.get("/akun")
    response = await client.post(
        ACTION, data={"off_password": PASSWORD, "off_code": totp_now(coordinator)}
    )
    assert response.status_code == 403
    assert (await reload(coordinator)).totp_enabled


async def test_without_two_factor_there_is_nothing_to_turn_off(client, login_as):
    coordinator = await make_user("rt.biasa")
    await login_as(coordinator)
    assert ACTION not in (await client.get("/akun")).text
    response = await post_form(client, ACTION, {"off_password": PASSWORD}, **NO_REDIRECT)
    assert response.status_code == 303 and response.headers["location"] == "/akun"

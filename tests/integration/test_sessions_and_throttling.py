"""Sessions (lifetimes, revocation, cookies, caching) and sign-in throttling."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from portal.auth.sessions import bump_auth_version, cookie_name
from portal.tables.accounts import LoginAttempt, User, UserSession
from tests.integration.accounts_fixtures import (
    PASSWORD,
    make_user,
    session_cookie_value,
    sign_in_with_form,
    signed_in,
)

NO_REDIRECT = {"follow_redirects": False}


async def _signed_in(client, response) -> bool:
    return response.status_code == 200 and "Akun saya" in response.text


async def test_session_cookie_is_httponly_and_lax(client):
    await make_user("rt.kue")
    response = await sign_in_with_form(client, "rt.kue")
    header = next(
        h for h in response.history[0].headers.get_list("set-cookie") if "portal_session=" in h
    )
    assert "HttpOnly" in header and "SameSite=lax" in header and "Path=/" in header


async def test_authenticated_responses_are_never_cached(client, login_as):
    await login_as(await make_user("rt.cache"))
    for path in ("/akun", "/", "/tidak-ada"):
        response = await client.get(path)
        assert response.headers["cache-control"] == "no-store", path


async def test_idle_timeout_ends_the_session(client, login_as):
    user = await make_user("rt.diam")
    await login_as(user)
    assert (await client.get("/akun", **NO_REDIRECT)).status_code == 200
    await UserSession.update(
        {UserSession.last_seen_at: datetime.now(UTC) - timedelta(minutes=241)}
    ).where(UserSession.user == user.id)
    response = await client.get("/akun", **NO_REDIRECT)
    assert response.status_code == 303 and response.headers["location"].startswith("/masuk")
    assert await UserSession.count() == 0


async def test_staff_idle_timeout_is_shorter(client, login_as):
    staff = await make_user("petugas.diam", "staff")
    await login_as(staff)
    session = await UserSession.objects().where(UserSession.user == staff.id).first()
    assert session.idle_seconds == 30 * 60
    assert session.expires_at - session.created_at == timedelta(hours=12)


async def test_absolute_lifetime_ends_an_active_session(client, login_as):
    user = await make_user("rt.lama")
    await login_as(user)
    await UserSession.update(
        {UserSession.expires_at: datetime.now(UTC) - timedelta(seconds=1)}
    ).where(UserSession.user == user.id)
    assert (await client.get("/akun", **NO_REDIRECT)).status_code == 303


async def test_a_change_of_role_or_scope_ends_sessions(client, login_as):
    user = await make_user("rt.geser")
    await login_as(user)
    assert (await client.get("/akun", **NO_REDIRECT)).status_code == 200
    await bump_auth_version(user.id)
    assert (await client.get("/akun", **NO_REDIRECT)).status_code == 303
    assert (await User.objects().where(User.id == user.id).first()).auth_version == 2


async def test_even_a_version_change_made_elsewhere_ends_the_session(client, login_as):
    """Another process may change the role directly in the database: the session still
    compares versions at every request."""
    user = await make_user("rt.versi")
    await login_as(user)
    await User.update({User.auth_version: 7}).where(User.id == user.id)
    assert (await client.get("/akun", **NO_REDIRECT)).status_code == 303


async def test_deactivated_user_is_out_at_the_next_request(client, login_as):
    user = await make_user("rt.keluar")
    await login_as(user)
    await User.update({User.active: False}).where(User.id == user.id)
    assert (await client.get("/akun", **NO_REDIRECT)).status_code == 303


async def test_a_dead_cookie_is_cleared(client):
    response = await client.get("/", headers={"Cookie": f"{cookie_name()}=no-such-session"})
    assert any(
        h.startswith(f"{cookie_name()}=") and "Max-Age=0" in h
        for h in response.headers.get_list("set-cookie")
    )


async def test_sign_out_everywhere_else(client, login_as):
    user = await make_user("rt.banyak")
    await login_as(user)
    from portal.auth.sessions import start_session

    await start_session(user)  # another phone
    assert await UserSession.count() == 2
    from tests.integration.accounts_fixtures import post_form

    await post_form(client, "/akun/keluar-perangkat-lain")
    assert await UserSession.count() == 1
    assert (await client.get("/akun", **NO_REDIRECT)).status_code == 200


async def test_changing_the_password_ends_other_sessions_and_rotates_this_one(client, login_as):
    from tests.integration.accounts_fixtures import post_form

    user = await make_user("rt.ganti")
    await login_as(user)
    from portal.auth.sessions import start_session

    await start_session(user)
    before = session_cookie_value(client)
    weak = await post_form(
        client,
        "/akun/sandi",
        {"current_password": PASSWORD, "password": "surodinawan123", "password_confirm": ""},
    )
    assert weak.status_code == 400
    new = "jendela-biru-di-atas-sawah"
    response = await post_form(
        client,
        "/akun/sandi",
        {"current_password": PASSWORD, "password": new, "password_confirm": new},
        **NO_REDIRECT,
    )
    assert response.status_code == 303
    assert await UserSession.count() == 1
    after = session_cookie_value(client)
    assert after != before
    client.cookies.clear()  # the jar also keeps login_as's domain-less cookie; a browser would not
    client.cookies.set(cookie_name(), after)
    assert (await client.get("/akun", **NO_REDIRECT)).status_code == 200
    from portal.auth.sessions import hash_token

    assert not await UserSession.exists().where(UserSession.token_hash == hash_token(before))
    client.cookies.clear()
    assert signed_in(await sign_in_with_form(client, "rt.ganti", new, follow=False))
    client.cookies.clear()
    assert (await sign_in_with_form(client, "rt.ganti", PASSWORD)).status_code == 400


# ---- throttling ------------------------------------------------------------------------


async def test_five_attempts_a_minute_per_address_then_429(client):
    await make_user("rt.serbu")
    for attempt in range(5):
        response = await sign_in_with_form(client, f"tebakan{attempt}", "salah-salah-salah")
        assert response.status_code == 400
    blocked = await sign_in_with_form(client, "rt.serbu")  # even the right password waits
    assert blocked.status_code == 429
    assert 1 <= int(blocked.headers["retry-after"]) <= 60
    assert "Terlalu banyak percobaan" in blocked.text
    assert await UserSession.count() == 0


async def test_attempts_from_another_address_are_not_blocked(client):
    await make_user("rt.tetangga")
    for attempt in range(5):
        await LoginAttempt(
            at=datetime.now(UTC), ip="203.0.113.9", account=f"name:x{attempt}", success=False
        ).save()
    assert signed_in(await sign_in_with_form(client, "rt.tetangga", follow=False))


async def _fail_many(account: str, count: int, *, minutes_ago: float = 0) -> None:
    at = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    await LoginAttempt.insert(
        *[
            LoginAttempt(at=at, ip=f"198.51.100.{i % 250}", account=account, success=False)
            for i in range(count)
        ]
    )


async def test_twenty_failures_an_hour_lock_the_account_with_growing_delays(client):
    user = await make_user("rt.dikunci")
    key = f"user:{user.id}"
    await _fail_many(key, 20)
    locked = await sign_in_with_form(client, "rt.dikunci")
    assert locked.status_code == 429
    first_wait = int(locked.headers["retry-after"])
    assert 50 <= first_wait <= 60
    await _fail_many(key, 3)
    longer = await sign_in_with_form(client, "rt.dikunci")
    assert int(longer.headers["retry-after"]) > 7 * 60  # 2**3 minutes
    assert await UserSession.count() == 0


async def test_old_failures_and_a_success_reset_the_account_count(client):
    user = await make_user("rt.lega")
    await _fail_many(f"user:{user.id}", 25, minutes_ago=61)
    assert signed_in(await sign_in_with_form(client, "rt.lega", follow=False))


async def test_unknown_names_are_throttled_with_the_same_message(client):
    await _fail_many("name:siapa.ini", 20)
    unknown = await sign_in_with_form(client, "siapa.ini", "apa-saja-apa-saja")
    user = await make_user("rt.ada")
    await _fail_many(f"user:{user.id}", 20)
    known = await sign_in_with_form(client, "rt.ada", "apa-saja-apa-saja")
    assert unknown.status_code == known.status_code == 429
    assert unknown.headers["retry-after"] == known.headers["retry-after"]
    from bs4 import BeautifulSoup

    def message(r):
        return BeautifulSoup(r.text, "html.parser").select_one(".error-message").text

    assert message(unknown) == message(known)


async def test_throttle_counts_come_from_the_shared_table(client):
    """Attempts made by other worker processes are rows in login_attempt: the limit
    counts them as its own."""
    await make_user("rt.bersama")
    from portal.web.client_ip import client_ip  # noqa: F401  (the address used below)

    await LoginAttempt.insert(
        *[
            LoginAttempt(at=datetime.now(UTC), ip="testclient", account="name:x", success=False)
            for _ in range(5)
        ]
    )
    assert (await sign_in_with_form(client, "rt.bersama")).status_code == 429

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


# ---- throttled attempts in the audit log -------------------------------------------------


async def _throttled_entries() -> list[dict]:
    from portal.tables.accounts import AuditEntry

    return await AuditEntry.select().where(AuditEntry.action == "login.throttled")


def _detail(entry: dict) -> dict:
    import json

    detail = entry["detail"]
    return json.loads(detail) if isinstance(detail, str) else detail


async def test_a_locked_account_writes_one_audit_entry_however_often_it_is_tried(client):
    import asyncio

    user = await make_user("rt.digedor")
    await _fail_many(f"user:{user.id}", 20)
    for _ in range(4):
        assert (
            await sign_in_with_form(client, "rt.digedor", "tebak-tebak-terus")
        ).status_code == 429
    # Parallel requests (other workers, other connections) cannot each write one either.
    answers = await asyncio.gather(
        *[sign_in_with_form(client, "rt.digedor", "tebak-tebak-lagi") for _ in range(5)]
    )
    assert {a.status_code for a in answers} == {429}
    entries = await _throttled_entries()
    assert len(entries) == 1
    [entry] = entries
    assert entry["object_type"] == "user" and entry["object_id"] == str(user.id)
    assert entry["actor_name"] == "rt.digedor" and entry["actor"] is None
    assert entry["office"] == user.office and entry["ip"] == "testclient"
    detail = _detail(entry)
    assert detail["limit"] == "account" and detail["stage"] == "sign_in"
    assert 50 <= detail["retry_after"] <= 60
    assert "tebak" not in str(entry)  # no password, not even a wrong one


async def test_a_new_episode_after_the_wait_writes_a_new_entry(client):
    user = await make_user("rt.lagi")
    key = f"user:{user.id}"
    await _fail_many(key, 20, minutes_ago=2)  # the 1-minute wait is over…
    wrong = await sign_in_with_form(client, "rt.lagi", "salah-lagi-salah-lagi")
    assert wrong.status_code == 400  # …so this attempt is let through and fails
    assert await _throttled_entries() == []
    for _ in range(3):  # now a 2-minute wait: a new episode
        assert (await sign_in_with_form(client, "rt.lagi")).status_code == 429
    entries = await _throttled_entries()
    assert len(entries) == 1 and _detail(entries[0])["retry_after"] > 60


async def test_an_address_over_its_limit_writes_one_entry_and_no_typed_name(client):
    await make_user("rt.semprot")
    for attempt in range(5):
        await sign_in_with_form(client, f"tebakan{attempt}", "salah-salah-salah")
    for name in ("nama.acak", "rt.semprot", "nama.lain"):
        assert (await sign_in_with_form(client, name, "salah-salah-salah")).status_code == 429
    entries = await _throttled_entries()
    assert len(entries) == 1
    [entry] = entries
    assert _detail(entry)["limit"] == "address" and entry["ip"] == "testclient"
    # The first refused name belongs to no account: it is not stored (it may be a
    # password typed into the wrong field), and the entry belongs to no office.
    assert entry["actor_name"] == "" and entry["object_id"] == "" and entry["office"] is None


async def test_a_throttled_second_factor_is_recorded_once(client):
    staff = await make_user("petugas.kode", "staff")
    await sign_in_with_form(client, "petugas.kode", follow=False)  # password right: a challenge
    await _fail_many(f"user:{staff.id}", 20)
    from tests.integration.accounts_fixtures import post_form, totp_now

    for _ in range(3):
        refused = await post_form(client, "/masuk/kode", {"code": totp_now(staff)})
        assert refused.status_code == 429
    [entry] = await _throttled_entries()
    assert _detail(entry)["stage"] == "second_factor" and entry["object_id"] == str(staff.id)
    assert await UserSession.count() == 0


async def test_a_throttled_password_check_on_the_account_page_is_recorded_once(client, login_as):
    from tests.integration.accounts_fixtures import post_form

    user = await make_user("rt.akun")
    await login_as(user)
    await _fail_many(f"user:{user.id}", 20)
    for _ in range(3):
        response = await post_form(
            client,
            "/akun/sandi",
            {"current_password": PASSWORD, "password": "x", "password_confirm": "x"},
        )
        assert response.status_code == 429
    [entry] = await _throttled_entries()
    assert entry["actor"] == user.id and entry["actor_name"] == "rt.akun"
    assert _detail(entry)["stage"] == "current_password"


async def test_staff_see_throttled_sign_ins_of_their_office_in_indonesian(client, login_as):
    user = await make_user("rt.terkunci")
    await _fail_many(f"user:{user.id}", 20)
    assert (await sign_in_with_form(client, "rt.terkunci")).status_code == 429
    client.cookies.clear()
    await login_as(await make_user("petugas.lihat", "staff"))
    from bs4 import BeautifulSoup

    page = BeautifulSoup((await client.get("/petugas/audit")).text, "html.parser")
    whats = [p.get_text(" ", strip=True) for p in page.select(".audit-what")]
    assert any(w.startswith("Masuk ditahan: terlalu banyak percobaan") for w in whats), whats
    offered = {o.text for o in page.select("#action option")}
    assert "Masuk ditahan: terlalu banyak percobaan" in offered

"""Generic checks over EVERY route the app serves, including routes added later by any
area: CSRF on every unsafe method, and every route either explicitly public or guarded,
with the guard actually refusing the wrong roles."""

from __future__ import annotations

import re
import uuid

import pytest

from tests.integration.accounts_fixtures import csrf_token, make_user

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
PARAM = re.compile(r"\{(\w+)(?::(\w+))?\}")
# A value of each path-parameter type Litestar knows, so every route matches.
SAMPLE = {
    "int": "1",
    "str": "x",
    "path": "x",
    "uuid": str(uuid.UUID(int=1)),
    "date": "2026-01-05",
    "datetime": "2026-01-05T08:00:00",
    "time": "08:00:00",
    "float": "1.5",
    "decimal": "1.5",
    "timedelta": "60",
    None: "x",
}
CSRF_REFUSAL = "Formulir ini sudah kedaluwarsa"
# Unsafe routes that may skip CSRF. Keep it empty; a webhook would be the only reason.
CSRF_EXEMPT: set[tuple[str, str]] = set()
# Area prefixes that must never hold a public route.
PRIVATE_PREFIXES = ("/koordinator", "/petugas", "/admin", "/akun")


def concrete(path: str) -> str:
    def value(match: re.Match) -> str:
        assert match.group(2) in SAMPLE, f"add a sample for {match.group(2)} ({path})"
        return SAMPLE[match.group(2)]

    return PARAM.sub(value, path)


def guard_roles(handler) -> set[str] | None:
    """The roles a handler's require_* guards allow, across every layer; None: no guard."""
    roles = None
    for layer in handler.ownership_layers:
        for guard in layer.guards or []:
            allowed = getattr(guard, "roles", None)
            if allowed is not None:
                roles = set(allowed) if roles is None else roles & set(allowed)
    return roles


def endpoints(app):
    """(method, path template, handler) for every handler, without Litestar's automatic
    OPTIONS/HEAD answers."""
    seen = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            for method in sorted(getattr(handler, "http_methods", [])):
                if method in ("OPTIONS", "HEAD"):
                    continue
                seen.append((method, route.path, handler))
    return seen


def test_the_walk_sees_routes(app):
    found = {(m, p) for m, p, _ in endpoints(app)}
    assert ("POST", "/masuk") in found and ("GET", "/akun") in found
    assert len(found) > 20


def test_every_route_is_public_on_purpose_or_guarded(app):
    offenders = []
    for method, path, handler in endpoints(app):
        public = handler.opt.get("public") is True
        guarded = guard_roles(handler) is not None
        if public == guarded:  # neither, or both (a contradiction)
            offenders.append(f"{method} {path}")
        if public and path.startswith(PRIVATE_PREFIXES):
            offenders.append(f"{method} {path} (public under a private prefix)")
    assert not offenders, "routes neither public nor guarded: " + ", ".join(offenders)


def test_no_unsafe_route_skips_csrf(app):
    skipping = {
        (method, path)
        for method, path, handler in endpoints(app)
        if method in UNSAFE and handler.opt.get("skip_csrf")
    }
    assert skipping <= CSRF_EXEMPT, f"unsafe routes without CSRF: {skipping - CSRF_EXEMPT}"


async def test_every_unsafe_request_without_the_token_is_refused(app, client, login_as):
    unsafe = [(m, p) for m, p, _ in endpoints(app) if m in UNSAFE and (m, p) not in CSRF_EXEMPT]
    assert unsafe
    admin = await make_user("admin.csrf", "admin")
    for signed_in in (False, True):
        client.cookies.clear()
        if signed_in:
            await login_as(admin)
        for with_cookie in (False, True):
            if with_cookie:
                await csrf_token(client)  # the cookie is there, the form lacks the field
            for method, path in unsafe:
                response = await client.request(
                    method, concrete(path), data={"x": "1"}, follow_redirects=False
                )
                assert response.status_code == 403, (method, path, signed_in, with_cookie)
                assert CSRF_REFUSAL in response.text, (method, path)
    # A wrong token is no better than none.
    response = await client.post("/keluar", data={"_csrf_token": "A" * 80}, follow_redirects=False)
    assert response.status_code == 403
    # Control: with the token the same request goes through, so the 403s above were CSRF.
    token = await csrf_token(client)
    ok = await client.post("/keluar", data={"_csrf_token": token}, follow_redirects=False)
    assert ok.status_code == 303
    header = await client.post("/keluar", headers={"X-CSRFToken": token}, follow_redirects=False)
    assert header.status_code == 303


def malformed_tokens(good: str) -> dict[str, str]:
    """Tokens a scanner posts: the right length with non-ASCII in the HMAC (the case that
    made Litestar's compare_digest raise and answer 500), non-ASCII, control characters,
    over-long, and plain junk."""
    return {
        "non-ascii hmac": good[:64] + "é" * (len(good) - 64),
        "non-ascii": "é" * 80,
        "emoji": "🙂" * 70,
        "nul": "\x00" * 80,
        "over-long": good * 200,
        "short": "x",
        "hex of the wrong secret": "0" * len(good),
    }


async def test_every_unsafe_route_answers_a_malformed_token_with_403(app, client, login_as):
    unsafe = [(m, p) for m, p, _ in endpoints(app) if m in UNSAFE and (m, p) not in CSRF_EXEMPT]
    admin = await make_user("admin.malformed", "admin")
    await login_as(admin)
    good = await csrf_token(client)  # a real cookie; only the token sent is malformed
    for kind, token in malformed_tokens(good).items():
        for method, path in unsafe:
            for how in ("field", "header"):
                sent = (
                    {"data": {"_csrf_token": token}}
                    if how == "field"
                    else {"headers": [(b"x-csrftoken", token.encode("utf-8"))]}
                )
                response = await client.request(
                    method, concrete(path), follow_redirects=False, **sent
                )
                assert response.status_code == 403, (kind, how, method, path)
                assert CSRF_REFUSAL in response.text, (kind, how, method, path)


@pytest.mark.parametrize("role", ["coordinator", "staff", "admin"])
async def test_guards_refuse_every_role_they_do_not_name(app, client, login_as, role):
    user = await make_user(f"probe.{role}", role)
    await login_as(user)
    token = await csrf_token(client)
    checked = 0
    for method, path, handler in endpoints(app):
        roles = guard_roles(handler)
        if roles is None or role in roles:
            continue
        response = await client.request(
            method,
            concrete(path),
            data={"_csrf_token": token} if method in UNSAFE else None,
            follow_redirects=False,
        )
        assert response.status_code == 403, (role, method, path, response.status_code)
        checked += 1
    if role != "admin":
        assert checked, f"no route refuses {role}? the walk is broken"


async def test_guarded_routes_send_anonymous_visitors_to_sign_in(app, client):
    token = await csrf_token(client)
    for method, path, handler in endpoints(app):
        if guard_roles(handler) is None:
            continue
        response = await client.request(
            method,
            concrete(path),
            data={"_csrf_token": token} if method in UNSAFE else None,
            follow_redirects=False,
        )
        if method == "GET":
            assert response.status_code == 303, (method, path)
            assert response.headers["location"].startswith("/masuk?next="), path
        else:
            assert response.status_code == 401, (method, path)

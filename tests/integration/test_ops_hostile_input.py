"""Every unsafe route (POST/PUT/PATCH/DELETE), found by walking the app's route table so
routes added later are covered too, gets hostile requests as the role its guard wants and
with a valid CSRF token: an oversized body is refused with the Indonesian 413 page, garbage
or missing fields get a 4xx (or a re-shown form), never a 500, and markup sent in is never
echoed unescaped."""

from __future__ import annotations

import html
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from litestar import Request, Response, post
from litestar.handlers import HTTPRouteHandler
from litestar.middleware.csrf import generate_csrf_token
from litestar.params import FromPath
from litestar.testing import AsyncTestClient

from portal.auth.guards import require_coordinator
from portal.ops.limits import IMPORT_UPLOAD
from portal.settings import get_settings
from portal.tables.accounts import User
from portal.tables.regions import Office, Village
from tests.integration.chunked import CHUNK, post_chunked

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'
GARBAGE_FORMS = [
    {},  # every field missing
    {
        "nik": "35760141010600011234567890",
        "full_name": SCRIPT,
        "name": SCRIPT,
        "title": SCRIPT,
        "note": '=HYPERLINK("http://evil")',
        "birth_date": "31-02-20x6",
        "day": "99",
        "month": "-1",
        "year": "abcd",
        "phone": "0812" * 40,
        "status": "sudah_rekam'; DROP TABLE resident; --",
        "version": "not-a-number",
        "id": "-1",
        "rw": "ÿ" * 10,
        "rt": "\x00\x01",
        "username": SCRIPT,
        "password": "x",
        "code": "\u202e123",
    },
]


def unsafe_routes(app) -> list[tuple[str, str, HTTPRouteHandler]]:
    found = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            if not isinstance(handler, HTTPRouteHandler):
                continue
            for method in sorted(handler.http_methods & UNSAFE):
                found.append((method, route.path, handler))
    return found


def fill_path(path: str, handler: HTTPRouteHandler) -> str:
    """A plausible value for every path parameter (objects that do not exist: the handler
    must still answer properly)."""
    out = []
    for part in path.split("/"):
        if part.startswith("{") and part.endswith("}"):
            _, _, kind = part[1:-1].partition(":")
            out.append({"int": "999999", "uuid": str(uuid.uuid4())}.get(kind, "tidak-ada"))
        else:
            out.append(part)
    return "/".join(out)


def roles_of(handler: HTTPRouteHandler) -> tuple[str, ...]:
    for guard in handler.resolve_guards():
        roles = getattr(getattr(guard, "func", guard), "roles", None) or getattr(
            guard, "roles", None
        )
        if roles:
            return tuple(roles)
    return ()


@post("/uji/probe/{item:int}", guards=[require_coordinator], name="ops:probe", status_code=200)
async def probe(request: Request, item: FromPath[int]) -> Response:
    """A form handler as the areas write them: reads the form, echoes a field escaped, and
    refuses what does not validate. It proves the walk itself on a route of known shape."""
    form = await request.form()
    name = str(form.get("full_name") or "")
    if not name or len(name) > 120:
        return Response("<p>Nama wajib diisi.</p>", status_code=422, media_type="text/html")
    return Response(f"<p>{html.escape(name)} ({item})</p>", media_type="text/html")


@pytest.fixture(scope="module")
def walked_app(database):
    """The portal's app with every real route, plus the probe."""
    from portal.app import create_app

    app = create_app()
    app.register(probe)
    return app


@pytest.fixture
async def client(walked_app, db) -> AsyncIterator[AsyncTestClient]:
    async with AsyncTestClient(app=walked_app, base_url="http://testserver.local") as c:
        yield c


@pytest.fixture
def login_as(client):
    from portal.auth.sessions import cookie_name, start_session

    async def _login(user) -> None:
        cookie = await start_session(user)
        client.cookies.set(cookie_name(), cookie.value)

    return _login


@pytest.fixture
def app(walked_app):
    return walked_app


@pytest.fixture
async def users(db) -> dict[str, User]:
    village = await Village.objects(Village.kecamatan).first()
    office = await Office.objects().where(Office.id == village.kecamatan.office).first()
    made = {}
    for role, office_id in (("admin", None), ("staff", office.id), ("coordinator", office.id)):
        user = User(
            username=f"hostile.{role}",
            full_name=f"Uji {role}",
            role=role,
            office=office_id,
            title="ketua_rt" if role == "coordinator" else "",
            scope_kecamatan=village.kecamatan.id if role == "coordinator" else None,
            scope_village=village.id if role == "coordinator" else None,
            scope_rw="001" if role == "coordinator" else None,
            scope_rt="003" if role == "coordinator" else None,
            created_at=datetime.now(UTC),
        )
        await user.save()
        made[role] = user
    return made


async def prepared(client, login_as, users, handler) -> dict[str, str]:
    """Sign in as the role the handler's guard wants; return headers with a CSRF token."""
    client.cookies.clear()
    roles = roles_of(handler)
    if roles:
        await login_as(users[roles[0]])
    # The token a form page would have handed out (cookie and field carry the same value).
    token = generate_csrf_token(get_settings().secret_key)
    client.cookies.set("csrftoken", token)
    return {"X-CSRFToken": token}


def describe(method: str, path: str, status: int, body: str) -> str:
    return f"{method} {path} → {status}: {body[:300]}"


async def test_the_walk_finds_unsafe_routes_with_their_roles(app):
    routes = {(m, p): h for m, p, h in unsafe_routes(app)}
    handler = routes[("POST", "/uji/probe/{item:int}")]
    assert roles_of(handler) == ("coordinator",)
    assert fill_path("/uji/probe/{item:int}", handler) == "/uji/probe/999999"


async def test_the_probe_accepts_a_good_form(client, login_as, users, app):
    handler = next(h for m, p, h in unsafe_routes(app) if p.startswith("/uji/probe"))
    headers = await prepared(client, login_as, users, handler)
    response = await client.post("/uji/probe/5", data={"full_name": SCRIPT}, headers=headers)
    assert response.status_code == 200
    assert html.escape(SCRIPT) in response.text and SCRIPT not in response.text


async def test_oversized_bodies_are_refused_with_the_indonesian_413(app, client, login_as, users):
    """Over each route's limit: the everyday one, or the office upload's own (staff only,
    tests/integration/drive/test_office_import_pages.py), which the page names instead."""
    settings = get_settings()
    for method, path, handler in unsafe_routes(app):
        upload = handler.name == IMPORT_UPLOAD
        limit = settings.max_import_bytes if upload else settings.max_body_bytes
        body = b"a=" + b"x" * (limit + 1)
        headers = await prepared(client, login_as, users, handler)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        url = fill_path(path, handler)
        response = await client.request(method, url, content=body, headers=headers)
        assert response.status_code == 413, describe(method, url, response.status_code, "")
        assert "Berkas atau isian terlalu besar" in response.text
        assert ("32 MB" if upload else "3 MB") in response.text


async def test_the_413_page_nginx_shows_is_the_same_page(client):
    """deploy/nginx.conf refuses oversized bodies before they reach the app and shows this
    page instead (error_page 413); tests/reliability/test_nginx.py runs that path."""
    response = await client.get("/galat/413")
    assert response.status_code == 413
    assert "Berkas atau isian terlalu besar" in response.text and "3 MB" in response.text


async def test_a_chunked_oversized_body_is_cut_off_too(app, client, login_as, users):
    """No Content-Length (chunked upload): only Litestar's limit while reading can stop it.
    Driven through the ASGI interface because test clients always send a length."""
    for method, path, handler in unsafe_routes(app):
        headers = await prepared(client, login_as, users, handler)
        url = fill_path(path, handler)
        limit = get_settings().max_body_bytes
        sent = await post_chunked(
            app,
            method,
            url,
            client,
            limit // len(CHUNK) + 2,
            {"X-CSRFToken": headers["X-CSRFToken"]},
        )
        status = sent.status
        assert status < 500, f"{method} {url} → {status}"
        if handler.name == "ops:probe":  # a handler known to read its form
            assert status == 413


@pytest.mark.parametrize("htmx", [False, True], ids=["form", "htmx"])
async def test_garbage_and_missing_fields_never_cause_a_500(app, client, login_as, users, htmx):
    problems = []
    for method, path, handler in unsafe_routes(app):
        url = fill_path(path, handler)
        for form in GARBAGE_FORMS:
            headers = await prepared(client, login_as, users, handler)
            if htmx:
                headers["HX-Request"] = "true"
            response = await client.request(method, url, data=form, headers=headers)
            if response.status_code >= 500:
                problems.append(describe(method, url, response.status_code, ""))
            if SCRIPT in response.text:
                problems.append(f"{method} {url} echoes markup unescaped")
    assert problems == [], "\n".join(problems)


async def test_wrong_content_types_never_cause_a_500(app, client, login_as, users):
    bodies = [
        ("application/json", b'{"full_name": ["not", "a", "string"], "nik": 3576}'),
        ("application/json", b"{broken json"),
        ("multipart/form-data; boundary=zzz", b"--zzz\r\nbroken"),
        ("multipart/form-data", b"no boundary at all"),
        ("application/x-www-form-urlencoded", b"%ZZ%%=&&==\xff\xfe"),
        ("text/plain", "ÿ\u0000".encode("utf-16")),
    ]
    problems = []
    for method, path, handler in unsafe_routes(app):
        url = fill_path(path, handler)
        for content_type, body in bodies:
            headers = await prepared(client, login_as, users, handler)
            headers["Content-Type"] = content_type
            response = await client.request(method, url, content=body, headers=headers)
            if response.status_code >= 500:
                problems.append(describe(method, url, response.status_code, content_type))
    assert problems == [], "\n".join(problems)


async def test_unsafe_requests_without_csrf_are_refused(app, client, login_as, users):
    for method, path, handler in unsafe_routes(app):
        if handler.opt.get("skip_csrf"):
            continue
        await prepared(client, login_as, users, handler)
        url = fill_path(path, handler)
        response = await client.request(method, url, data={"x": "1"})
        assert response.status_code == 403, describe(method, url, response.status_code, "")

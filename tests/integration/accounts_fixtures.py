"""Helpers for tests that need accounts, CSRF tokens and form posts. Other areas may
import them: ``from tests.integration.accounts_fixtures import make_user, post_form``."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pyotp
from bs4 import BeautifulSoup
from litestar.testing import AsyncTestClient

from portal.accounts_cli import create_account
from portal.tables.accounts import User
from portal.tables.regions import Kecamatan, Village

PASSWORD = "kuda-laut-berenang-pelan-77"
CSRF_COOKIE = "csrftoken"


async def village(code: str = "35.76.01.1007") -> Village:
    """A kelurahan/desa by code (default: Surodinawan, Kota)."""
    return await Village.objects().where(Village.code == code).first()


async def kabupaten_village() -> Village:
    kec = await Kecamatan.objects().where(Kecamatan.code == "35.16.12").first()
    return await Village.objects().where(Village.kecamatan == kec.id).first()


async def make_user(
    username: str,
    role: str = "coordinator",
    *,
    office: str | None = "kota",
    password: str | None = PASSWORD,
    totp: bool | None = None,
    village_row: Village | None = None,
    rw: str | None = None,
    rt: str | None = None,
    phone: str | None = None,
    active: bool = True,
) -> User:
    """An account ready to sign in. Staff and admin get a TOTP secret unless ``totp=False``."""
    extra: dict = {"active": active, "phone": phone}
    if totp is None:
        totp = role in ("staff", "admin")
    if totp:
        extra.update(totp_secret=pyotp.random_base32(), totp_enabled=True)
    if role == "coordinator":
        v = village_row or await village()
        extra.update(
            title="ketua_rt",
            scope_kecamatan=v.kecamatan,
            scope_village=v.id,
            scope_rw=rw,
            scope_rt=rt,
        )
    if role == "admin":
        office = None
    return await create_account(
        role=role,
        username=username,
        full_name=username.replace(".", " ").title(),
        office_slug=office,
        password=password,
        check_password=False,
        **extra,
    )


async def reload(user: User) -> User:
    return await User.objects().where(User.id == user.id).first()


def totp_now(user: User, *, offset_steps: int = 0) -> str:
    totp = pyotp.TOTP(user.totp_secret)
    return totp.at(datetime.now(UTC).timestamp() + 30 * offset_steps)


async def csrf_token(client: AsyncTestClient) -> str:
    """The CSRF cookie value (set on the first GET), which forms echo back."""
    token = client.cookies.get(CSRF_COOKIE)
    if not token:
        await client.get("/masuk")
        token = client.cookies.get(CSRF_COOKIE)
    assert token, "no CSRF cookie was set"
    return token


async def post_form(client: AsyncTestClient, path: str, data: dict | None = None, **kwargs):
    """POST a form the way the browser does: with the hidden CSRF field."""
    payload = {"_csrf_token": await csrf_token(client), **(data or {})}
    return await client.post(path, data=payload, **kwargs)


async def submit_form(
    client: AsyncTestClient, page_path: str, action: str, changes: dict | None = None, **kwargs
):
    """Open ``page_path`` and post its form to ``action`` as a browser would: with what the
    page put in it (hidden fields such as the CSRF token and the version, selected
    options, values) and ``changes`` typed over it."""
    page = BeautifulSoup((await client.get(page_path)).text, "html.parser")
    form = page.find("form", action=action, method="post")
    assert form is not None, f"no form posting to {action} on {page_path}"
    data = {}
    for field in form.select("input[name]"):
        if field.get("type") in ("checkbox", "radio") and not field.has_attr("checked"):
            continue
        data[field["name"]] = field.get("value", "")
    for select in form.select("select[name]"):
        chosen = select.select_one("option[selected]") or select.find("option")
        data[select["name"]] = chosen["value"] if chosen else ""
    data.update(changes or {})
    return await client.post(action, data=data, **kwargs)


async def sign_in_with_form(
    client: AsyncTestClient,
    username: str,
    password: str = PASSWORD,
    next_path: str = "",
    *,
    follow: bool = True,
):
    data = {"username": username, "password": password}
    if next_path:
        data["next"] = next_path
    return await post_form(client, "/masuk", data, follow_redirects=follow)


def signed_in(response) -> bool:
    """A sign-in post that ended in a session: 303 to somewhere other than /masuk…"""
    return response.status_code == 303 and not response.headers["location"].startswith("/masuk")


def activation_link(html: str) -> str:
    """The /aktivasi/… path from a page that shows a freshly issued link."""
    match = re.search(r'value="https?://[^/"]+(/aktivasi/[A-Za-z0-9_\-]+)"', html)
    assert match, "no activation link on the page"
    return match.group(1)


def session_cookie_value(client: AsyncTestClient) -> str | None:
    from portal.auth.sessions import cookie_name

    # login_as sets the cookie without a domain, a response sets it for the host: the jar
    # may hold both; the one set last is the browser's.
    values = [c.value for c in client.cookies.jar if c.name == cookie_name()]
    return values[-1] if values else None

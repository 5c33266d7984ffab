"""Sign-in pages: /masuk (password), /masuk/kode (second factor), /masuk/pasang-2fa
(first-login authenticator set-up), /keluar, /lupa-sandi. The steps are
``portal.accounts.signin``; here they become pages, redirects and cookies."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, TypeVar

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect

from portal.accounts import signin, two_factor
from portal.accounts.web import given, refusal
from portal.auth.challenges import (
    challenge_cookie,
    challenge_cookie_name,
    clearing_challenge_cookie,
    load_challenge,
)
from portal.auth.redirects import after_login, safe_next
from portal.auth.sessions import clearing_cookie, session_cookie, session_token
from portal.domain.actor import Actor
from portal.domain.errors import Conflict, DomainError, Invalid, Throttled
from portal.tables.accounts import LoginChallenge, User
from portal.web import flash
from portal.web.client_ip import client_ip
from portal.web.forms import Limit, Secret, form_of, refill
from portal.web.render import render
from portal.web.urls import url

# PUBLIC_PAGE: public pages without forms (no CSRF cookie is set on them).
# PUBLIC_FORM: public pages that hold a form and the posts of those forms: the CSRF
# middleware issues the token on GET and checks it on POST.
PUBLIC_PAGE = {"public": True, "skip_csrf": True}
PUBLIC_FORM = {"public": True}
# The page of each kind of challenge.
STEPS = {"totp": "accounts:code", "enrol": "accounts:enrol"}

flash.messages(
    {
        "keluar": flash.ok("Anda sudah keluar. Sampai jumpa."),
        "habis": flash.Notice(
            (
                "Waktu untuk memasukkan kode sudah habis atau terlalu banyak kode salah. "
                "Silakan masuk lagi.",
            ),
            "",
        ),
        "berakhir": flash.Notice(("Sesi Anda sudah berakhir. Silakan masuk lagi.",), ""),
    }
)

T = TypeVar("T")


@dataclass
class LoginForm:
    username: Annotated[str, Limit(120)] = ""
    password: Secret = ""
    next: Annotated[str, Limit(500)] = ""


@dataclass
class CodeForm:
    code: Secret = ""
    next: Annotated[str, Limit(500)] = ""


def _home(request: Request, user: User, next_path: str | None) -> str:
    """Where this user goes once signed in: ``next`` if it is safe, else their role's home."""
    return after_login(user, next_path, request.app.route_reverse)


def _next(request: Request, form: LoginForm | CodeForm | None = None) -> str:
    return safe_next(form.next if form else request.query_params.get("next")) or ""


def _login(
    request: Request, form: LoginForm | None = None, exc: DomainError | None = None
) -> Response:
    shown = refusal(exc, "username")
    context = {"values": refill(form) if form else {}, "next": _next(request, form)}
    context.update(shown.context)
    template = "accounts/signin.html"
    return render(request, template, context, status_code=shown.status, headers=shown.headers)


@get("/masuk", opt=PUBLIC_FORM, name="accounts:login")
async def login_page(request: Request) -> Response:
    user = request.scope.get("user")
    if user is not None:
        return Redirect(_home(request, user, request.query_params.get("next")), status_code=303)
    return _login(request)


@post(
    "/masuk",
    opt=PUBLIC_FORM,
    name="accounts:login-submit",
    dependencies={"form": form_of(LoginForm)},
)
async def login_submit(request: Request, form: NamedDependency[LoginForm]) -> Response:
    try:
        user = await signin.check_password(form.username, form.password, client_ip(request))
    except (Invalid, Throttled) as exc:
        return _login(request, form, exc)
    return await after_password(request, user, _next(request, form), method="password")


async def after_password(request: Request, user: User, next_path: str, *, method: str) -> Response:
    """The password is proven: the second factor next, or a session."""
    if not signin.needs_second_factor(user):
        return await complete_login(request, user, next_path, method=method)
    purpose, token = await signin.begin_second_factor(user)
    response = Redirect(url(request, STEPS[purpose], query={"next": next_path}), status_code=303)
    response.set_cookie(challenge_cookie(token, purpose))
    return response


async def _with_session(request: Request, response: Response, user: User, method: str) -> Response:
    token = await signin.open_session(
        user,
        ip=client_ip(request),
        user_agent=request.headers.get("user-agent", ""),
        method=method,
        old_token=session_token(request),
    )
    response.set_cookie(session_cookie(token))
    response.set_cookie(clearing_challenge_cookie())
    return response


async def complete_login(request: Request, user: User, next_path: str, *, method: str) -> Response:
    redirect = Redirect(_home(request, user, next_path), status_code=303)
    return await _with_session(request, redirect, user, method)


def _expired(request: Request) -> Response:
    response = flash.redirect(url(request, "accounts:login"), "habis")
    response.set_cookie(clearing_challenge_cookie())
    return response


async def _challenge(request: Request, purpose: str) -> tuple[LoginChallenge, User] | Response:
    """This browser's live challenge, if it asks for ``purpose``; else where to go."""
    loaded = await load_challenge(request.cookies.get(challenge_cookie_name()))
    if loaded is None:
        return _expired(request)
    if loaded[0].purpose != purpose:
        other = STEPS[loaded[0].purpose]
        return Redirect(url(request, other, query={"next": _next(request)}), status_code=303)
    return loaded


Step = Callable[[LoginChallenge, User, str, str], Awaitable[T]]
Then = Callable[[Request, User, str, T], Awaitable[Response]]


async def _answer(
    request: Request, purpose: str, form: CodeForm, step: Step[T], then: Then[T]
) -> Response:
    """Answer this browser's challenge with the code typed (``step``), then go on with
    what it gave (``then``); or show the step's page with the problem, or go back to the
    password when the challenge is over."""
    loaded = await _challenge(request, purpose)
    if isinstance(loaded, Response):
        return loaded
    next_path = _next(request, form)
    try:
        answer = await step(*loaded, form.code.strip(), client_ip(request))
    except Conflict:
        return _expired(request)
    except (Invalid, Throttled) as exc:
        return SHOW[purpose](request, loaded[1], next_path, exc)
    return await then(request, loaded[1], next_path, answer)


def _code(
    request: Request, user: User, next_path: str = "", exc: DomainError | None = None
) -> Response:
    shown = refusal(exc, "code")
    context = {"next": next_path or _next(request), **shown.context}
    template = "accounts/signin_code.html"
    return render(request, template, context, status_code=shown.status, headers=shown.headers)


def _enrol(
    request: Request, user: User, next_path: str = "", exc: DomainError | None = None
) -> Response:
    shown = refusal(exc, "code")
    context = {**two_factor.enrolment(user.username, user.totp_secret or ""), **shown.context}
    context.update(next=next_path or _next(request), action=url(request, "accounts:enrol-submit"))
    return render(request, "accounts/two_factor.html", context, status_code=shown.status)


SHOW = {"totp": _code, "enrol": _enrol}


async def step_page(request: Request, purpose: NamedDependency[str]) -> Response:
    """The code page (``purpose`` "totp") or the set-up page ("enrol") of the challenge."""
    loaded = await _challenge(request, purpose)
    return loaded if isinstance(loaded, Response) else SHOW[purpose](request, loaded[1])


async def _signed_in(request: Request, user: User, next_path: str, method: str) -> Response:
    if method == "recovery_code":
        next_path = flash.flash_url(url(request, "accounts:profile"), "pemulihan")
    return await complete_login(request, user, next_path, method=method)


async def _enrolled(request: Request, user: User, next_path: str, codes: list[str]) -> Response:
    context = {"codes": codes, "continue_to": _home(request, user, next_path), "first_time": True}
    page = render(request, "accounts/two_factor_codes.html", context)
    return await _with_session(request, page, user, "totp_enrolment")


CODE = {"form": form_of(CodeForm)}
TOTP, ENROL = {"purpose": given("totp")}, {"purpose": given("enrol")}


@post("/masuk/kode", opt=PUBLIC_FORM, name="accounts:code-submit", dependencies=CODE)
async def code_submit(request: Request, form: NamedDependency[CodeForm]) -> Response:
    return await _answer(request, "totp", form, signin.second_factor, _signed_in)


@post("/masuk/pasang-2fa", opt=PUBLIC_FORM, name="accounts:enrol-submit", dependencies=CODE)
async def enrol_submit(request: Request, form: NamedDependency[CodeForm]) -> Response:
    return await _answer(request, "enrol", form, signin.enrol, _enrolled)


@post("/keluar", opt=PUBLIC_FORM, name="accounts:logout")
async def logout(request: Request) -> Response:
    """Public so that a stale tab can always sign out; CSRF still applies (no forced
    sign-out from another site)."""
    user = request.scope.get("user")
    actor = Actor.of(user, client_ip(request)) if user is not None else None
    await signin.sign_out(session_token(request), actor)
    response = flash.redirect(url(request, "accounts:login"), "keluar")
    response.set_cookie(clearing_cookie())
    return response


@get("/lupa-sandi", opt=PUBLIC_PAGE, name="accounts:forgot")
async def forgot_page(request: Request) -> Response:
    return render(request, "accounts/signin_forgot.html")


HANDLERS = [
    login_page,
    login_submit,
    get("/masuk/kode", opt=PUBLIC_FORM, name="accounts:code", dependencies=TOTP)(step_page),
    code_submit,
    get("/masuk/pasang-2fa", opt=PUBLIC_FORM, name="accounts:enrol", dependencies=ENROL)(step_page),
    enrol_submit,
    logout,
    forgot_page,
]

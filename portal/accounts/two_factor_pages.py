"""/akun/2fa…: turning two-step sign-in on (coordinators; staff and admin have it already),
new recovery codes, turning it off again."""

from __future__ import annotations

from dataclasses import dataclass

from litestar import Request, Response, get, post
from litestar.di import NamedDependency

from portal.accounts import two_factor
from portal.accounts.profile_pages import profile_view, to_profile
from portal.auth.sessions import session_token
from portal.domain.errors import Conflict, Forbidden, Invalid, Throttled
from portal.web import flash
from portal.web.deps import CurrentActor, CurrentUser
from portal.web.forms import Secret, form_of
from portal.web.render import render
from portal.web.urls import url


@dataclass
class CodeForm:
    code: Secret = ""


@dataclass
class PasswordForm:
    current_password: Secret = ""


@dataclass
class TurnOffForm:
    off_password: Secret = ""
    off_code: Secret = ""


def _enrol(request: Request, username: str, secret: str, error: str = "") -> Response:
    context = {
        **two_factor.enrolment(username, secret),
        "errors": {"code": error} if error else {},
        "action": url(request, "accounts:two-factor-submit"),
        "first_login": False,
    }
    return render(request, "accounts/two_factor.html", context, status_code=400 if error else 200)


def _codes(request: Request, codes: list[str], *, first_time: bool = False) -> Response:
    context = {
        "codes": codes,
        "continue_to": url(request, "accounts:profile"),
        "first_time": first_time,
    }
    return render(request, "accounts/two_factor_codes.html", context)


@get("/2fa", name="accounts:two-factor")
async def two_factor_page(request: Request, user: CurrentUser) -> Response:
    if user.totp_enabled:
        return to_profile(request)
    return _enrol(request, user.username, await two_factor.start_enrolment(user))


@post("/2fa", name="accounts:two-factor-submit", dependencies={"form": form_of(CodeForm)})
async def two_factor_submit(
    request: Request, user: CurrentUser, actor: CurrentActor, form: NamedDependency[CodeForm]
) -> Response:
    if user.totp_enabled:
        return to_profile(request)
    keep = session_token(request) or ""
    try:
        codes = await two_factor.finish_enrolment(actor, user, form.code.strip(), keep)
    except Conflict:
        return flash.redirect(url(request, "accounts:two-factor"))
    except Invalid as exc:
        return _enrol(request, user.username, user.totp_secret or "", exc.errors["code"])
    return _codes(request, codes, first_time=True)


@post(
    "/kode-pemulihan", name="accounts:recovery-codes", dependencies={"form": form_of(PasswordForm)}
)
async def recovery_codes(
    request: Request, user: CurrentUser, actor: CurrentActor, form: NamedDependency[PasswordForm]
) -> Response:
    if not user.totp_enabled:
        return to_profile(request)
    try:
        codes = await two_factor.renew_recovery_codes(actor, form.current_password)
    except Invalid as exc:
        return await profile_view(request, user, exc)
    return _codes(request, codes)


@post("/2fa/matikan", name="accounts:two-factor-off", dependencies={"form": form_of(TurnOffForm)})
async def two_factor_off(
    request: Request, user: CurrentUser, actor: CurrentActor, form: NamedDependency[TurnOffForm]
) -> Response:
    if not user.totp_enabled:
        return to_profile(request)
    keep = session_token(request) or ""
    try:
        await two_factor.turn_off(actor, user, form.off_password, form.off_code.strip(), keep)
    except (Forbidden, Invalid, Throttled) as exc:
        return await profile_view(request, user, exc, two_factor.OFF_PASSWORD)
    return to_profile(request, "2fa-mati")


HANDLERS = [two_factor_page, two_factor_submit, recovery_codes, two_factor_off]

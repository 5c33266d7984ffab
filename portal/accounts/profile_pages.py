"""/akun: one's own account (details, password, devices); the two-step sign-in forms on
the same page are ``two_factor_pages``."""

from __future__ import annotations

from dataclasses import dataclass

from litestar import Request, Response, get, post
from litestar.di import NamedDependency

from portal.accounts import profile
from portal.accounts.web import refusal
from portal.auth.sessions import session_cookie, session_token
from portal.domain.errors import DomainError, Invalid, Throttled
from portal.tables.accounts import User
from portal.web import flash
from portal.web.deps import CurrentActor, CurrentUser
from portal.web.forms import Secret, form_of
from portal.web.render import render
from portal.web.urls import url

flash.messages(
    {
        "sandi": flash.ok(
            "Kata sandi sudah diganti. Perangkat lain yang masuk dengan akun ini sudah dikeluarkan."
        ),
        "perangkat": flash.ok("Semua perangkat lain sudah dikeluarkan dari akun Anda."),
        "2fa-mati": flash.ok(
            "Verifikasi dua langkah sudah dimatikan: mulai sekarang Anda masuk dengan kata "
            "sandi saja, dan kode pemulihan lama tidak berlaku lagi. Perangkat lain yang masuk "
            "dengan akun ini sudah dikeluarkan."
        ),
        "pemulihan": flash.warn(
            "Anda masuk dengan kode pemulihan. Kode itu tidak bisa dipakai lagi. Jika HP Anda "
            "hilang, buat kode pemulihan baru di bawah dan hubungi admin untuk memasang ulang "
            "aplikasi autentikator."
        ),
    }
)


@dataclass
class PasswordForm:
    current_password: Secret = ""
    password: Secret = ""
    password_confirm: Secret = ""


async def profile_view(
    request: Request, user: User, exc: DomainError | None = None, field: str = ""
) -> Response:
    """/akun, also as the answer to its forms that went wrong (``field``: where a wait
    is shown)."""
    shown = refusal(exc, field)
    context = await profile.account_view(user, session_token(request))
    context.update(shown.context)
    return render(request, "accounts/profile.html", context, status_code=shown.status)


def to_profile(request: Request, code: str | None = None) -> Response:
    return flash.redirect(url(request, "accounts:profile"), code)


@get("/", name="accounts:profile")
async def profile_page(request: Request, user: CurrentUser) -> Response:
    return await profile_view(request, user)


def _password(request: Request, exc: DomainError | None = None) -> Response:
    shown = refusal(exc, "current_password")
    template = "accounts/profile_password.html"
    return render(request, template, shown.context, status_code=shown.status)


@get("/sandi", name="accounts:password")
async def password_page(request: Request) -> Response:
    return _password(request)


@post("/sandi", name="accounts:password-submit", dependencies={"form": form_of(PasswordForm)})
async def password_submit(
    request: Request, user: CurrentUser, actor: CurrentActor, form: NamedDependency[PasswordForm]
) -> Response:
    agent = request.headers.get("user-agent", "")
    typed = (form.current_password, form.password, form.password_confirm)
    try:
        token = await profile.change_password(actor, user, *typed, user_agent=agent)
    except (Invalid, Throttled) as exc:
        return _password(request, exc)
    response = to_profile(request, "sandi")
    response.set_cookie(session_cookie(token))
    return response


@post("/keluar-perangkat-lain", name="accounts:sign-out-elsewhere")
async def sign_out_elsewhere(request: Request, actor: CurrentActor) -> Response:
    await profile.sign_out_elsewhere(actor, session_token(request) or "")
    return to_profile(request, "perangkat")


HANDLERS = [profile_page, password_page, password_submit, sign_out_elsewhere]

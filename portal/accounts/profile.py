"""/akun: the signed-in person's own account: details, password, two-factor sign-in,
recovery codes and devices (sessions)."""

from __future__ import annotations

from litestar import Request, Response, get, post

from portal.accounts.pages import form_secret, page, see_other
from portal.accounts.passwords import check_current_password, new_password_problems
from portal.audit import record
from portal.auth import totp
from portal.auth.guards import require_signed_in
from portal.auth.passwords import hash_password
from portal.auth.scope import fk_id
from portal.auth.sessions import (
    bump_auth_version,
    end_other_sessions,
    hash_token,
    session_token,
    start_session,
)
from portal.tables.accounts import User, UserSession
from portal.tables.regions import Office
from portal.web.client_ip import client_ip

GUARD = {"guards": [require_signed_in]}
NOTICES = {
    "sandi": (
        "Kata sandi sudah diganti. Perangkat lain yang masuk dengan akun ini sudah dikeluarkan.",
        "ok",
    ),
    "perangkat": ("Semua perangkat lain sudah dikeluarkan dari akun Anda.", "ok"),
    "pemulihan": (
        "Anda masuk dengan kode pemulihan. Kode itu tidak bisa dipakai lagi. Jika HP Anda "
        "hilang, buat kode pemulihan baru di bawah dan hubungi admin untuk memasang ulang "
        "aplikasi autentikator.",
        "warn",
    ),
}


async def _account_context(user: User) -> dict:
    row = (
        await User.select(
            User.all_columns(exclude=[User.password_hash, User.totp_secret]),
            User.scope_village.name.as_alias("village_name"),
            User.scope_kecamatan.name.as_alias("kecamatan_name"),
        )
        .where(User.id == user.id)
        .first()
    )
    office = None
    if fk_id(user.office):
        office = await Office.select(Office.name).where(Office.id == fk_id(user.office)).first()
    sessions = (
        await UserSession.select(
            UserSession.id,
            UserSession.token_hash,
            UserSession.created_at,
            UserSession.last_seen_at,
            UserSession.ip,
            UserSession.user_agent,
        )
        .where(UserSession.user == user.id)
        .order_by(UserSession.last_seen_at, ascending=False)
    )
    return {
        "account": row,
        "office": office,
        "sessions": sessions,
        "recovery_left": await totp.remaining_recovery_codes(user.id),
    }


@get("/akun", **GUARD)
async def account_page(request: Request) -> Response:
    user: User = request.scope["user"]
    context = await _account_context(user)
    token = session_token(request) or ""
    context["current_hash"] = hash_token(token)
    text, kind = NOTICES.get(request.query_params.get("pesan", ""), ("", ""))
    context.update(notice=text, notice_kind=kind)
    return page(request, "accounts/account.html", context)


@get("/akun/sandi", **GUARD)
async def password_form(request: Request) -> Response:
    return page(request, "accounts/change_password.html", {"errors": {}})


@post("/akun/sandi", **GUARD)
async def password_submit(request: Request) -> Response:
    user: User = request.scope["user"]
    form = await request.form()
    current = form_secret(form, "current_password")
    new = form_secret(form, "password")
    confirm = form_secret(form, "password_confirm")
    errors = await check_current_password(request, user, current)
    if not errors:
        errors = await new_password_problems(user, new, confirm)
    if not errors and new == current:
        errors = {"password": "Kata sandi baru harus berbeda dari kata sandi sekarang"}
    if errors:
        status = 429 if "tunggu" in errors.get("current_password", "") else 400
        return page(request, "accounts/change_password.html", {"errors": errors}, status=status)
    await User.update({User.password_hash: await hash_password(new)}).where(User.id == user.id)
    # Every session ends (someone who knew the old password is out), then this browser
    # gets a new one: a new session id after a credential change.
    await bump_auth_version(user.id)
    fresh = await User.objects().where(User.id == user.id).first()
    cookie = await start_session(
        fresh, ip=client_ip(request), user_agent=request.headers.get("user-agent", "")
    )
    await record(
        "account.password_changed", connection=request, object_type="user", object_id=user.id
    )
    return see_other("/akun?pesan=sandi", cookies=[cookie])


@get("/akun/2fa", **GUARD)
async def two_factor_form(request: Request) -> Response:
    """Coordinators turn two-factor sign-in on here (staff and admin have it already)."""
    user: User = request.scope["user"]
    if user.totp_enabled:
        return see_other("/akun")
    secret = totp.new_secret()
    await User.update({User.totp_secret: secret, User.totp_last_step: None}).where(
        User.id == user.id
    )
    return _two_factor_page(request, user.username, secret)


def _two_factor_page(request: Request, username: str, secret: str, *, error: str = ""):
    return page(
        request,
        "accounts/enrol.html",
        {
            "qr": totp.qr_svg_data_uri(totp.provisioning_uri(username, secret)),
            "secret": totp.grouped_secret(secret),
            "errors": {"code": error} if error else {},
            "action": "/akun/2fa",
            "first_login": False,
        },
        status=400 if error else 200,
    )


@post("/akun/2fa", **GUARD)
async def two_factor_submit(request: Request) -> Response:
    user: User = request.scope["user"]
    if user.totp_enabled:
        return see_other("/akun")
    fresh = await User.objects().where(User.id == user.id).first()
    if not fresh.totp_secret:
        return see_other("/akun/2fa")
    form = await request.form()
    code = form_secret(form, "code").strip()
    if not await totp.accept_code(fresh, code):
        error = (
            "Masukkan kode 6 angka dari aplikasi" if not code else "Kode salah. Coba kode terbaru"
        )
        return _two_factor_page(request, fresh.username, fresh.totp_secret, error=error)
    await User.update({User.totp_enabled: True}).where(User.id == user.id)
    codes = await totp.new_recovery_codes(user.id)
    await end_other_sessions(user.id, session_token(request) or "")
    await record("totp.enabled", connection=request, object_type="user", object_id=user.id)
    return page(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "continue_to": "/akun", "first_time": True},
    )


@post("/akun/kode-pemulihan", **GUARD)
async def new_recovery_codes(request: Request) -> Response:
    user: User = request.scope["user"]
    if not user.totp_enabled:
        return see_other("/akun")
    form = await request.form()
    errors = await check_current_password(request, user, form_secret(form, "current_password"))
    if errors:
        context = await _account_context(user)
        context.update(errors=errors, current_hash="")
        return page(request, "accounts/account.html", context, status=400)
    codes = await totp.new_recovery_codes(user.id)
    await record(
        "totp.recovery_codes_renewed", connection=request, object_type="user", object_id=user.id
    )
    return page(request, "accounts/recovery_codes.html", {"codes": codes, "continue_to": "/akun"})


@post("/akun/keluar-perangkat-lain", **GUARD)
async def sign_out_elsewhere(request: Request) -> Response:
    user: User = request.scope["user"]
    ended = await end_other_sessions(user.id, session_token(request) or "")
    await record(
        "sessions.ended_elsewhere",
        connection=request,
        object_type="user",
        object_id=user.id,
        detail={"sessions": ended},
    )
    return see_other("/akun?pesan=perangkat")


PROFILE_ROUTES = [
    account_page,
    password_form,
    password_submit,
    two_factor_form,
    two_factor_submit,
    new_recovery_codes,
    sign_out_elsewhere,
]

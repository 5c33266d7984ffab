"""/akun: the signed-in person's own account: details, password, two-factor sign-in,
recovery codes and devices (sessions)."""

from __future__ import annotations

from litestar import Request, Response, get, post

from portal.accounts.pages import form_secret, page, see_other
from portal.accounts.passwords import check_current_password, new_password_problems
from portal.accounts.signin import TWO_FACTOR_ROLES
from portal.audit import record
from portal.auth import totp
from portal.auth.guards import require_signed_in
from portal.auth.passwords import hash_password, verify_password
from portal.auth.scope import fk_id
from portal.auth.sessions import (
    bump_auth_version,
    end_other_sessions,
    hash_token,
    session_token,
    start_session,
)
from portal.auth.throttle import account_key, audit_refusal, check, note_attempt, wait_message
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
    "2fa-mati": (
        "Verifikasi dua langkah sudah dimatikan: mulai sekarang Anda masuk dengan kata sandi "
        "saja, dan kode pemulihan lama tidak berlaku lagi. Perangkat lain yang masuk dengan "
        "akun ini sudah dikeluarkan.",
        "ok",
    ),
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
        # Why the "turn it off" form is missing, for those sign-in requires it of.
        "two_factor_required": TWO_FACTOR_REQUIRED if user.role in TWO_FACTOR_ROLES else "",
    }


async def _account_page(
    request: Request,
    *,
    errors: dict[str, str] | None = None,
    notice: tuple[str, str] = ("", ""),
    status: int = 200,
) -> Response:
    context = await _account_context(request.scope["user"])
    context.update(
        current_hash=hash_token(session_token(request) or ""),
        errors=errors or {},
        notice=notice[0],
        notice_kind=notice[1],
    )
    return page(request, "accounts/account.html", context, status=status)


@get("/akun", **GUARD)
async def account_page(request: Request) -> Response:
    notice = NOTICES.get(request.query_params.get("pesan", ""), ("", ""))
    return await _account_page(request, notice=notice)


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
        return await _account_page(request, errors=errors, status=400)
    codes = await totp.new_recovery_codes(user.id)
    await record(
        "totp.recovery_codes_renewed", connection=request, object_type="user", object_id=user.id
    )
    return page(request, "accounts/recovery_codes.html", {"codes": codes, "continue_to": "/akun"})


OFF_PASSWORD = "off_password"  # noqa: S105 (a field name, not a secret)
OFF_CODE = "off_code"
TWO_FACTOR_REQUIRED = (
    "Petugas dan admin wajib memakai verifikasi dua langkah, jadi tidak bisa dimatikan. "
    "Jika HP Anda hilang, minta admin membuat tautan atur ulang kata sandi: setelah itu "
    "aplikasi autentikator dipasang ulang."
)


async def _check_both_factors(
    request: Request, user: User, password: str, code: str
) -> tuple[dict[str, str], bool]:
    """The current password and a current code (TOTP, or one recovery code as at sign-in),
    counted as ONE attempt in the sign-in throttle that fails unless both are right. With
    check_current_password first, every right password would be a success that resets the
    account's failure count, and codes could be guessed without ever being throttled.
    Answers (errors by field, whether the throttle refused the attempt)."""
    errors: dict[str, str] = {}
    if not password:
        errors[OFF_PASSWORD] = "Masukkan kata sandi Anda sekarang"
    if not code:
        errors[OFF_CODE] = "Masukkan kode 6 angka dari aplikasi autentikator"
    if errors:
        return errors, False
    ip, key = client_ip(request), account_key(user.id, "")
    verdict = await check(ip, key)
    if verdict.wait:
        await audit_refusal(request, verdict, user, stage="two_factor_off")
        return {OFF_PASSWORD: wait_message(verdict.wait)}, True
    fresh = await User.objects().where(User.id == user.id).first()
    if not await verify_password(fresh.password_hash, password):
        # The code is not tried (nor its time step used up) without the right password.
        errors[OFF_PASSWORD] = "Kata sandi sekarang salah"
    elif totp.looks_like_recovery_code(code):
        if not await totp.use_recovery_code(user.id, code):
            errors[OFF_CODE] = "Kode pemulihan salah atau sudah pernah dipakai"
    elif not await totp.accept_code(fresh, code):
        errors[OFF_CODE] = "Kode salah atau sudah kedaluwarsa. Lihat kode terbaru di aplikasi Anda"
    await note_attempt(ip, key, success=not errors)
    return errors, False


@post("/akun/2fa/matikan", **GUARD)
async def two_factor_off(request: Request) -> Response:
    """Coordinators may turn two-factor sign-in off again; staff and admin may not (sign-in
    requires it of them: TWO_FACTOR_ROLES)."""
    user: User = request.scope["user"]
    if not user.totp_enabled:
        return see_other("/akun")
    if user.role in TWO_FACTOR_ROLES:
        return await _account_page(request, notice=(TWO_FACTOR_REQUIRED, "warn"), status=403)
    form = await request.form()
    errors, throttled = await _check_both_factors(
        request, user, form_secret(form, OFF_PASSWORD), form_secret(form, OFF_CODE).strip()
    )
    if errors:
        return await _account_page(request, errors=errors, status=429 if throttled else 400)
    await totp.disable_two_factor(user.id)
    # Whoever signed in elsewhere with the second factor now has a session that no longer
    # needed it: every other session ends, this one stays.
    ended = await end_other_sessions(user.id, session_token(request) or "")
    await record(
        "totp.disabled",
        connection=request,
        object_type="user",
        object_id=user.id,
        detail={"sessions_ended": ended},
    )
    return see_other("/akun?pesan=2fa-mati")


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
    two_factor_off,
    sign_out_elsewhere,
]

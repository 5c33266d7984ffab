"""Sign-in (/masuk), the second factor, first-login authenticator set-up, sign-out.

Order of a sign-in: throttle check → password (same cost whether or not the account
exists) → for staff, admin and coordinators who turned it on: a login challenge (no session
yet) → TOTP or recovery code → a new session (new id: rotation) → ``next`` or role home.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode

from litestar import Request, Response, get, post

from portal.accounts.pages import (
    PUBLIC_FORM,
    PUBLIC_PAGE,
    form_secret,
    form_text,
    page,
    see_other,
)
from portal.audit import record
from portal.auth import totp
from portal.auth.challenges import (
    MAX_ATTEMPTS,
    clearing_challenge_cookie,
    count_wrong_answer,
    finish_challenge,
    load_challenge,
    start_challenge,
)
from portal.auth.passwords import hash_password, needs_rehash, verify_password
from portal.auth.redirects import after_login, safe_next
from portal.auth.scope import fk_id
from portal.auth.sessions import (
    clearing_cookie,
    delete_expired_sessions,
    end_session,
    session_token,
    start_session,
)
from portal.auth.throttle import account_key, audit_refusal, check, note_attempt, wait_message
from portal.rules.phone import PhoneError, normalise_phone
from portal.tables.accounts import User
from portal.web.client_ip import client_ip

WRONG_LOGIN = "Nama pengguna/nomor HP atau kata sandi salah"
WRONG_CODE = "Kode salah atau sudah kedaluwarsa. Lihat kode terbaru di aplikasi Anda"
TWO_FACTOR_ROLES = ("staff", "admin")
NOTICES = {
    "keluar": "Anda sudah keluar. Sampai jumpa.",
    "habis": "Waktu untuk memasukkan kode sudah habis atau terlalu banyak kode salah. "
    "Silakan masuk lagi.",
    "berakhir": "Sesi Anda sudah berakhir. Silakan masuk lagi.",
}


def needs_second_factor(user: User) -> bool:
    return user.role in TWO_FACTOR_ROLES or bool(user.totp_enabled)


async def find_login_user(login: str) -> tuple[User | None, str]:
    """The account a sign-in name points to (username or phone number) and the name in
    normalised form (for throttling)."""
    name = login.strip().lower()
    if name[:1] in "+0123456789" and any(c.isdigit() for c in name):
        try:
            phone = normalise_phone(name)
        except PhoneError:
            phone = None
        if phone:
            user = await User.objects().where(User.phone == phone).first()
            if user is not None:
                return user, phone
    return await User.objects().where(User.username == name).first(), name


def _login_page(
    request: Request, *, status: int = 200, headers: dict | None = None, **context
) -> Response:
    context.setdefault("values", {})
    context.setdefault("errors", {})
    context.setdefault("next", safe_next(request.query_params.get("next")) or "")
    return page(request, "accounts/login.html", context, status=status, headers=headers)


@get("/masuk", opt=PUBLIC_FORM, name="login")
async def login_form(request: Request) -> Response:
    if request.scope.get("user") is not None:
        return see_other(after_login(request.scope["user"], request.query_params.get("next")))
    notice = NOTICES.get(request.query_params.get("pesan", ""), "")
    return _login_page(request, notice=notice)


@post("/masuk", opt=PUBLIC_FORM)
async def login_submit(request: Request) -> Response:
    form = await request.form()
    login = form_text(form, "username", 120)
    password = form_secret(form, "password")
    next_path = safe_next(form_text(form, "next", 500)) or ""
    values = {"username": login}
    errors = {}
    if not login:
        errors["username"] = "Masukkan nama pengguna atau nomor HP"
    if not password:
        errors["password"] = "Masukkan kata sandi"  # noqa: S105 (a message, not a secret)
    if errors:
        return _login_page(request, status=400, values=values, errors=errors, next=next_path)

    ip = client_ip(request)
    user, login_name = await find_login_user(login)
    key = account_key(user.id if user else None, login_name)
    verdict = await check(ip, key)
    wait = verdict.wait
    if wait:
        await audit_refusal(request, verdict, user, stage="sign_in")
        return _login_page(
            request,
            status=429,
            values=values,
            errors={"username": wait_message(wait)},
            next=next_path,
            headers={"Retry-After": str(wait)},
        )
    usable = user is not None and user.active and user.password_hash
    # An unknown or unusable account still costs one argon2 verification (a dummy hash):
    # the response time does not tell whether the name exists.
    ok = await verify_password(user.password_hash if usable else None, password)
    await note_attempt(ip, key, success=ok)
    if not ok:
        # The actor is unknown (whoever typed); the account, when it exists, is the object
        # and its office's staff see the entry.
        await record(
            "login.failed",
            connection=request,
            actor_name=user.username if user else "",
            office_id=fk_id(user.office) if user else None,
            object_type="user" if user else "",
            object_id=user.id if user else "",
            detail={"reason": "wrong_password" if usable else "unknown_or_inactive"},
        )
        return _login_page(
            request,
            status=400,
            values=values,
            errors={"password": WRONG_LOGIN},
            next=next_path,
        )
    if needs_rehash(user.password_hash):
        await User.update({User.password_hash: await hash_password(password)}).where(
            User.id == user.id
        )
    if needs_second_factor(user):
        return await begin_second_factor(user, next_path)
    return await complete_login(request, user, next_path, method="password")


async def begin_second_factor(user: User, next_path: str) -> Response:
    """Password proven: ask for a code, or for staff/admin without an authenticator yet,
    set one up first. No session exists until then."""
    query = "?" + urlencode({"next": next_path}) if next_path else ""
    if user.totp_enabled and user.totp_secret:
        cookie = await start_challenge(user, "totp")
        return see_other("/masuk/kode" + query, cookies=[cookie])
    # A new secret for every set-up attempt: a QR code seen in an abandoned attempt is
    # worthless afterwards.
    await User.update(
        {User.totp_secret: totp.new_secret(), User.totp_enabled: False, User.totp_last_step: None}
    ).where(User.id == user.id)
    cookie = await start_challenge(user, "enrol")
    return see_other("/masuk/pasang-2fa" + query, cookies=[cookie])


async def complete_login(
    request: Request, user: User, next_path: str | None, *, method: str
) -> Response:
    response = see_other(after_login(user, next_path))
    await _open_session(request, user, response, method=method)
    return response


async def _open_session(request: Request, user: User, response: Response, *, method: str):
    # Any session this browser already had ends: the new one gets a new id (no fixation).
    old = session_token(request)
    if old:
        await end_session(old)
    cookie = await start_session(
        user, ip=client_ip(request), user_agent=request.headers.get("user-agent", "")
    )
    await User.update({User.last_login_at: datetime.now(UTC)}).where(User.id == user.id)
    await delete_expired_sessions()  # housekeeping: sessions nobody came back to
    await record(
        "login.success",
        connection=request,
        actor=user,
        object_type="user",
        object_id=user.id,
        detail={"method": method},
    )
    response.set_cookie(cookie)
    response.set_cookie(clearing_challenge_cookie())


def _expired() -> Response:
    return see_other("/masuk?pesan=habis", cookies=[clearing_challenge_cookie()])


@get("/masuk/kode", opt=PUBLIC_FORM)
async def code_form(request: Request) -> Response:
    loaded = await load_challenge(request)
    if loaded is None:
        return _expired()
    challenge, _ = loaded
    if challenge.purpose == "enrol":
        return see_other("/masuk/pasang-2fa?" + urlencode(request.query_params.dict()))
    return _code_page(request)


def _code_page(
    request: Request,
    *,
    status: int = 200,
    error: str = "",
    headers: dict | None = None,
    **extra,
) -> Response:
    context = {
        "next": safe_next(request.query_params.get("next")) or "",
        "errors": {"code": error} if error else {},
        **extra,
    }
    return page(request, "accounts/login_code.html", context, status=status, headers=headers)


@post("/masuk/kode", opt=PUBLIC_FORM)
async def code_submit(request: Request) -> Response:
    loaded = await load_challenge(request)
    if loaded is None:
        return _expired()
    challenge, user = loaded
    if challenge.purpose != "totp":
        return see_other("/masuk/pasang-2fa")
    form = await request.form()
    code = form_secret(form, "code").strip()
    next_path = safe_next(form_text(form, "next", 500)) or ""
    if not code:
        return _code_page(request, status=400, error="Masukkan kode", next=next_path)
    ip, key = "", account_key(user.id, "")
    verdict = await check(ip, key)
    wait = verdict.wait
    if wait:
        await audit_refusal(request, verdict, user, stage="second_factor")
        return _code_page(
            request,
            status=429,
            error=wait_message(wait),
            next=next_path,
            headers={"Retry-After": str(wait)},
        )
    method = "recovery_code" if totp.looks_like_recovery_code(code) else "totp"
    if method == "totp":
        ok = await totp.accept_code(user, code)
    else:
        ok = await totp.use_recovery_code(user.id, code)
    await note_attempt(ip, key, success=ok)
    if not ok:
        await record(
            "login.failed",
            connection=request,
            actor_name=user.username,
            office_id=fk_id(user.office),
            object_type="user",
            object_id=user.id,
            detail={"reason": f"wrong_{method}"},
        )
        if not await count_wrong_answer(challenge):
            return _expired()
        left = MAX_ATTEMPTS - challenge.attempts - 1
        return _code_page(
            request, status=400, error=f"{WRONG_CODE} (sisa {left} kali)", next=next_path
        )
    if not await finish_challenge(challenge):
        return _expired()  # the same challenge was answered by a parallel request
    if method == "recovery_code":
        left = await totp.remaining_recovery_codes(user.id)
        await record(
            "totp.recovery_code_used",
            connection=request,
            actor=user,
            object_type="user",
            object_id=user.id,
            detail={"remaining": left},
        )
        return await complete_login(request, user, "/akun?pesan=pemulihan", method=method)
    return await complete_login(request, user, next_path, method=method)


@get("/masuk/pasang-2fa", opt=PUBLIC_FORM)
async def enrol_form(request: Request) -> Response:
    loaded = await load_challenge(request)
    if loaded is None:
        return _expired()
    challenge, user = loaded
    if challenge.purpose != "enrol":
        return see_other("/masuk/kode?" + urlencode(request.query_params.dict()))
    return _enrol_page(request, user)


def _enrol_page(request: Request, user: User, *, status: int = 200, error: str = "", **extra):
    uri = totp.provisioning_uri(user.username, user.totp_secret or "")
    context = {
        "qr": totp.qr_svg_data_uri(uri),
        "secret": totp.grouped_secret(user.totp_secret or ""),
        "next": safe_next(request.query_params.get("next")) or "",
        "errors": {"code": error} if error else {},
        "action": "/masuk/pasang-2fa",
        **extra,
    }
    return page(request, "accounts/enrol.html", context, status=status)


@post("/masuk/pasang-2fa", opt=PUBLIC_FORM)
async def enrol_submit(request: Request) -> Response:
    loaded = await load_challenge(request)
    if loaded is None:
        return _expired()
    challenge, user = loaded
    if challenge.purpose != "enrol":
        return see_other("/masuk/kode")
    form = await request.form()
    code = form_secret(form, "code").strip()
    next_path = safe_next(form_text(form, "next", 500)) or ""
    if not await totp.accept_code(user, code):
        if not await count_wrong_answer(challenge):
            return _expired()
        message = "Masukkan kode 6 angka dari aplikasi" if not code else WRONG_CODE
        return _enrol_page(request, user, status=400, error=message, next=next_path)
    if not await finish_challenge(challenge):
        return _expired()
    await User.update({User.totp_enabled: True}).where(User.id == user.id)
    codes = await totp.new_recovery_codes(user.id)
    await record(
        "totp.enabled", connection=request, actor=user, object_type="user", object_id=user.id
    )
    response = page(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "continue_to": after_login(user, next_path), "first_time": True},
    )
    await _open_session(request, user, response, method="totp_enrolment")
    return response


@post("/keluar", opt=PUBLIC_FORM)
async def logout(request: Request) -> Response:
    """Public so that a stale tab can always sign out; CSRF still applies (no forced
    sign-out from another site)."""
    token = session_token(request)
    user = request.scope.get("user")
    if token:
        await end_session(token)
    if user is not None:
        await record("logout", connection=request, object_type="user", object_id=user.id)
    return see_other("/masuk?pesan=keluar", cookies=[clearing_cookie()])


@get("/lupa-sandi", opt=PUBLIC_PAGE)
async def forgot_password(request: Request) -> Response:
    return page(request, "accounts/forgot.html")


SIGNIN_ROUTES = [
    login_form,
    login_submit,
    code_form,
    code_submit,
    enrol_form,
    enrol_submit,
    logout,
    forgot_password,
]

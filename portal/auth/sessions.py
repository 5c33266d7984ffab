"""Server-side sessions in the ``user_session`` table.

Why not Litestar's ServerSideSessionConfig: it writes (a null cookie and a store delete) on
every anonymous request and cannot find a user's sessions to revoke them. Why not
piccolo-api's SessionsBase: it stores the raw token and naive local timestamps. Here the
cookie holds a random token, the table only its SHA-256, each session knows its user (so
deactivation deletes them all at once) and the ``auth_version`` of the user it was created
for (so a change of role or scope ends it). Anonymous requests never touch the table.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from piccolo.columns import ForeignKey
from piccolo.table import Table

from portal import db
from portal.settings import Settings, get_settings
from portal.tables.accounts import User, UserSession

log = logging.getLogger("portal.auth")

TOUCH_EVERY = timedelta(seconds=60)


def cookie_name(settings: Settings | None = None) -> str:
    settings = settings or get_settings()
    # The __Host- prefix pins the cookie to this host, path / and HTTPS.
    return "__Host-portal_session" if settings.production else "portal_session"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def now() -> datetime:
    return datetime.now(UTC)


def lifetimes(user: User, settings: Settings | None = None) -> tuple[timedelta, timedelta]:
    """(idle timeout, absolute lifetime) for this user's role."""
    s = settings or get_settings()
    if user.role == "coordinator":
        return timedelta(minutes=s.coordinator_idle_minutes), timedelta(
            hours=s.coordinator_lifetime_hours
        )
    return timedelta(minutes=s.staff_idle_minutes), timedelta(hours=s.staff_lifetime_hours)


def session_cookie(token: str, max_age: int | None = None) -> Cookie:
    settings = get_settings()
    return Cookie(
        key=cookie_name(settings),
        value=token,
        path="/",
        httponly=True,
        secure=settings.production,
        samesite="lax",
        max_age=max_age,
    )


def clearing_cookie() -> Cookie:
    return session_cookie("", max_age=0)


async def start_session(user: User, *, ip: str = "", user_agent: str = "") -> Cookie:
    """Create a fresh session (a new id every login: rotation) and return its cookie."""
    return session_cookie(await create_session(user, ip=ip, user_agent=user_agent))


async def create_session(user: User, *, ip: str = "", user_agent: str = "") -> str:
    """Create a fresh session and return its token (for ``session_cookie``): services
    call this inside their transaction, handlers turn the token into the cookie."""
    idle, lifetime = lifetimes(user)
    token = secrets.token_urlsafe(32)
    moment = now()
    await UserSession(
        token_hash=hash_token(token),
        user=user.id,
        auth_version=user.auth_version,
        created_at=moment,
        last_seen_at=moment,
        idle_seconds=int(idle.total_seconds()),
        expires_at=moment + lifetime,
        ip=ip[:45],
        user_agent=user_agent[:200],
    ).save()
    return token


async def end_session(token: str) -> None:
    await UserSession.delete().where(UserSession.token_hash == hash_token(token))


async def end_all_sessions(user_id: int) -> None:
    await UserSession.delete().where(UserSession.user == user_id)


async def end_other_sessions(user_id: int, keep_token: str) -> int:
    """ "Sign out everywhere else": every session of the user but the current one."""
    others = await UserSession.select(UserSession.id).where(
        (UserSession.user == user_id) & (UserSession.token_hash != hash_token(keep_token))
    )
    if others:
        await UserSession.delete().where(UserSession.id.is_in([r["id"] for r in others]))
    return len(others)


async def bump_auth_version(user_id: int) -> None:
    """A change of role, scope or credentials: every existing session of the user stops
    being valid at once (the middleware compares versions), and new ones get new ids."""
    await User.update({User.auth_version: User.auth_version + 1}).where(User.id == user_id)
    await end_all_sessions(user_id)


async def delete_expired_sessions() -> None:
    """Housekeeping for sessions nobody came back to (a visit would delete them anyway)."""
    await UserSession.delete().where(UserSession.expires_at < now())


def session_token(connection: ASGIConnection) -> str | None:
    """The raw session token of a request, for sign-out."""
    return connection.cookies.get(cookie_name()) or None


TokenRow = TypeVar("TokenRow", bound=Table)


async def by_token(table: type[TokenRow], token: str) -> TokenRow | None:
    """The row of ``table`` (a session or a login challenge) that holds this token's hash,
    with its user joined."""
    column = table._meta.get_column_by_name("token_hash")
    user = table._meta.get_column_by_name("user")
    assert isinstance(user, ForeignKey)
    return await table.objects(user).where(column == hash_token(token)).first()


async def load_session(token: str) -> tuple[UserSession, User] | None:
    session = await by_token(UserSession, token)
    if session is None:
        return None
    user: User = session.user
    moment = now()
    expired = (
        moment >= session.expires_at
        or moment - session.last_seen_at >= timedelta(seconds=session.idle_seconds)
        or not user.active
        or session.auth_version != user.auth_version
    )
    if expired:
        await UserSession.delete().where(UserSession.id == session.id)
        return None
    if moment - session.last_seen_at >= TOUCH_EVERY:
        await UserSession.update({UserSession.last_seen_at: moment}).where(
            UserSession.id == session.id
        )
    return session, user


def session_middleware(app: ASGIApp) -> ASGIApp:
    """Puts the signed-in ``User`` (or None) in ``scope["user"]``; authenticated
    responses get ``Cache-Control: no-store``; a dead session's cookie is cleared."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        scope["user"] = None
        token = _read_cookie(scope)
        clear = False
        if token:
            try:
                loaded = await load_session(token)
            except db.UNAVAILABLE_ERRORS as exc:
                # Tell the app the database is down, so the route's DB guard answers the
                # 503 page; otherwise a signed-in visitor would be sent to the login page.
                from portal.piccolo_conf import DB

                db.report_failure(scope["app"].state.db_state, DB, exc)
                loaded, token = None, None
            if loaded:
                scope["user"] = loaded[1]
            elif token:
                clear = True

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableScopeHeaders.from_message(message)
                if scope.get("user") is not None or token:
                    headers["Cache-Control"] = "no-store"
                if clear:
                    headers.add("Set-Cookie", clearing_cookie().to_header(header=""))
            await send(message)

        await app(scope, receive, send_wrapper)

    return middleware


def _read_cookie(scope: Scope) -> str | None:
    name = cookie_name().encode()
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            for part in value.split(b";"):
                k, _, v = part.strip().partition(b"=")
                if k == name and v:
                    return v.decode("latin-1")
    return None

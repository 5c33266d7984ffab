"""Sign-in throttling in the ``login_attempt`` table, so every worker process (and every
server behind the load balancer) counts the same attempts.

Two limits:
- per client address: at most ``login_attempts_per_minute`` attempts in any 60 seconds
  (slows password spraying from one place across many accounts);
- per account: after ``login_failures_per_hour`` failures within an hour (since the last
  success), each further attempt must wait a delay that doubles with every failure: 1, 2,
  4 … minutes, at most an hour (slows guessing one account from many places).

The account key is the user's id when the name typed belongs to an account, else the
normalised name itself, so unknown and known names are throttled alike and the answer does
not tell which exists.

A refused attempt is written to the audit log ("login.throttled") once per *episode*, not
once per refused request: someone hammering a locked account or address would otherwise
fill the append-only audit table at request speed, and the entries after the first tell
nothing new. An episode is one limit holding one address or account back since the last
attempt that limit let through (refused attempts are not counted, so that attempt's time
stays the same until the wait is over); the first refused request of an episode claims it
in ``throttle_notice`` (a unique row, so parallel requests from other workers cannot both
write), and only that request writes the entry. A new episode starts only after an attempt
was let through again, so the entries are bounded by the attempts the limits allow.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from piccolo.custom_types import Combinable

from portal.domain import audit
from portal.domain.actor import Actor, fk_id
from portal.domain.errors import Throttled
from portal.domain.transactions import write_transaction
from portal.settings import get_settings
from portal.tables.accounts import LoginAttempt, ThrottleNotice, User

WINDOW_IP = timedelta(minutes=1)
WINDOW_ACCOUNT = timedelta(hours=1)
FIRST_DELAY = timedelta(minutes=1)
MAX_DELAY = timedelta(hours=1)
KEEP = timedelta(days=2)


def _now() -> datetime:
    return datetime.now(UTC)


def account_key(user_id: int | None, login_name: str) -> str:
    return f"user:{user_id}" if user_id is not None else f"name:{login_name[:110]}"


@dataclass(frozen=True)
class Verdict:
    """What the throttle says about one attempt."""

    wait: int  # seconds to wait before another attempt; 0: go ahead
    # (limit, episode) for each limit holding the attempt back: "address" or "account",
    # and what identifies this episode of it (see the module docstring).
    episodes: tuple[tuple[str, str], ...] = ()


async def check(ip: str, key: str, *, moment: datetime | None = None) -> Verdict:
    """May this client try this account now? ``ip`` empty: a second-factor attempt,
    limited per account only (its challenge allows few tries, and colleagues behind one
    office NAT must not lock each other out)."""
    settings = get_settings()
    moment = moment or _now()
    waits = [0.0]
    episodes: list[tuple[str, str]] = []

    since = moment - WINDOW_IP
    recent = 0
    if ip:
        recent = await LoginAttempt.count().where(
            (LoginAttempt.ip == ip) & (LoginAttempt.at > since)
        )
    if recent >= settings.login_attempts_per_minute:
        first = await _first_at((LoginAttempt.ip == ip) & (LoginAttempt.at > since)) or moment
        waits.append((first + WINDOW_IP - moment).total_seconds())
        last = await _first_at(LoginAttempt.ip == ip, latest=True) or moment
        episodes.append(("address", f"address|{ip}|{last.isoformat()}"))

    start = moment - WINDOW_ACCOUNT
    last_ok = await _first_at(
        (LoginAttempt.account == key) & (LoginAttempt.success.eq(True)), latest=True
    )
    if last_ok is not None:
        start = max(start, last_ok)
    failures = await LoginAttempt.count().where(
        (LoginAttempt.account == key) & (LoginAttempt.success.eq(False)) & (LoginAttempt.at > start)
    )
    over = failures - settings.login_failures_per_hour
    if over >= 0:
        delay = min(FIRST_DELAY * (2**over), MAX_DELAY)
        latest = (
            await _first_at(
                (LoginAttempt.account == key) & (LoginAttempt.success.eq(False)), latest=True
            )
            or moment
        )
        wait = (latest + delay - moment).total_seconds()
        waits.append(wait)
        if wait > 0:
            episodes.append(("account", f"account|{key}|{latest.isoformat()}"))
    return Verdict(max(0, math.ceil(max(waits))), tuple(episodes))


async def _first_at(where: Combinable, *, latest: bool = False) -> datetime | None:
    row = (
        await LoginAttempt.select(LoginAttempt.at)
        .where(where)
        .order_by(LoginAttempt.at, ascending=not latest)
        .first()
    )
    return row["at"] if row else None


async def note_attempt(ip: str, key: str, *, success: bool) -> None:
    """Count an attempt: ``ip`` for a password attempt, "" for a second-factor code."""
    await LoginAttempt(at=_now(), ip=ip, account=key, success=success).save()
    # Occasional housekeeping instead of a scheduler: rows older than every window go.
    if secrets.randbelow(50) == 0:
        await LoginAttempt.delete().where(LoginAttempt.at < _now() - KEEP)
        await ThrottleNotice.delete().where(ThrottleNotice.at < _now() - KEEP)


async def _claim(episode: str) -> bool:
    """True for the one request that first claims this episode, in any worker process."""
    digest = hashlib.sha256(episode.encode()).hexdigest()
    claimed = (
        await ThrottleNotice.insert(ThrottleNotice(episode_hash=digest, at=_now()))
        .on_conflict(action="DO NOTHING")
        .returning(ThrottleNotice.id)
    )
    return bool(claimed)


async def hold_back(ip: str, key: str, user: User | None, *, stage: str, who: Actor) -> None:
    """Raise ``Throttled`` when a limit holds this attempt back (see ``check``); the first
    refusal of an episode is written to the audit log. ``who``: the signed-in person, or
    the visitor (no user, their address) on the sign-in pages."""
    verdict = await check(ip, key)
    if verdict.wait:
        await audit_refusal(who, verdict, user, stage=stage)
        raise Throttled(wait_message(verdict.wait), verdict.wait)


async def audit_refusal(who: Actor, verdict: Verdict, user: User | None, *, stage: str) -> None:
    """Write "login.throttled" for each limit whose episode this refusal is the first of,
    in the transaction that claims the episode. ``stage``: what was refused (sign_in,
    second_factor, current_password, two_factor_off)."""
    for limit, episode in verdict.episodes:
        async with write_transaction():
            if await _claim(episode):
                detail = {"limit": limit, "stage": stage, "retry_after": verdict.wait}
                await audit_attempt(who, "login.throttled", user, detail)


async def audit_attempt(who: Actor, action: str, user: User | None, detail: dict) -> None:
    """The audit line of a refused or failed attempt on an account ("login.throttled",
    "login.failed"), inside the transaction that counts or claims it. The account, when the
    name belongs to one, is the object (its office's staff see the entry) and its username
    the name; a name that belongs to no account is not stored (it may be a password typed
    into the wrong field)."""
    await audit.record(
        who,
        action,
        actor_name=user.username if user else "",
        office_id=fk_id(user.office) if user else None,
        object_type="user" if user else "",
        object_id=user.id if user else "",
        detail=detail,
    )


def wait_message(seconds: int) -> str:
    """Indonesian, and the same whether or not the account exists."""
    when = f"{seconds} detik" if seconds < 60 else f"{(seconds + 59) // 60} menit"
    return (
        f"Terlalu banyak percobaan masuk. Demi keamanan, tunggu {when} lalu coba lagi. "
        "Jika Anda lupa kata sandi, hubungi petugas Dispendukcapil."
    )

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
"""

from __future__ import annotations

import math
import secrets
from datetime import UTC, datetime, timedelta

from portal.settings import get_settings
from portal.tables.accounts import LoginAttempt

WINDOW_IP = timedelta(minutes=1)
WINDOW_ACCOUNT = timedelta(hours=1)
FIRST_DELAY = timedelta(minutes=1)
MAX_DELAY = timedelta(hours=1)
KEEP = timedelta(days=2)


def _now() -> datetime:
    return datetime.now(UTC)


def account_key(user_id: int | None, login_name: str) -> str:
    return f"user:{user_id}" if user_id is not None else f"name:{login_name[:110]}"


async def retry_after(ip: str, key: str, *, moment: datetime | None = None) -> int:
    """Seconds this client must wait before another attempt on this account; 0: go ahead.
    ``ip`` empty: a second-factor attempt, limited per account only (its challenge allows
    few tries, and colleagues behind one office NAT must not lock each other out)."""
    settings = get_settings()
    moment = moment or _now()
    waits = [0.0]

    since = moment - WINDOW_IP
    recent = 0
    if ip:
        recent = await LoginAttempt.count().where(
            (LoginAttempt.ip == ip) & (LoginAttempt.at > since)
        )
    if recent >= settings.login_attempts_per_minute:
        first = await _first_at((LoginAttempt.ip == ip) & (LoginAttempt.at > since))
        waits.append((first + WINDOW_IP - moment).total_seconds())

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
        latest = await _first_at(
            (LoginAttempt.account == key) & (LoginAttempt.success.eq(False)), latest=True
        )
        waits.append((latest + delay - moment).total_seconds())
    return max(0, math.ceil(max(waits)))


async def _first_at(where, *, latest: bool = False) -> datetime | None:
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


def wait_message(seconds: int) -> str:
    """Indonesian, and the same whether or not the account exists."""
    when = f"{seconds} detik" if seconds < 60 else f"{(seconds + 59) // 60} menit"
    return (
        f"Terlalu banyak percobaan masuk. Demi keamanan, tunggu {when} lalu coba lagi. "
        "Jika Anda lupa kata sandi, hubungi petugas Dispendukcapil."
    )

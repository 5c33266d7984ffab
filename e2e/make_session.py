"""Create a signed-in session for a demo account and print its cookie value.

Browser tests of an area use it to start signed in without walking the sign-in form (which
has browser tests of its own). Runs in the server's environment (same database):
``python -m e2e.make_session USERNAME``.
"""

from __future__ import annotations

import asyncio
import sys


async def main(username: str) -> None:
    from portal.auth.sessions import start_session
    from portal.tables.accounts import User

    user = await User.objects().where(User.username == username).first()
    if user is None:
        raise SystemExit(f"no such user: {username}")
    cookie = await start_session(user)
    print(cookie.value)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))

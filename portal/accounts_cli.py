"""Account creation shared by the CLI and the demo loader."""

from __future__ import annotations

from datetime import UTC, datetime

from portal.auth.passwords import hash_password
from portal.tables.accounts import User
from portal.tables.regions import Office


async def create_account(
    *,
    role: str,
    username: str,
    full_name: str,
    office_slug: str | None,
    password: str | None,
    check_password: bool = True,
    **extra,
) -> User:
    from portal.rules.passwords import password_problems

    username = username.strip().lower()
    if not username:
        raise ValueError("Username is required.")
    if await User.exists().where(User.username == username):
        raise ValueError(f"User {username!r} already exists.")
    office_id = None
    if role != "admin":
        if office_slug is None:
            raise ValueError("--office is required for staff and coordinators.")
        office = await Office.objects().where(Office.slug == office_slug).first()
        if office is None:
            raise ValueError(f"Unknown office {office_slug!r}; run `portal demo-data` first.")
        office_id = office.id
    if password is not None and check_password:
        from portal.domain.regions import local_words

        extra_words = [*await local_words(), full_name]
        problems = password_problems(password, username=username, extra_words=extra_words)
        if problems:
            raise ValueError(" ".join(problems))
    user = User(
        username=username,
        full_name=full_name,
        role=role,
        office=office_id,
        password_hash=await hash_password(password) if password else None,
        created_at=datetime.now(UTC),
        **extra,
    )
    await user.save()
    return user


async def create_user_command(
    role: str, username: str, full_name: str, office: str | None, password: str
) -> str:
    if role == "coordinator":
        # A coordinator needs a village/RW/RT scope, chosen from the region lists.
        raise ValueError(
            "Create coordinators in the portal: /petugas/koordinator/baru (staff or admin)."
        )
    user = await create_account(
        role=role, username=username, full_name=full_name, office_slug=office, password=password
    )
    note = ""
    if role in ("admin", "staff"):
        note = " Two-factor sign-in will be set up at the first login."
    return f"Created {role} {user.username}.{note}"

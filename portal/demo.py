"""`portal demo-data`: reference content, demo jemput bola sessions and demo accounts.

Development only (the CLI refuses in production). Idempotent: existing rows are kept, so a
second run changes nothing and prints the same logins.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pyotp

from portal import demo_office_list
from portal.accounts_cli import create_account
from portal.content.load import bump_revision, load_content, seed_row
from portal.content.seed import Seed, load_seed
from portal.demo_cards import load_cards_demo
from portal.demo_kits import load_kits_demo
from portal.tables.accounts import User
from portal.tables.locations import Location
from portal.tables.outreach import OutreachArea, OutreachSession
from portal.tables.regions import Kecamatan, Office, Village


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str
    office: str | None
    password: str
    title: str = ""
    village: str | None = None  # village code of a coordinator's scope
    rw: str | None = None
    rt: str | None = None


DEMO_ACCOUNTS = (
    DemoAccount("admin", "Admin Portal", "admin", None, "contoh-sandi-admin-berkas-7"),
    DemoAccount(
        "petugas.kota",
        "Petugas Dispendukcapil Kota",
        "staff",
        "kota",
        "contoh-sandi-petugas-kota-4",
    ),
    DemoAccount(
        "petugas.kab",
        "Petugas Dispendukcapil Kabupaten",
        "staff",
        "kabupaten",
        "contoh-sandi-petugas-kab-9",
    ),
    DemoAccount(
        "rt03.surodinawan",
        "Bu Sri (Ketua RT 03 Surodinawan)",
        "coordinator",
        "kota",
        "contoh-sandi-koordinator-1",
        "ketua_rt",
        "35.76.01.1007",
        "02",
        "03",
    ),
    DemoAccount(
        "pkk.wates",
        "Bu Lilik (Kader PKK Wates)",
        "coordinator",
        "kota",
        "contoh-sandi-koordinator-2",
        "kader_pkk",
        "35.76.02.1010",
        None,
        None,
    ),
    DemoAccount(
        "rw01.trowulan",
        "Pak Hadi (Ketua RW 01 Trowulan)",
        "coordinator",
        "kabupaten",
        "contoh-sandi-koordinator-3",
        "ketua_rw",
        None,
        "01",
        None,
    ),
    DemoAccount(
        "rt05.mojosari",
        "Pak Yanto (Ketua RT 05 Mojosari)",
        "coordinator",
        "kabupaten",
        "contoh-sandi-koordinator-4",
        "ketua_rt",
        None,
        "02",
        "05",
    ),
)

# Kabupaten demo coordinators are scoped by village name (codes differ per desa).
_KAB_VILLAGES = {"rw01.trowulan": ("35.16.12", "Trowulan"), "rt05.mojosari": ("35.16.08", None)}


async def load_demo(today: datetime | None = None) -> list[str]:
    seed = load_seed()
    await load_content(seed)
    await _demo_sessions(seed, (today or datetime.now(UTC)).date())
    await load_kits_demo((today or datetime.now(UTC)).date())
    lines = await _demo_accounts()
    await demo_office_list.load()
    await load_cards_demo((today or datetime.now(UTC)).date())
    return lines


async def _demo_sessions(seed: Seed, today) -> None:
    offices = {r["slug"]: r["id"] for r in await Office.select(Office.slug, Office.id)}
    locations = {r["slug"]: r["id"] for r in await Location.select(Location.slug, Location.id)}
    known = {r["title"] for r in await OutreachSession.select(OutreachSession.title)}
    added = False
    for s in seed.demo_sessions:
        if s.title in known:
            continue
        row = seed_row(
            OutreachSession,
            s,
            office=offices[s.office],
            location=locations.get(s.location or ""),
            day=s.day(today),
            updated_at=datetime.now(UTC),
        )
        await row.save()
        if s.serves:
            await OutreachArea.insert(
                *[OutreachArea(session=row.id, region_code=code) for code in s.serves]
            )
        added = True
    if added:
        await bump_revision()


async def _village_for(account: DemoAccount) -> Village | None:
    if account.village:
        return await Village.objects().where(Village.code == account.village).first()
    kec_code, name = _KAB_VILLAGES[account.username]
    kec = await Kecamatan.objects().where(Kecamatan.code == kec_code).first()
    if kec is None:
        raise LookupError(f"kecamatan {kec_code} is not loaded (portal demo-data loads it)")
    query = Village.objects().where(Village.kecamatan == kec.id).order_by(Village.code)
    if name:
        query = query.where(Village.name == name)
    return await query.first()


async def _demo_accounts() -> list[str]:
    lines = []
    for account in DEMO_ACCOUNTS:
        user = await User.objects().where(User.username == account.username).first()
        if user is None:
            extra: dict = {}
            if account.role in ("admin", "staff"):
                extra = {"totp_secret": pyotp.random_base32(), "totp_enabled": True}
            if account.role == "coordinator":
                village = await _village_for(account)
                if village is None:
                    raise LookupError(f"no village for the demo account {account.username}")
                extra = {
                    "title": account.title,
                    "scope_kecamatan": village.kecamatan,
                    "scope_village": village.id,
                    "scope_rw": account.rw,
                    "scope_rt": account.rt,
                }
            user = await create_account(
                role=account.role,
                username=account.username,
                full_name=account.full_name,
                office_slug=account.office,
                password=account.password,
                check_password=False,
                **extra,
            )
        line = f"{account.role:<11} {account.username:<18} sandi: {account.password}"
        if user.totp_secret and user.totp_enabled:
            line += f"  TOTP secret: {user.totp_secret}"
        lines.append(line)
    return lines

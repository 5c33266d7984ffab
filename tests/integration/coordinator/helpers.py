"""Helpers for coordinator-area integration tests: accounts with a scope, CSRF-aware posts,
lists built through the real routes."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from bs4 import BeautifulSoup

from portal.tables.accounts import User
from portal.tables.regions import Office, Village

SURODINAWAN = "35.76.01.1007"
WATES = "35.76.02.1010"
UUID_IN_URL = re.compile(r"/koordinator/daftar/([0-9a-f-]{36})")


async def make_coordinator(
    username: str, village_code: str = SURODINAWAN, rw: str | None = "02", rt: str | None = "03"
) -> User:
    village = await Village.objects().where(Village.code == village_code).first()
    office_slug = "kota" if village_code.startswith("35.76") else "kabupaten"
    office = await Office.objects().where(Office.slug == office_slug).first()
    user = User(
        username=username,
        full_name=f"Koordinator {username}",
        role="coordinator",
        office=office.id,
        title="ketua_rt",
        scope_kecamatan=village.kecamatan,
        scope_village=village.id,
        scope_rw=rw,
        scope_rt=rt,
        created_at=datetime.now(UTC),
    )
    await user.save()
    return user


async def make_staff(username: str = "petugas") -> User:
    office = await Office.objects().where(Office.slug == "kota").first()
    user = User(
        username=username,
        full_name="Petugas",
        role="staff",
        office=office.id,
        created_at=datetime.now(UTC),
    )
    await user.save()
    return user


class Browser:
    """The test client with the CSRF cookie fetched once and sent as the header."""

    def __init__(self, client):
        self.client = client

    async def csrf(self) -> str:
        token = self.client.cookies.get("csrftoken")
        if not token:
            await self.client.get("/koordinator")
            token = self.client.cookies.get("csrftoken")
        return token

    async def get(self, path: str, **kwargs):
        return await self.client.get(path, **kwargs)

    async def post(self, path: str, data: dict | None = None, *, htmx: bool = False, **kwargs):
        headers = {"x-csrftoken": await self.csrf(), **kwargs.pop("headers", {})}
        if htmx:
            headers["HX-Request"] = "true"
        kwargs.setdefault("follow_redirects", False)
        return await self.client.post(path, data=data or {}, headers=headers, **kwargs)

    async def new_list(self, **fields) -> str:
        """Create a list through the form; returns its URL."""
        response = await self.post(
            "/koordinator/daftar/baru", {"_token": fields.pop("_token", "tok-" + _uid()), **fields}
        )
        assert response.status_code == 303, response.text
        return response.headers["location"].split("?")[0]

    async def add(self, list_url: str, **fields):
        data = {"_token": "row-" + _uid(), "sex": "", "category": "", **fields}
        return await self.post(list_url + "/warga", data)


_counter = [0]


def _uid() -> str:
    _counter[0] += 1
    return f"{datetime.now(UTC).timestamp()}-{_counter[0]}"


def page(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def resident_fields(name: str = "Budi Santoso", **overrides) -> dict:
    fields = {
        "full_name": name,
        "nik": "",
        "dob_day": "17",
        "dob_month": "8",
        "dob_year": "1990",
        "sex": "L",
        "address": "Jl. Mawar 5",
        "rt": "03",
        "rw": "02",
        "phone": "",
        "category": "",
        "note": "",
    }
    fields.update(overrides)
    return fields

"""What people do on the portal, driven through its real HTML forms (as a browser without
JavaScript would): the flows the load and reliability scripts repeat.

Forms are found by their action and submitted with every hidden field they carry (CSRF
token, one-time form tokens), so the flows follow the pages as they change.
"""

from __future__ import annotations

import random
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent  # the repository

FIRST = ["Siti", "Budi", "Ani", "Eko", "Dewi", "Agus", "Rina", "Joko", "Tri", "Nur", "Wahyu"]
LAST = ["Aminah", "Santoso", "Lestari", "Prasetyo", "Wulandari", "Hidayat", "Saputra", "Rahayu"]


class FlowError(RuntimeError):
    """A page did not look as the flow expected (not a server error: see `status`)."""

    def __init__(self, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.status = status


def session_cookie(env: dict[str, str], username: str) -> str:
    """A signed-in session for a demo account, made in the server's database."""
    return subprocess.run(
        [sys.executable, "-m", "e2e.make_session", username],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.strip()


def find_form(html: str, action_suffix: str) -> tuple[str, dict[str, str | None]]:
    """(action, hidden fields) of the first form whose action ends with ``action_suffix``.
    The hidden fields dict also lists the form's other field names (value None)."""
    page = BeautifulSoup(html, "html.parser")
    for form in page.find_all("form"):
        action = form.get("action") or ""
        if urlsplit(action).path.endswith(action_suffix):
            fields: dict = {
                f["name"]: None
                for f in form.find_all(["input", "select", "textarea"])
                if f.get("name")
            }
            fields.update(
                {
                    i["name"]: i.get("value", "")
                    for i in form.find_all("input", attrs={"type": "hidden"})
                    if i.get("name")
                }
            )
            return action, fields
    raise FlowError(f"no form ending in {action_suffix!r} on the page")


def page_errors(html: str) -> list[str]:
    page = BeautifulSoup(html, "html.parser")
    return [e.get_text(" ", strip=True) for e in page.select(".error-message")]


def hidden_of(fields: dict) -> dict[str, str]:
    return {k: v for k, v in fields.items() if v is not None}


def resident_fields(rng: random.Random, n: int) -> dict[str, str]:
    year = rng.randint(1950, 2000)
    return {
        # Unique names: the duplicate check must not hold a list back.
        "full_name": f"{rng.choice(FIRST)} {rng.choice(LAST)} {rng.randrange(10**6)} {n}",
        "dob_day": str(rng.randint(1, 28)),
        "dob_month": str(rng.randint(1, 12)),
        "dob_year": str(year),
        "sex": rng.choice("LP"),
        "category": "dewasa",
        "address": f"Jl. Uji No. {n}",
        # Used when the coordinator's scope does not fix them (a PKK cadre, an RW head).
        "rw": "01",
        "rt": f"{rng.randint(1, 9):02d}",
    }


@dataclass
class Submission:
    list_url: str = ""
    residents: int = 0
    acknowledged: bool = False
    statuses: list[int] = field(default_factory=list)


class Coordinator:
    """One signed-in coordinator with their own HTTP client (cookie jar)."""

    def __init__(self, base_url: str, session: str, *, seed: int = 0) -> None:
        self.client = httpx.AsyncClient(
            base_url=base_url,
            cookies={"portal_session": session},
            timeout=15,
            follow_redirects=False,
        )
        self.rng = random.Random(seed)

    async def close(self) -> None:
        await self.client.aclose()

    async def _page(self, url: str, sub: Submission) -> str:
        response = await self.client.get(url)
        sub.statuses.append(response.status_code)
        if response.status_code != 200:
            raise FlowError(f"GET {url} → {response.status_code}", response.status_code)
        return response.text

    async def _post(self, action: str, data: dict[str, str], sub: Submission) -> httpx.Response:
        # As htmx does (hx-headers on <body>): the CSRF token also goes in a header, so a
        # form whose hidden token field came out empty still posts.
        token = self.client.cookies.get("csrftoken", "")
        response = await self.client.post(action, data=data, headers={"X-CSRFToken": token})
        sub.statuses.append(response.status_code)
        return response

    async def create_list(self, sub: Submission, title: str) -> str:
        html = await self._page("/koordinator/daftar/baru", sub)
        action, fields = find_form(html, "/daftar/baru")
        response = await self._post(action, {**hidden_of(fields), "title": title}, sub)
        if response.status_code != 303:
            raise FlowError(f"create list → {response.status_code}", response.status_code)
        return urlsplit(urljoin("/", response.headers["location"])).path

    async def add_resident(self, sub: Submission, list_url: str, n: int) -> None:
        html = await self._page(list_url, sub)
        action, fields = find_form(html, "/warga")
        # Only the fields this form asks for: when the coordinator's scope fixes RW/RT they
        # come as hidden fields, kept as they are.
        values = {
            k: v for k, v in resident_fields(self.rng, n).items() if fields.get(k, "") is None
        }
        response = await self._post(action, {**hidden_of(fields), **values}, sub)
        if response.status_code != 303:
            raise FlowError(
                f"add resident → {response.status_code}: {page_errors(response.text)}",
                response.status_code,
            )

    async def submit_form(self, sub: Submission, list_url: str) -> tuple[str, dict[str, str]]:
        html = await self._page(list_url, sub)
        return find_form(html, "/kirim")

    async def submit_list(self, residents: int, title: str) -> Submission:
        """Create a list, add residents, submit it. `acknowledged` is True only when the
        server answered the submit with its success redirect."""
        sub = Submission()
        sub.list_url = await self.create_list(sub, title)
        for n in range(residents):
            await self.add_resident(sub, sub.list_url, n)
        action, fields = await self.submit_form(sub, sub.list_url)
        response = await self._post(action, hidden_of(fields), sub)
        sub.residents = residents
        sub.acknowledged = response.status_code == 303
        return sub


def list_id_of(list_url: str) -> str:
    return list_url.rstrip("/").rsplit("/", 1)[-1]

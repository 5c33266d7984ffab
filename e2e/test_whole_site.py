"""Whole-site quality gate: one crawl of every page a public visitor, a coordinator, a
staff officer and an admin can reach by following links, on a 360 px phone.

Each page must answer 200, show no console error, pass axe-core with zero violations and fit
the screen without sideways scrolling; the HTML the server sent must pass the Nu HTML Checker
(all pages in one JVM run). The crawl follows links rather than a fixed list, so pages added
later are checked without anyone remembering to list them.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Browser

from e2e.conftest import PHONE, ROOT
from e2e.quality import assert_valid_html, axe_violations, describe_violations

# Links that end a session, download a file or change state on GET are not pages.
SKIP_SUFFIXES = (".ics", ".csv", ".xlsx", ".txt", ".svg", ".js", ".css")
SKIP_PREFIXES = ("/keluar", "/static/", "/metrics")
MAX_PAGES_PER_ROLE = 150
PER_FAMILY = 4

# The innermost elements sticking out past the viewport, to say what to fix.
WIDEST_ELEMENTS = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1
    && ![...e.children].some(c => c.getBoundingClientRect().right
      > document.documentElement.clientWidth + 1))
  .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
    + (e.className ? '.' + String(e.className).split(' ').join('.') : ''))"""

ROLES = [
    ("publik", None, ["/"]),
    ("koordinator", "rt03.surodinawan", ["/koordinator", "/akun"]),
    ("petugas", "petugas.kota", ["/petugas"]),
    # Admin pages (accounts of staff and admins, role changes, the full audit log) are
    # linked only for admin.
    ("admin", "admin", ["/admin"]),
]
# The admin also reaches the whole staff area, which the petugas crawl already checks: the
# admin crawl keeps to the pages an admin sees differently (both offices, role links).
ONLY = {"admin": ("/admin", "/petugas/koordinator")}


def _seed_some_residents(server) -> int:
    """A submitted list of rt03.surodinawan, two of its residents on a session's roster and
    residents elsewhere give the coordinator and staff pages rows, details and charts.
    Returns the id of the session with the roster."""
    subprocess.run(
        [sys.executable, "-m", "e2e.add_residents"],
        env=server.env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=120,
    )
    done = subprocess.run(
        [sys.executable, "-m", "e2e.gate_data"],
        env=server.env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return int(done.stdout.strip())


def _page_key(url: str) -> str:
    # One visit per path: filter and paging variants of a page share its template.
    return urlsplit(url).path


def _shape(path: str) -> str:
    """The page's family: /petugas/warga/12 and /lokasi/kota-mpp are instances of
    /petugas/warga/<n> and /lokasi/<slug>; a few instances of each family are enough."""
    shape = re.sub(r"/\d+(?=/|$)", "/<n>", path.rstrip("/") or "/")
    shape = re.sub(r"/[0-9a-f]{8}-[0-9a-f-]{27}(?=/|$)", "/<uuid>", shape)
    head, _, last = shape.rpartition("/")
    return f"{head}/<slug>" if head and "-" in last else shape


def _post_forms_without_token(html: str) -> list[str]:
    """Every POST form must carry a non-empty token: htmx sends it as a header, but without
    JavaScript only the hidden field gets the form through the CSRF check."""
    page = BeautifulSoup(html, "html.parser")
    return [
        form.get("action", "?")
        for form in page.select("form")
        if form.get("method", "get").lower() == "post"
        and not ((field := form.select_one("input[name=_csrf_token]")) and field.get("value"))
    ]


def _crawl(
    browser: Browser,
    server,
    username: str | None,
    starts: list[str],
    only: tuple[str, ...] | None = None,
):
    context = browser.new_context(viewport=PHONE, locale="id-ID", timezone_id="Asia/Jakarta")
    if username:
        context.add_cookies([server.session_cookie(username)])
    page = context.new_page()
    console_errors: list[str] = []
    page.on(
        "console",
        lambda msg: (
            console_errors.append(f"{page.url}: {msg.text}") if msg.type == "error" else None
        ),
    )
    page.on("pageerror", lambda exc: console_errors.append(f"{page.url}: {exc}"))
    seen: set[str] = set()
    families: dict[str, int] = {}
    queue = deque(server.url + start for start in starts)
    problems: list[str] = []
    documents: dict[str, str] = {}
    while queue and len(seen) < MAX_PAGES_PER_ROLE:
        url = queue.popleft()
        key = _page_key(url)
        if key in seen or families.get(_shape(key), 0) >= PER_FAMILY:
            continue
        seen.add(key)
        families[_shape(key)] = families.get(_shape(key), 0) + 1
        response = page.goto(url)
        if response is None or response.status != 200:
            problems.append(f"{url}: status {response.status if response else 'none'}")
            continue
        violations = axe_violations(page)
        if violations:
            problems.append(f"{url}: axe\n{describe_violations(violations)}")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 0:
            culprits = page.evaluate(WIDEST_ELEMENTS)
            problems.append(f"{url}: scrolls sideways by {overflow}px at 360 px: {culprits}")
        html = context.request.get(url).text()
        documents[key] = html
        for action in _post_forms_without_token(html):
            problems.append(f"{url}: POST form to {action} has no CSRF token (403 without JS)")
        for href in page.eval_on_selector_all(
            "a[href]:not([download])", "els => els.map(e => e.getAttribute('href'))"
        ):
            target = urljoin(url, href)
            parts = urlsplit(target)
            if parts.netloc != urlsplit(server.url).netloc or parts.scheme != "http":
                continue
            if parts.path.startswith(SKIP_PREFIXES) or parts.path.endswith(SKIP_SUFFIXES):
                continue
            if only and not parts.path.startswith(only):
                continue
            if _page_key(target) not in seen:
                queue.append(target.split("#")[0])
    context.close()
    return seen, problems, console_errors, documents


@pytest.fixture(scope="module")
def seeded(server) -> int:
    return _seed_some_residents(server)


@pytest.mark.parametrize(("role", "username", "starts"), ROLES, ids=[r[0] for r in ROLES])
def test_every_reachable_page_passes_the_quality_gate(
    browser, server, seeded, role, username, starts
):
    if role == "petugas":
        starts = [*starts, f"/petugas/jadwal/{seeded}"]  # a roster with people on it
    seen, problems, console_errors, documents = _crawl(
        browser, server, username, starts, ONLY.get(role)
    )
    assert len(seen) >= 3, f"the {role} crawl found only {sorted(seen)}"
    assert not problems, "\n".join(problems)
    assert not console_errors, "console errors:\n" + "\n".join(console_errors)
    assert_valid_html(documents)
    print(f"\n{role}: {len(seen)} pages checked: {' '.join(sorted(seen))}")

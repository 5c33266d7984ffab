"""Two `portal serve` processes, one PostgreSQL: sessions, CSRF tokens, one-time form
tokens and the concurrent-edit conflict hold across processes (nothing lives in one
process's memory). Requests alternate between the two servers."""

from __future__ import annotations

import asyncio
import re

import httpx
import pytest

from tests.flows import (
    Coordinator,
    Submission,
    find_form,
    hidden_of,
    list_id_of,
    session_cookie,
)
from tests.portalserver import PortalServer
from tests.reliability.conftest import require_routes

CREATE = "/koordinator/daftar/baru"
SUBMIT = "/koordinator/daftar/{list_id:str}/kirim"
STAFF_ACTION = "/petugas/warga/{rid:int}/{action:str}"


@pytest.fixture
def two_servers(dev_site):
    pg, env = dev_site
    with PortalServer(env) as a, PortalServer(env) as b:
        a.wait_for("/readyz", 200, timeout=20)
        b.wait_for("/readyz", 200, timeout=20)
        yield pg, env, a, b


def browser(session: str) -> httpx.AsyncClient:
    """One cookie jar for both servers, as a browser behind a load balancer has: both
    listen on 127.0.0.1, and cookies do not depend on the port."""
    return httpx.AsyncClient(cookies={"portal_session": session}, timeout=15)


async def post_form(
    client: httpx.AsyncClient, server: PortalServer, action: str, data: dict
) -> httpx.Response:
    # Also in a header, as htmx sends it (hx-headers on <body>).
    token = client.cookies.get("csrftoken", "")
    return await client.post(server.url + action, data=data, headers={"X-CSRFToken": token})


def count(pg, sql: str) -> int:
    return int(pg.psql(sql, "portal"))


def test_a_session_and_its_csrf_token_work_on_both_processes_and_sign_out_ends_both(
    two_servers,
):
    require_routes(CREATE, "/keluar")
    pg, env, a, b = two_servers
    session = session_cookie(env, "rt03.surodinawan")

    async def run() -> None:
        async with browser(session) as client:
            assert (await client.get(a.url + "/koordinator/")).status_code == 200
            assert (await client.get(b.url + "/koordinator/")).status_code == 200
            # A form served by A (its CSRF cookie and field), posted to B.
            form = await client.get(a.url + CREATE)
            action, fields = find_form(form.text, "/daftar/baru")
            data = {**hidden_of(fields), "title": "Lintas proses"}
            created = await post_form(client, b, action, data)
            assert created.status_code == 303, created.text[:500]
            # Signing out on B ends the session on A as well.
            page = await client.get(b.url + "/koordinator/")
            action, fields = find_form(page.text, "/keluar")
            assert (await post_form(client, b, action, hidden_of(fields))).status_code == 303
            client.cookies.set("portal_session", session)  # the cookie a thief would keep
            after = await client.get(a.url + "/koordinator/")
            assert after.status_code == 303 and "/masuk" in after.headers["location"]

    asyncio.run(run())
    assert count(pg, "SELECT count(*) FROM resident_list WHERE title = 'Lintas proses'") == 1


def test_ten_identical_submissions_across_processes_store_one(two_servers):
    require_routes(CREATE, SUBMIT)
    pg, env, a, b = two_servers
    session = session_cookie(env, "rt03.surodinawan")
    servers = (a, b) * 5

    async def run() -> str:
        async with browser(session) as client:
            form = await client.get(a.url + CREATE)
            action, fields = find_form(form.text, "/daftar/baru")
            data = {**hidden_of(fields), "title": "Sekali saja"}
            created = await asyncio.gather(*(post_form(client, s, action, data) for s in servers))
            assert {r.status_code for r in created} == {303}
            list_url = httpx.URL(created[0].headers["location"]).path
            assert {r.headers["location"] for r in created} == {created[0].headers["location"]}
            # The same one-time token with another body, on the other process, is refused:
            # no second list, the first not overwritten, and the refusal links to it.
            again = await post_form(client, b, action, {**data, "title": "Lain"})
            assert again.status_code == 409
            assert f'href="{list_url}"' in again.text

            coordinator = Coordinator(a.url, session)
            try:
                await coordinator.add_resident(Submission(), list_url, 0)
            finally:
                await coordinator.close()
            page = await client.get(a.url + list_url)
            submit_action, submit_fields = find_form(page.text, "/kirim")
            submitted = await asyncio.gather(
                *(post_form(client, s, submit_action, hidden_of(submit_fields)) for s in servers)
            )
            codes = [r.status_code for r in submitted]
            assert set(codes) <= {303, 409} and 303 in codes, codes
            return list_id_of(list_url)

    public_id = asyncio.run(run())
    where = f"public_id = '{public_id}'"
    assert (
        count(pg, "SELECT count(*) FROM resident_list WHERE title IN ('Sekali saja', 'Lain')") == 1
    )
    assert pg.psql(f"SELECT state || title FROM resident_list WHERE {where}", "portal") == (
        "submittedSekali saja"
    )
    assert (
        count(
            pg,
            "SELECT count(*) FROM audit_entry "
            f"WHERE action = 'list.submit' AND object_id = '{public_id}'",
        )
        == 1
    )
    assert (
        count(
            pg,
            "SELECT count(*) FROM resident r JOIN resident_list l ON l.id = r.resident_list "
            f"WHERE l.{where} AND r.status = 'diterima'",
        )
        == 1
    )


def test_two_staff_changing_one_resident_on_two_processes_get_a_conflict(two_servers):
    require_routes(CREATE, SUBMIT, STAFF_ACTION)
    pg, env, a, b = two_servers
    coordinator_session = session_cookie(env, "rt03.surodinawan")
    staff_sessions = [session_cookie(env, "petugas.kota") for _ in range(2)]

    async def run() -> tuple[list[httpx.Response], str]:
        coordinator = Coordinator(a.url, coordinator_session)
        try:
            sub = await coordinator.submit_list(1, "Untuk petugas")
        finally:
            await coordinator.close()
        assert sub.acknowledged
        rid = pg.psql(
            "SELECT r.id FROM resident r JOIN resident_list l ON l.id = r.resident_list "
            f"WHERE l.public_id = '{list_id_of(sub.list_url)}'",
            "portal",
        )
        async with browser(staff_sessions[0]) as on_a, browser(staff_sessions[1]) as on_b:
            page_a = await on_a.get(f"{a.url}/petugas/warga/{rid}")
            page_b = await on_b.get(f"{b.url}/petugas/warga/{rid}")
            assert page_a.status_code == page_b.status_code == 200
            verify_action, verify_fields = find_form(page_a.text, "/verifikasi")
            fix_action, fix_fields = find_form(page_b.text, "/perbaikan")
            assert re.fullmatch(r"\d+", str(verify_fields.get("versi")))
            fix = {**hidden_of(fix_fields), "alasan_perbaikan": "Nama tidak sesuai KK"}
            responses = await asyncio.gather(
                post_form(on_a, a, verify_action, hidden_of(verify_fields)),
                post_form(on_b, b, fix_action, fix),
            )
            return list(responses), rid

    responses, rid = asyncio.run(run())
    assert sorted(r.status_code for r in responses) == [303, 409]
    changes = count(
        pg,
        f"SELECT count(*) FROM resident_event WHERE resident = {rid} "
        "AND to_status IN ('diverifikasi', 'perlu_perbaikan')",
    )
    assert changes == 1

"""The audit log: what is recorded, who reads what, and that nobody can change it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from bs4 import BeautifulSoup

from portal.domain import audit
from portal.domain.actor import Actor
from portal.tables.accounts import AuditEntry
from tests.integration.accounts_fixtures import (
    kabupaten_village,
    make_user,
    post_form,
    sign_in_with_form,
)


def _rows(html: str) -> list[list[str]]:
    """Per entry: [what, who/when/where]."""
    page = BeautifulSoup(html, "html.parser")
    return [
        [li.select_one(".audit-what").get_text(" ", strip=True), li.select_one(".audit-who").text]
        for li in page.select("#results .audit-entries li")
        if li.select_one(".audit-what")
    ]


async def test_sign_in_events_are_recorded_with_address(client):
    await make_user("rt.catat")
    await sign_in_with_form(client, "rt.catat", "bukan-sandinya-sama-sekali")
    await sign_in_with_form(client, "rt.catat", follow=False)
    await post_form(client, "/keluar")
    entries = await AuditEntry.select().order_by(AuditEntry.id)
    assert [e["action"] for e in entries] == ["login.failed", "login.success", "logout"]
    assert all(e["ip"] == "testclient" for e in entries)
    assert all(e["office"] is not None for e in entries)  # the coordinator's office sees them


async def test_staff_read_only_their_offices_log(client, login_as):
    kota_staff = await make_user("petugas.kota", "staff")
    kab_staff = await make_user("petugas.kab", "staff", office="kabupaten")
    kab_coord = await make_user("rt.kab", office="kabupaten", village_row=await kabupaten_village())
    await audit.record(Actor.of(kota_staff), "account.created", object_type="user", object_id=1)
    await audit.record(
        Actor.of(kab_staff), "account.created", object_type="user", object_id=kab_coord.id
    )
    await login_as(kota_staff)
    response = await client.get("/petugas/audit")
    assert response.status_code == 200
    rows = _rows(response.text)
    assert [r[1].split()[0] for r in rows] == ["petugas.kota"]
    assert rows[0][0].startswith("Akun dibuat")
    assert "petugas.kab" not in response.text
    assert "rt.kab" not in response.text


async def test_admin_reads_everything_and_filters(client, login_as):
    admin = await make_user("admin.satu", "admin")
    kota = await make_user("petugas.kota", "staff")
    kab = await make_user("petugas.kab", "staff", office="kabupaten")
    await audit.record(Actor.of(kota), "account.created", object_type="user", object_id=11)
    await audit.record(Actor.of(kab), "account.deactivated", object_type="user", object_id=12)
    await audit.record(Actor.of(kab), "resident.nik_viewed", object_type="resident", object_id=5)
    old = datetime.now(UTC) - timedelta(days=10)
    await AuditEntry(
        at=old, actor=kota.id, actor_name="petugas.kota", action="logout", office=kota.office
    ).save()
    await login_as(admin)
    everything = await client.get("/admin/audit")
    assert len(_rows(everything.text)) == 4
    page = BeautifulSoup(everything.text, "html.parser")
    offered = {o["value"] for o in page.select("#action option") if o["value"]}
    assert offered == {"account.created", "account.deactivated", "resident.nik_viewed", "logout"}

    async def count(query: str) -> int:
        return len(_rows((await client.get("/admin/audit?" + query)).text))

    assert await count("action=account.deactivated") == 1
    assert await count("user=petugas.kab") == 2
    assert await count("object_type=resident&object_id=5") == 1
    today = datetime.now(UTC).date()
    assert await count(f"from={today - timedelta(days=1)}") == 3
    assert await count(f"to={today - timedelta(days=5)}") == 1
    bad = await client.get("/admin/audit?from=kemarin")
    assert bad.status_code == 400 and "Tanggal tidak valid" in bad.text
    fragment = await client.get("/admin/audit?action=logout", headers={"HX-Request": "true"})
    assert "<html" not in fragment.text and "Keluar" in fragment.text


async def test_entries_name_who_when_what_and_never_a_secret(client, login_as):
    staff = await make_user("petugas.kota", "staff")
    await login_as(staff)
    wates = await client.get("/petugas/koordinator/baru")
    assert wates.status_code == 200
    from tests.integration.test_account_management import _create_coordinator

    response = await _create_coordinator(client)
    token = response.text.split("/aktivasi/")[1].split('"')[0]
    for entry in await AuditEntry.select():
        assert token not in str(entry)
        assert entry["at"] is not None and entry["action"]


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_entry SET action = 'x'", "DELETE FROM audit_entry"]
)
async def test_the_database_refuses_to_change_or_delete_entries(db, statement):
    from portal.piccolo_conf import DB

    await audit.record(None, "login.success", actor_name="someone")
    with pytest.raises(Exception, match="append-only"):
        await DB.run_ddl(statement)
    with pytest.raises(Exception, match="append-only"):
        await AuditEntry.update({AuditEntry.action: "forged"}).where(AuditEntry.id > 0)
    with pytest.raises(Exception, match="append-only"):
        await AuditEntry.delete().where(AuditEntry.id > 0)
    rows = await AuditEntry.select(AuditEntry.action)
    assert rows == [{"action": "login.success"}]


async def test_no_route_can_edit_or_delete_audit_entries(app):
    from tests.integration.test_route_security import endpoints

    for method, path, _ in endpoints(app):
        if "audit" in path:
            assert method == "GET", (method, path)


"""A staff change and its audit line commit together: when the audit line cannot be
written, the change is not stored either (and an export hands out no file)."""

from __future__ import annotations

import pytest

from portal.tables.accounts import AuditEntry
from portal.tables.content import PublishedFigure, SiteRevision
from portal.tables.locations import Location
from portal.tables.outreach import OutreachArea, OutreachSession
from portal.tables.residents import Resident, ResidentEvent
from tests.integration import staff_fixtures as fx
from tests.integration.staff_client import post


class AuditDown(RuntimeError):
    pass


@pytest.fixture
async def officer(client, login_as):
    user = await fx.staff("kota")
    await login_as(user)
    await client.get("/petugas")  # the CSRF cookie, before the audit log goes down
    return user


@pytest.fixture
def audit_down(monkeypatch):
    from portal.domain import audit

    async def refuse(*args, **kwargs):
        raise AuditDown("the audit log cannot be written")

    monkeypatch.setattr(audit, "record", refuse)


async def revision() -> int:
    row = await SiteRevision.select(SiteRevision.revision).first()
    return row["revision"] if row else 0


async def nothing_audited() -> bool:
    return await AuditEntry.count() == 0


async def test_a_status_change_is_not_stored_without_its_audit_line(client, officer, audit_down):
    r = await fx.resident(await fx.submitted_list(await fx.coordinator("kota")))
    response = await post(client, f"/petugas/warga/{r.id}/verifikasi", {"versi": r.version})
    assert response.status_code == 500
    row = await fx.fresh(r)
    assert (row["status"], row["version"]) == ("diterima", r.version)
    assert await ResidentEvent.count() == 0 and await nothing_audited()


async def test_a_bulk_verify_is_not_stored_without_its_audit_lines(client, officer, audit_down):
    people = await fx.residents(await fx.submitted_list(await fx.coordinator("kota")), 3)
    picks = [f"{p.id}.{p.version}" for p in people]
    response = await post(client, "/petugas/antrian/massal", {"aksi": "verifikasi", "pilih": picks})
    assert response.status_code == 500
    assert await Resident.count().where(Resident.status == "diverifikasi") == 0
    assert await ResidentEvent.count() == 0 and await nothing_audited()


async def test_a_whole_filter_action_is_not_stored_without_its_audit_lines(
    client, officer, audit_down
):
    await fx.residents(await fx.submitted_list(await fx.coordinator("kota")), 3)
    form = {"aksi": "verifikasi", "cakupan": "saringan", "saringan": "", "jumlah": "3"}
    response = await post(client, "/petugas/antrian/massal", form)
    assert response.status_code == 500
    assert await Resident.count().where(Resident.status == "diverifikasi") == 0
    assert await ResidentEvent.count() == 0 and await nothing_audited()


async def test_a_new_session_is_not_stored_without_its_audit_line(client, officer, audit_down):
    before = await revision()
    form = {
        "kind": "kelurahan",
        "title": "Sesi tanpa jejak",
        "place": "Balai RW 02",
        "day": "2030-01-10",
        "starts": "08:00",
        "ends": "12:00",
        "capacity": "10",
        "areas": ["35.76.01"],
        "public": "1",
    }
    response = await post(client, "/petugas/jadwal/baru", form)
    assert response.status_code == 500
    assert await OutreachSession.count() == 0 and await OutreachArea.count() == 0
    assert await revision() == before and await nothing_audited()


async def test_a_content_save_is_not_stored_without_its_audit_line(client, officer, audit_down):
    kota = await fx.office("kota")
    loc = await Location.select().where(Location.office == kota.id).order_by(Location.id).first()
    before = await revision()
    saved = await post(
        client,
        f"/petugas/konten/lokasi/{loc['id']}",
        {"name": "Nama tanpa jejak", "kind": loc["kind"], "services": ["perekaman"]},
    )
    assert saved.status_code == 500
    assert (await fx.fresh_row(Location, loc["id"]))["name"] == loc["name"]
    figure = {"label": "Angka tanpa jejak", "value": "5", "as_of": "2026-10-31", "source": "x"}
    created = await post(client, "/petugas/konten/angka/baru", figure)
    assert created.status_code == 500
    assert not await PublishedFigure.exists().where(PublishedFigure.label == "Angka tanpa jejak")
    assert await revision() == before and await nothing_audited()


async def test_an_export_without_its_audit_line_hands_out_no_file(client, officer, audit_down):
    r = await fx.resident(await fx.submitted_list(await fx.coordinator("kota")))
    response = await client.get("/petugas/antrian/ekspor.csv")
    assert response.status_code == 500 and r.nik not in response.text

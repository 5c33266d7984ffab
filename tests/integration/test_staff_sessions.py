"""Jemput bola sessions: create/edit, capacity under concurrency, rosters, exports,
attendance, cancelling."""

import asyncio
import csv
import io
from datetime import timedelta

import openpyxl

from portal.clock import today_local
from portal.staff import triage
from portal.staff.scheduling import schedule
from portal.tables.accounts import AuditEntry
from portal.tables.content import SiteRevision
from portal.tables.outreach import OutreachArea, OutreachSession
from portal.tables.residents import Resident
from tests.integration import staff_fixtures as fx
from tests.integration.staff_client import page, post, text


async def revision() -> int:
    row = await SiteRevision.select(SiteRevision.revision).first()
    return row["revision"] if row else 0


async def officer_in(login_as, office="kota"):
    officer = await fx.staff(office)
    await login_as(officer)
    return officer


def session_form(**changes):
    data = {
        "kind": "sekolah",
        "title": "Jemput bola SMAN 1",
        "place": "SMAN 1 Mojokerto",
        "day": (today_local() + timedelta(days=10)).isoformat(),
        "starts": "08:00",
        "ends": "12:00",
        "capacity": "40",
        "audience": "Siswa kelas XII",
        "areas": ["35.76.01", "35.76.02.1010"],
        "public": "1",
    }
    data.update(changes)
    return data


async def test_create_session_validates_and_publishes(client, login_as):
    await officer_in(login_as)
    before = await revision()
    bad = await post(
        client,
        "/petugas/jadwal/baru",
        session_form(title="", day="31-02-2026", starts="9", ends="07:00", capacity="-1", areas=[]),
    )
    assert bad.status_code == 422
    summary = text(page(bad).select_one(".error-summary"))
    for message in ("Tulis nama sesi", "tanggal yang benar", "jam mulai", "Kuota harus", "wilayah"):
        assert message in summary
    assert page(bad).select_one("#place")["value"] == "SMAN 1 Mojokerto"
    assert await OutreachSession.count() == 0
    foreign = await post(client, "/petugas/jadwal/baru", session_form(areas=["35.16.01"]))
    assert foreign.status_code == 422 and "bukan wilayah kantor ini" in foreign.text

    created = await post(client, "/petugas/jadwal/baru", session_form())
    assert created.status_code == 303
    row = await OutreachSession.select().first()
    assert (row["title"], row["capacity"], row["public"], row["kind"]) == (
        "Jemput bola SMAN 1",
        40,
        True,
        "sekolah",
    )
    areas = await OutreachArea.select(OutreachArea.region_code).where(
        OutreachArea.session == row["id"]
    )
    assert sorted(a["region_code"] for a in areas) == ["35.76.01", "35.76.02.1010"]
    assert await revision() > before
    assert await AuditEntry.count().where(AuditEntry.action == "outreach_session_created") == 1
    shown = await client.get(created.headers["location"])
    assert "Sesi jemput bola dibuat." in shown.text


async def test_edit_session_cannot_go_below_booked(client, login_as):
    officer = await officer_in(login_as)
    s = await fx.session("kota", capacity=5, public=False)
    lst = await fx.submitted_list(await fx.coordinator("kota"))
    people = await fx.residents(lst, 3, status="diverifikasi")
    await fx.schedule(officer, people, s.id)
    form = await client.get(f"/petugas/jadwal/{s.id}/ubah")
    assert page(form).select_one("#capacity")["value"] == "5"
    before = await revision()
    low = await post(client, f"/petugas/jadwal/{s.id}/ubah", session_form(capacity="2"))
    assert low.status_code == 422 and "tidak boleh kurang dari 3" in low.text
    ok = await post(client, f"/petugas/jadwal/{s.id}/ubah", session_form(capacity="3", public=""))
    assert ok.status_code == 303
    row = await fx.fresh(s)
    assert row["capacity"] == 3 and row["booked"] == 3 and row["public"] is False
    assert await revision() == before  # neither before nor after public


async def test_capacity_holds_under_concurrent_scheduling(client, login_as):
    officer = await officer_in(login_as)
    colleague = await fx.staff("kota")
    s = await fx.session("kota", capacity=3)
    lst = await fx.submitted_list(await fx.coordinator("kota"))
    people = await fx.residents(lst, 8, status="diverifikasi")

    async def one(person, who):
        try:
            return await fx.schedule(who, [person], s.id)
        except triage.SessionFull:
            return None

    results = await asyncio.gather(
        *[one(p, officer if i % 2 else colleague) for i, p in enumerate(people)]
    )
    scheduled = [r for r in results if r is not None and r.done]
    assert len(scheduled) == 3
    assert (await fx.fresh(s))["booked"] == 3
    assert await Resident.count().where(Resident.status == "dijadwalkan") == 3
    assert await Resident.count().where(Resident.outreach_session == s.id) == 3


async def test_concurrent_bulk_schedules_never_overbook(client, login_as):
    officer = await officer_in(login_as)
    s = await fx.session("kota", capacity=5)
    lst = await fx.submitted_list(await fx.coordinator("kota"))
    people = await fx.residents(lst, 9, status="diverifikasi")
    batches = [people[0:3], people[3:6], people[6:9]]

    async def batch(group):
        try:
            return await fx.schedule(officer, group, s.id)
        except triage.SessionFull:
            return None

    results = await asyncio.gather(*[batch(g) for g in batches])
    assert sum(1 for r in results if r) == 1  # 3 fit, then 3 + 3 > 5 twice
    assert (await fx.fresh(s))["booked"] == 3


async def test_roster_is_ordered_for_the_field_team_and_printable(client, login_as):
    officer = await officer_in(login_as)
    s = await fx.session("kota", areas=("35.76",))
    wates = await fx.submitted_list(
        await fx.coordinator("kota", fx.KOTA_OTHER_VILLAGE), fx.KOTA_OTHER_VILLAGE
    )
    suro = await fx.submitted_list(await fx.coordinator("kota"))
    people = [
        await fx.resident(wates, full_name="Zaki", rw="01", rt="02"),
        await fx.resident(suro, full_name="Budi", rw="10", rt="01"),
        await fx.resident(suro, full_name="Adi", rw="2", rt="05"),
        await fx.resident(suro, full_name="Cici", rw="02", rt="05"),
        await fx.resident(wates, full_name="Ayu", rw="01", rt="01"),
    ]
    for p in people:
        await Resident.update({Resident.status: "diverifikasi"}).where(Resident.id == p.id)
    await fx.schedule(officer, people, s.id)
    response = await client.get(f"/petugas/jadwal/{s.id}")
    rows = page(response).select("table.roster tbody tr:not(.group) td:nth-of-type(2) a")
    assert [text(a) for a in rows] == ["Adi", "Cici", "Budi", "Ayu", "Zaki"]
    groups = [text(th) for th in page(response).select("table.roster tr.group th")]
    assert groups == ["Surodinawan", "Wates"]
    assert "data-print" in response.text
    assert people[0].nik in response.text  # the field team needs the full NIK


async def test_roster_exports_are_audited_and_neutralise_formulas(client, login_as):
    officer = await officer_in(login_as)
    s = await fx.session("kota")
    lst = await fx.submitted_list(await fx.coordinator("kota"))
    evil = await fx.resident(
        lst,
        full_name='=HYPERLINK("http://x","klik")',
        address="+62 Jl. Mawar",
        status="diverifikasi",
    )
    plain = await fx.resident(lst, full_name="Dewi", status="diverifikasi", married=True)
    await fx.schedule(officer, [evil, plain], s.id)

    response = await client.get(f"/petugas/jadwal/{s.id}/daftar.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["No", "Nama", "NIK"]
    by_name = {row[1]: row for row in rows[1:]}
    assert '\'=HYPERLINK("http://x","klik")' in by_name
    assert by_name["Dewi"][2] == plain.nik
    married = rows[0].index("Sudah/pernah kawin")
    assert by_name["Dewi"][married] == "ya"
    assert by_name['\'=HYPERLINK("http://x","klik")'][married] == "tidak"
    assert by_name['\'=HYPERLINK("http://x","klik")'][5] == "'+62 Jl. Mawar"

    xlsx = await client.get(f"/petugas/jadwal/{s.id}/daftar.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value]
    formula_cell = next(c for c in cells if str(c.value).startswith("=HYPERLINK"))
    assert formula_cell.data_type == "s"  # text, never a formula
    nik_cell = next(c for c in cells if c.value == plain.nik)
    assert nik_cell.data_type == "s"

    audits = await AuditEntry.select().where(AuditEntry.action == "export")
    assert len(audits) == 2
    details = [a["detail"] for a in audits]
    assert all("'rows': 2" in str(d) or '"rows": 2' in str(d) for d in details)
    assert all(plain.nik not in str(d) for d in details)
    from portal.ops.privacy import nik_access_log

    assert len(await nik_access_log(plain.id)) == 2  # both roster downloads disclosed it


async def test_attendance_records_present_and_returns_absent_to_the_queue(client, login_as):
    officer = await officer_in(login_as)
    s = await fx.session("kota", capacity=10, day=today_local())
    lst = await fx.submitted_list(await fx.coordinator("kota"))
    came, missed, unknown = await fx.residents(lst, 3, status="diverifikasi")
    await fx.schedule(officer, (came, missed, unknown), s.id)
    assert (await fx.fresh(s))["booked"] == 3
    roster = page(await client.get(f"/petugas/jadwal/{s.id}"))
    names = {i["name"] for i in roster.select("input[type=radio]")}
    assert len(names) == 3
    key = {
        p.id: next(n for n in names if n.startswith(f"hadir-{p.id}."))
        for p in (came, missed, unknown)
    }
    response = await post(
        client,
        f"/petugas/jadwal/{s.id}/kehadiran",
        {key[came.id]: "ya", key[missed.id]: "tidak", key[unknown.id]: ""},
    )
    assert response.status_code == 303 and "ok=2" in response.headers["location"]
    came_row, missed_row, unknown_row = [await fx.fresh(p) for p in (came, missed, unknown)]
    assert (came_row["status"], came_row["recorded_on"]) == ("sudah_rekam", today_local())
    assert came_row["recorded_place"] == "Balai Kelurahan Surodinawan"
    assert missed_row["status"] == "tidak_hadir" and unknown_row["status"] == "dijadwalkan"
    assert (await fx.fresh(s))["booked"] == 2
    queue = await client.get("/petugas/antrian?status=tidak_hadir")
    assert f"/petugas/warga/{missed.id}" in queue.text
    # An absentee can be scheduled into another session.
    later = await fx.session("kota", capacity=1)
    out = await schedule(
        await fx.scope_of(officer),
        [(missed.id, missed_row["version"])],
        later.id,
        today_local(),
    )
    assert out.done and (await fx.fresh(later))["booked"] == 1


async def test_cancel_returns_scheduled_residents_to_verified(client, login_as):
    officer = await officer_in(login_as)
    s = await fx.session("kota", capacity=10)
    lst = await fx.submitted_list(await fx.coordinator("kota"))
    people = await fx.residents(lst, 2, status="diverifikasi")
    await fx.schedule(officer, people, s.id)
    before = await revision()
    response = await post(client, f"/petugas/jadwal/{s.id}/batal", {"alasan": "Hujan deras"})
    assert response.status_code == 303
    row = await fx.fresh(s)
    assert row["cancelled"] is True and row["booked"] == 0
    assert {(await fx.fresh(p))["status"] for p in people} == {"diverifikasi"}
    assert await revision() > before
    refused = await post(
        client,
        "/petugas/antrian/massal",
        {"aksi": "jadwalkan", "pilih": [f"{people[0].id}.0"], "sesi": s.id},
    )
    assert "pesan=sesi" in refused.headers["location"]


async def test_sessions_list_and_other_office_404(client, login_as):
    await officer_in(login_as)
    await fx.session("kota", title="Sesi Kota", capacity=4)
    theirs = await fx.session("kabupaten", title="Sesi Kab", areas=("35.16",))
    await fx.session("kota", title="Sesi Lalu", day=today_local() - timedelta(days=3))
    listing = await client.get("/petugas/jadwal")
    assert "Sesi Kota" in listing.text and "Sesi Kab" not in listing.text
    assert "Sesi Lalu" not in listing.text
    assert "Sesi Lalu" in (await client.get("/petugas/jadwal?waktu=lalu")).text
    for path in (
        f"/petugas/jadwal/{theirs.id}",
        f"/petugas/jadwal/{theirs.id}/ubah",
        f"/petugas/jadwal/{theirs.id}/daftar.csv",
    ):
        assert (await client.get(path)).status_code == 404, path
    assert (await post(client, f"/petugas/jadwal/{theirs.id}/batal")).status_code == 404
    assert (await fx.fresh(theirs))["cancelled"] is False


async def test_attendance_waits_for_the_session_day(client, login_as):
    officer = await officer_in(login_as)
    s = await fx.session("kota", day=today_local() + timedelta(days=2))
    lst = await fx.submitted_list(await fx.coordinator("kota"))
    person = await fx.resident(lst, status="diverifikasi")
    await fx.schedule(officer, [person], s.id)
    roster = await client.get(f"/petugas/jadwal/{s.id}")
    assert not page(roster).select("input[type=radio]")
    assert "mulai hari sesi" in roster.text
    row = await fx.fresh(person)
    response = await post(
        client, f"/petugas/jadwal/{s.id}/kehadiran", {f"hadir-{person.id}.{row['version']}": "ya"}
    )
    assert "pesan=belum-hari" in response.headers["location"]
    assert (await fx.fresh(person))["status"] == "dijadwalkan"


async def test_admin_picks_the_office_of_a_new_session(client, login_as):
    await login_as(await fx.admin())
    chooser = page(await client.get("/petugas/jadwal/baru"))
    assert [a["href"] for a in chooser.select("ul.tasks a")] == [
        "/petugas/jadwal/baru?kantor=kota",
        "/petugas/jadwal/baru?kantor=kabupaten",
    ]
    form = page(await client.get("/petugas/jadwal/baru?kantor=kabupaten"))
    assert form.select_one("input[name=kantor]")["value"] == "kabupaten"
    assert form.select_one("input[value='35.16.01']") is not None  # kabupaten's kecamatan
    assert form.select_one("input[value='35.76.01']") is None
    created = await post(
        client, "/petugas/jadwal/baru", session_form(kantor="kabupaten", areas=["35.16.01"])
    )
    assert created.status_code == 303
    row = await OutreachSession.select().first()
    assert row["office"] == (await fx.office("kabupaten")).id
    listing = await client.get("/petugas/jadwal")
    assert "Jemput bola SMAN 1" in listing.text and 'id="kantor"' in listing.text

"""The whole loop through the real routes: a coordinator submits, staff verify, schedule,
export the roster and mark attendance, the coordinator sees the outcome and /capaian counts
it. Other offices and other coordinators see none of it."""

from __future__ import annotations

import csv
import io
import re
import time

import openpyxl

from portal.clock import today_local as today
from portal.public.cache import PAGE_CACHE
from portal.tables.accounts import AuditEntry
from portal.tables.residents import Resident
from tests.integration import staff_fixtures as fx
from tests.integration.coordinator.helpers import (
    Browser,
    make_coordinator,
    resident_fields,
)
from tests.integration.public_fixtures import fresh_page_cache  # noqa: F401 (autouse fixture)
from tests.integration.staff_client import page, post, text

NIK = "3576011708900001"  # Prajurit Kulon, born 17-08-1990, male
WITH_NIK = "Budi Santoso Loop"
DOB_ONLY = "Siti Aminah Loop"
VILLAGE = "Surodinawan"
KECAMATAN = "Prajuritkulon"


def village_counts(response) -> dict[str, int]:
    """The Surodinawan line of /capaian as numbers; zeros while it has no line yet."""
    for li in page(response).select("ul.drill li"):
        line = text(li)
        if line.startswith(VILLAGE + ":"):
            numbers = [int(n.replace(".", "")) for n in re.findall(r"[\d.]+", line)]
            return dict(zip(("reported", "scheduled", "recorded"), numbers, strict=True))
    return {"reported": 0, "scheduled": 0, "recorded": 0}


def kecamatan_recorded(response) -> int:
    for row in page(response).select("tbody tr"):
        summary = row.select_one("summary")
        if summary is not None and text(summary) == KECAMATAN:
            return int(text(row.select("td.num")[2]).replace(".", ""))
    return 0


async def anonymous_capaian(client):
    """/capaian as a visitor who is not signed in (the cached path)."""
    saved = dict(client.cookies)
    client.cookies.clear()
    try:
        return await client.get("/capaian")
    finally:
        for name, value in saved.items():
            client.cookies.set(name, value)


def queue_picks(response) -> dict[str, str]:
    """{resident name: "id.version"} from the queue's checkboxes."""
    return {
        box["aria-label"].removeprefix("Pilih "): box["value"]
        for box in page(response).select("input[name=pilih]")
    }


async def test_coordinator_to_capaian(client, login_as):
    # --- The coordinator builds and submits a list through the forms. ------------------------
    coordinator = await make_coordinator("rt03.loop")
    await login_as(coordinator)
    me = Browser(client)
    list_url = await me.new_list(title="Warga RT 03 belum rekam")
    added = await me.add(list_url, **resident_fields(WITH_NIK, nik=NIK))
    assert added.status_code == 303, added.text
    added = await me.add(
        list_url,
        **resident_fields(DOB_ONLY, dob_day="1", dob_month="1", dob_year="1985", sex="P"),
    )
    assert added.status_code == 303, added.text
    submitted = await me.post(list_url + "/kirim", {"submit_token": "loop-submit"})
    assert submitted.status_code == 303, submitted.text
    shown = await me.get(submitted.headers["location"])
    assert "Daftar sudah dikirim ke petugas" in shown.text
    people = {r["full_name"]: r for r in await Resident.select().order_by(Resident.id)}
    assert set(people) == {WITH_NIK, DOB_ONLY}
    assert {r["status"] for r in people.values()} == {"diterima"}
    assert people[DOB_ONLY]["nik"] in (None, "")

    # --- Another coordinator, and staff of the other office, see nothing. --------------------
    await login_as(await make_coordinator("rt04.loop", rt="04"))
    assert (await client.get(list_url)).status_code == 404
    await login_as(await fx.staff("kabupaten"))
    theirs = await client.get("/petugas/antrian")
    assert theirs.status_code == 200
    assert WITH_NIK not in theirs.text and DOB_ONLY not in theirs.text
    for r in people.values():
        assert (await client.get(f"/petugas/warga/{r['id']}")).status_code == 404
        denied = await post(client, f"/petugas/warga/{r['id']}/verifikasi", {"versi": "0"})
        assert denied.status_code == 404
    assert {r["status"] for r in await Resident.select(Resident.status)} == {"diterima"}

    # --- Staff of the same office verify both from the queue. --------------------------------
    officer = await fx.staff("kota")
    await login_as(officer)
    queue = await client.get("/petugas/antrian")
    picks = queue_picks(queue)
    assert {WITH_NIK, DOB_ONLY} <= set(picks)
    assert NIK not in queue.text  # masked in the queue
    verified = await post(
        client,
        "/petugas/antrian/massal",
        {"aksi": "verifikasi", "pilih": [picks[WITH_NIK], picks[DOB_ONLY]]},
    )
    assert verified.status_code == 303 and "ok=2" in verified.headers["location"]

    # --- A session serving the kelurahan, today, and both scheduled into it. -----------------
    created = await post(
        client,
        "/petugas/jadwal/baru",
        {
            "kind": "kelurahan",
            "title": "Jemput bola Surodinawan",
            "place": "Balai Kelurahan Surodinawan",
            "day": today().isoformat(),
            "starts": "08:00",
            "ends": "12:00",
            "capacity": "10",
            "audience": "",
            "areas": [fx.KOTA_VILLAGE],
            "public": "1",
        },
    )
    assert created.status_code == 303, created.text
    session_path = created.headers["location"].split("?")[0]
    picks = queue_picks(await client.get("/petugas/antrian?status=diverifikasi"))
    scheduled = await post(
        client,
        "/petugas/antrian/massal",
        {
            "aksi": "jadwalkan",
            "pilih": [picks[WITH_NIK], picks[DOB_ONLY]],
            "sesi": session_path.rsplit("/", 1)[1],
        },
    )
    assert scheduled.status_code == 303 and "ok=2" in scheduled.headers["location"]
    assert {r["status"] for r in await Resident.select(Resident.status)} == {"dijadwalkan"}

    # --- The roster, as CSV and XLSX: both rows, the full NIK for the field team, audited. ---
    roster_csv = await client.get(session_path + "/daftar.csv")
    assert roster_csv.status_code == 200
    rows = list(csv.reader(io.StringIO(roster_csv.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["No", "Nama", "NIK"]
    by_name = {row[1]: row for row in rows[1:]}
    assert set(by_name) == {WITH_NIK, DOB_ONLY}
    assert by_name[WITH_NIK][2] == NIK and by_name[DOB_ONLY][2] == ""
    assert by_name[WITH_NIK][8] == VILLAGE and by_name[WITH_NIK][12] == "Dijadwalkan"
    roster_xlsx = await client.get(session_path + "/daftar.xlsx")
    assert roster_xlsx.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(roster_xlsx.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(i for i, row in enumerate(values) if row[:3] == ["No", "Nama", "NIK"])
    names = {row[1]: row for row in values[header + 1 :] if row[1]}
    assert set(names) == {WITH_NIK, DOB_ONLY}
    assert names[WITH_NIK][2] == NIK
    exports = await AuditEntry.select().where(AuditEntry.action == "export")
    assert len(exports) == 2
    assert {e["object_type"] for e in exports} == {"outreach_session"}
    assert {e["actor"] for e in exports} == {officer.id}
    assert all(NIK not in str(e["detail"]) for e in exports)

    # /capaian before attendance, as a visitor: the page is now in the cache.
    before = await anonymous_capaian(client)
    assert village_counts(before) == {"reported": 2, "scheduled": 2, "recorded": 0}
    recorded_before = kecamatan_recorded(before)

    # --- Attendance: one came and recorded, one did not come. --------------------------------
    roster = page(await client.get(session_path))
    keys = {
        text(row.select_one("td:nth-of-type(2)")): row.select_one("input[type=radio]")["name"]
        for row in roster.select("table.roster tbody tr:not(.group)")
    }
    marked = await post(
        client, session_path + "/kehadiran", {keys[WITH_NIK]: "ya", keys[DOB_ONLY]: "tidak"}
    )
    assert marked.status_code == 303 and "ok=2" in marked.headers["location"]
    status = {r["full_name"]: r["status"] for r in await Resident.select()}
    assert status == {WITH_NIK: "sudah_rekam", DOB_ONLY: "tidak_hadir"}

    # --- The coordinator sees the outcome of each person. ------------------------------------
    await login_as(coordinator)
    followed = await client.get(list_url)
    items = {text(li.select_one("h3")): text(li) for li in page(followed).select("li.resident")}
    assert "Sudah rekam" in items[WITH_NIK]
    assert "Tidak hadir" in items[DOB_ONLY] and "Sudah rekam" not in items[DOB_ONLY]
    counts = text(page(followed).select_one("ul.counts"))
    assert "2 warga" in counts and "1 tidak hadir" in counts and "1 sudah rekam" in counts
    ids = {r["full_name"]: r["id"] for r in people.values()}
    detail = await client.get(f"{list_url}/warga/{ids[WITH_NIK]}")
    assert 'aria-current="step">Sudah rekam' in detail.text
    assert "Balai Kelurahan Surodinawan" in detail.text
    # Staff have acted: the list can no longer be taken back.
    assert "/tarik" not in followed.text
    refused = await me.post(list_url + "/tarik")
    assert refused.status_code == 409
    assert {r["status"] for r in await Resident.select(Resident.status)} == {
        "sudah_rekam",
        "tidak_hadir",
    }
    dashboard = text(page(await client.get("/koordinator")))
    assert "1 sudah rekam" in dashboard and "1 tidak hadir" in dashboard
    printed = await client.get(f"{list_url}/cetak")
    assert printed.status_code == 200
    assert "Sudah rekam" in printed.text and "Tidak hadir" in printed.text

    # --- /capaian counts the recorded one. ---------------------------------------------------
    # Signed in, the page bypasses the cache and is current at once.
    live = await client.get("/capaian")
    assert "x-portal-cache" not in live.headers
    assert village_counts(live) == {"reported": 2, "scheduled": 0, "recorded": 1}
    assert kecamatan_recorded(live) == recorded_before + 1
    # A visitor may get the cached copy for up to its time to live (60 s: attendance does not
    # bump the content revision, which would throw away every public page); after that,
    # the new count.
    cached = await anonymous_capaian(client)
    assert cached.headers["x-portal-cache"] == "hit"
    assert village_counts(cached)["recorded"] == 0
    later = time.monotonic() + 61
    PAGE_CACHE.clock = lambda: later
    try:
        after = await anonymous_capaian(client)
    finally:
        PAGE_CACHE.clock = time.monotonic
    assert after.headers["x-portal-cache"] == "miss"
    assert village_counts(after) == {"reported": 2, "scheduled": 0, "recorded": 1}
    assert kecamatan_recorded(after) == recorded_before + 1

    # --- Staff of the other office still reach none of it: session, roster, residents. -------
    await login_as(await fx.staff("kabupaten"))
    for path in (session_path, session_path + "/daftar.csv", session_path + "/daftar.xlsx"):
        assert (await client.get(path)).status_code == 404, path
    for r in people.values():
        assert (await client.get(f"/petugas/warga/{r['id']}")).status_code == 404
    assert (await post(client, session_path + "/kehadiran", {})).status_code == 404
    assert await AuditEntry.count().where(AuditEntry.action == "export") == 2

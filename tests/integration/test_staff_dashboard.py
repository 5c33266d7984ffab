"""The staff dashboard: progress per region, weekly recordings, sessions, oldest waiting."""

from datetime import UTC, datetime, timedelta

from portal.clock import today_local
from tests.integration import staff_fixtures as fx
from tests.integration.staff_client import page, text


def table_rows(doc, caption_start: str) -> dict[str, list[str]]:
    table = next(t for t in doc.select("table") if text(t.caption).startswith(caption_start))
    return {text(tr.th): [text(td) for td in tr.select("td")] for tr in table.select("tbody tr")}


async def test_dashboard_counts_charts_sessions_and_oldest(client, login_as):
    await login_as(await fx.staff("kota"))
    suro = await fx.submitted_list(await fx.coordinator("kota"))
    wates = await fx.submitted_list(
        await fx.coordinator("kota", fx.KOTA_OTHER_VILLAGE), fx.KOTA_OTHER_VILLAGE
    )
    old = datetime.now(UTC) - timedelta(days=20)
    oldest = await fx.resident(suro, full_name="Paling Lama", submitted_at=old)
    await fx.residents(suro, 2, status="diverifikasi")
    await fx.resident(suro, status="dijadwalkan")
    await fx.resident(suro, status="sudah_rekam", recorded_on=today_local())
    await fx.resident(suro, status="sudah_rekam", recorded_on=today_local() - timedelta(days=14))
    await fx.resident(wates, status="ditolak")
    await fx.resident(wates, status="duplikat")
    await fx.resident(wates, category="disabilitas")
    kab = await fx.submitted_list(await fx.coordinator("kabupaten", fx.KAB_VILLAGE), fx.KAB_VILLAGE)
    await fx.residents(kab, 5)
    s = await fx.session("kota", capacity=4, title="Sesi Depan")
    from portal.tables.outreach import OutreachSession

    await OutreachSession.update({OutreachSession.booked: 3}).where(OutreachSession.id == s.id)

    response = await client.get("/petugas")
    assert response.status_code == 200
    doc = page(response)
    rows = table_rows(doc, "Jumlah warga per kecamatan")
    # Reported, verified, scheduled, recorded, rejected
    assert rows["Prajuritkulon"] == ["6", "5", "1", "2", "0"]
    assert rows["Magersari"] == ["3", "0", "0", "0", "2"]
    assert rows["Jumlah"] == ["9", "5", "1", "2", "2"]
    kpis = {
        text(a).split(" ", 1)[1]: int(text(a.select_one(".kpi-number")))
        for a in doc.select(".kpis a")
    }
    assert kpis["Menunggu verifikasi"] == 2 and kpis["Siap dijadwalkan"] == 2
    svg = doc.select_one("svg.staff-chart")
    assert svg["role"] == "img" and svg.select("rect.seg-recorded")
    assert not doc.select("[style]")
    weekly = doc.select("svg.staff-chart.weekly rect.col-bar")
    assert len(weekly) == 12 and "1" in text(doc.select("svg.staff-chart.weekly")[0])
    assert "Sesi Depan" in response.text and "3 dari 4 (75%)" in text(doc)
    oldest_list = doc.select("ol.oldest li")
    assert "Paling Lama" in text(oldest_list[0]) and "menunggu 20 hari" in text(oldest_list[0])
    assert f"/petugas/warga/{oldest.id}" in str(oldest_list[0])
    assert "Kunjungan rumah" in text(doc.select_one("ol.oldest"))

    drill = page(await client.get("/petugas?kecamatan=35.76.01"))
    villages = table_rows(drill, "Jumlah warga per kelurahan/desa")
    assert villages["Surodinawan"][0] == "6"

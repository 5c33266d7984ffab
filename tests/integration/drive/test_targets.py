"""Targets per office: IKD 25 % of wajib KTP and the monthly rate still needed, recordings
per month, the office's own monthly totals overriding the portal's counts; one query for
the targets page, the staff dashboard and /capaian (aggregates only)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from portal.clock import today_local
from portal.domain.targets import target_views
from portal.rules.dates import format_month_year_id
from portal.rules.targets import rate_needed
from portal.settings import get_settings
from portal.tables.accounts import AuditEntry
from portal.tables.cards import CardState
from portal.tables.targets import OfficeMonthTally, OfficeTarget
from tests.integration import staff_fixtures as fx
from tests.integration.drive import cards_fixtures as cx
from tests.integration.staff_client import page, post, text

KOTA_WAJIB_KTP = "103.272"  # S003


def target(**changes) -> dict:
    year = str(today_local().year)
    return {
        "tahun": year,
        "wajib_ktp": KOTA_WAJIB_KTP,
        "persen_ikd": "25",
        "sumber": "S003",
        **changes,
    }


async def test_a_target_is_checked_then_saved(client, officer):
    bad = await post(
        client, "/petugas/target", target(tahun="1999", wajib_ktp="banyak", persen_ikd="0")
    )
    assert bad.status_code == 422
    summary = text(page(bad).select_one(".error-summary"))
    assert "Tahun harus 2011" in summary and "wajib KTP" in summary and "1 sampai 100" in summary
    assert page(bad).select_one("#wajib_ktp")["value"] == "banyak"
    assert await OfficeTarget.count() == 0
    saved = await post(client, "/petugas/target", target())
    assert saved.status_code == 303
    shown = page(await client.get(saved.headers["location"]))
    figures = text(shown.select_one(".target-figures"))
    assert "25.818 target aktivasi IKD" in figures and "103.272 wajib KTP" in figures
    assert "rata-rata 2.152 sebulan" in figures
    today = today_local()
    needed = rate_needed(25_818, 0, today.year, today)
    assert f"{needed:,}".replace(",", ".") + " sebulan masih diperlukan" in figures
    assert "Sumber wajib KTP dan target: S003" in text(shown.select_one("main"))
    again = await post(client, "/petugas/target", target(wajib_ktp="100000", persen_ikd="20"))
    assert again.status_code == 303
    [row] = await OfficeTarget.select()
    assert (row["wajib_ktp"], row["ikd_percent"]) == (100_000, 20)  # one row per office and year
    assert await AuditEntry.count().where(AuditEntry.action == "target.save") == 2


async def test_the_offices_own_month_totals_override_the_portals_counts(client, officer):
    await post(client, "/petugas/target", target())
    people = await cx.recorded(officer, 3)  # recorded today
    for person in people[:2]:
        await post(
            client, f"/petugas/pasca-rekam/warga/{person.id}", {"versi": 1, "tindakan": "ikd"}
        )
    today = today_local()
    month = today.replace(day=1)
    [view] = await target_views([(await fx.scope_of(officer)).offices[0]], today.year, today)
    this = view.months[-1]
    assert (this.month, this.ikd, this.recordings) == (month, 2, 3)
    assert not this.ikd_reported and view.progress.done == 2

    bad = await post(client, "/petugas/target/bulan", {"bulan": "2099-01", "ikd": "x"})
    assert bad.status_code == 422
    assert "bulan yang sudah lewat" in bad.text and "angka bulat" in bad.text
    entered = await post(
        client,
        "/petugas/target/bulan",
        {"bulan": month.isoformat()[:7], "ikd": "1.500", "sumber_bulan": "SIAK"},
    )
    assert entered.status_code == 303
    [view] = await target_views([view.office], today.year, today)
    this = view.months[-1]
    assert (this.ikd, this.ikd_reported, this.recordings, this.recordings_reported) == (
        1500,
        True,
        3,
        False,
    )
    assert view.progress.done == 1500
    table = page(await client.get("/petugas/target")).select("table.numbers tbody tr")
    row = next(r for r in table if text(r.th) == format_month_year_id(month))
    assert "1.500 angka kantor" in text(row) and "3" in text(row)
    cleared = await post(client, "/petugas/target/bulan", {"bulan": month.isoformat()[:7]})
    assert cleared.status_code == 303
    [view] = await target_views([view.office], today.year, today)
    assert (view.months[-1].ikd, view.months[-1].ikd_reported) == (2, False)
    assert await OfficeMonthTally.count() == 1  # kept, both figures blank
    assert await AuditEntry.count().where(AuditEntry.action == "target.month") == 2


async def test_ikd_is_counted_in_the_month_of_the_portals_wall_clock(officer):
    """An activation at 00:30 WIB on the 1st is that month's, though it is the day before
    in UTC."""
    (person,) = await cx.recorded(officer)
    today = today_local()
    first = today.replace(day=1)
    moment = datetime(first.year, first.month, 1, 0, 30, tzinfo=get_settings().zone)
    await CardState.update({CardState.ikd_activated_at: moment.astimezone(UTC)}).where(
        CardState.resident == person.id
    )
    [view] = await target_views([(await fx.scope_of(officer)).offices[0]], today.year, today)
    by_month = {m.month: m.ikd for m in view.months}
    assert by_month[first] == 1
    before = (first - timedelta(days=1)).replace(day=1)
    assert by_month.get(before, 0) == 0


async def test_the_dashboard_and_capaian_show_the_same_aggregates(client, officer):
    await post(client, "/petugas/target", target())
    people = await cx.recorded(officer, 2, full_name="Siti Rahasia")
    await post(
        client, f"/petugas/pasca-rekam/warga/{people[0].id}", {"versi": 1, "tindakan": "ikd"}
    )
    dashboard = page(await client.get("/petugas")).select_one(
        "section[aria-labelledby=targets-title]"
    )
    assert "25.818 target aktivasi IKD" in text(dashboard)
    assert "1 sudah diaktifkan" in text(dashboard)
    assert dashboard.select_one("svg[role=img] rect.bar.done")
    assert dashboard.select_one("table.numbers")  # the chart's numbers, in a table
    client.cookies.clear()
    public = await client.get("/capaian")
    assert public.status_code == 200
    section = page(public).select_one("section[aria-labelledby=capaian-kota]")
    shown = text(section)
    assert "Target IKD dan perekaman" in shown and "25.818 target aktivasi IKD" in shown
    assert "1 sudah diaktifkan" in shown and "2 perekaman tahun ini" in shown
    assert section.select_one("svg[role=img]") and section.select_one("table.numbers")
    for person in people:
        assert person.nik not in public.text
    assert "Siti Rahasia" not in public.text and "RT 03" not in public.text


async def test_an_admin_chooses_the_office_and_staff_keep_to_theirs(client, login_as):
    await login_as(await fx.staff("kabupaten"))
    posted = await post(client, "/petugas/target", target(kantor="kota", wajib_ktp="837.220"))
    assert posted.status_code == 303
    [row] = await OfficeTarget.select()
    assert row["office"] == await cx.office_id("kabupaten")
    await login_as(await fx.admin())
    both = page(await client.get("/petugas/target"))
    assert not both.select_one("form[method=post][action$='/target']")
    assert "Pilih kantor" in text(both.select_one("main"))
    saved = await post(client, "/petugas/target", target(kantor="kota"))
    assert saved.status_code == 303 and "kantor=kota" in saved.headers["location"]
    assert await OfficeTarget.count() == 2
    nowhere = await post(client, "/petugas/target", target())
    assert nowhere.status_code == 404

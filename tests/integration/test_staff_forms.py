"""Every staff form carries the CSRF token a browser will send back (no header needed)."""

from portal.tables.locations import Location
from tests.integration import staff_fixtures as fx
from tests.integration.staff_client import page


async def test_every_post_form_on_staff_pages_carries_a_token(client, login_as):
    await login_as(await fx.staff("kota"))
    lst = await fx.submitted_list(await fx.coordinator("kota"))
    r = await fx.resident(lst, status="diverifikasi", warn_duplicate=True)
    await fx.resident(lst, nik=r.nik)
    s = await fx.session("kota", capacity=5)
    loc = await Location.select(Location.id).where(Location.office == r.office).first()
    paths = [
        "/petugas/antrian",
        f"/petugas/warga/{r.id}",
        f"/petugas/jadwal/{s.id}",
        "/petugas/jadwal/baru",
        f"/petugas/jadwal/{s.id}/ubah",
        f"/petugas/konten/lokasi/{loc['id']}",
        "/petugas/konten/persyaratan/baru",
        "/petugas/konten/angka/baru",
    ]
    counted = 0
    for path in paths:
        doc = page(await client.get(path))
        for form in doc.select("form[method=post]"):
            token = form.select_one("input[name=_csrf_token]")
            assert token is not None and token["value"], (path, form.get("action"))
            counted += 1
    assert counted >= 15


async def test_a_browser_style_post_with_the_pages_token_is_accepted(client, login_as):
    await login_as(await fx.staff("kota"))
    lst = await fx.submitted_list(await fx.coordinator("kota"))
    r = await fx.resident(lst)
    doc = page(await client.get(f"/petugas/warga/{r.id}"))
    form = doc.select_one(f"form[action='/petugas/warga/{r.id}/verifikasi']")
    data = {i["name"]: i.get("value", "") for i in form.select("input[type=hidden]")}
    response = await client.post(form["action"], data=data, follow_redirects=False)
    assert response.status_code == 303
    assert (await fx.fresh(r))["status"] == "diverifikasi"
    forged = await client.post(
        form["action"], data={**data, "_csrf_token": "x"}, follow_redirects=False
    )
    assert forged.status_code == 403

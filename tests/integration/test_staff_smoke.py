from tests.integration import staff_fixtures as fx
from tests.integration.staff_client import page, text


async def test_pages_render(client, login_as):
    officer = await fx.staff("kota")
    await login_as(officer)
    coord = await fx.coordinator("kota")
    lst = await fx.submitted_list(coord)
    r = await fx.resident(lst, full_name="Sri Wahyuni")
    s = await fx.session("kota", capacity=5)
    for path in [
        "/petugas",
        "/petugas/antrian",
        f"/petugas/warga/{r.id}",
        "/petugas/jadwal",
        f"/petugas/jadwal/{s.id}",
        "/petugas/jadwal/baru",
        f"/petugas/jadwal/{s.id}/ubah",
        "/petugas/konten",
    ]:
        response = await client.get(path)
        assert response.status_code == 200, (path, response.text[-3000:])
        assert text(page(response).select_one("h1"))

"""The schedule message a coordinator passes on to scheduled residents."""

from datetime import UTC, datetime, time, timedelta
from urllib.parse import unquote

from portal.clock import today_local
from portal.settings import get_settings
from portal.tables.outreach import OutreachSession
from portal.tables.regions import Office
from portal.tables.residents import Resident
from tests.integration.coordinator.helpers import page, resident_fields


async def _session(title: str, days: int, **extra) -> int:
    office = await Office.objects().where(Office.slug == "kota").first()
    session = OutreachSession(
        office=office.id,
        kind="kelurahan",
        title=title,
        place="Balai Kelurahan Surodinawan",
        day=today_local() + timedelta(days=days),
        starts=time(8, 0),
        ends=time(12, 0),
        updated_at=datetime.now(UTC),
        **extra,
    )
    await session.save()
    return session.id


async def test_message_names_scheduled_residents_by_coming_session(browser):
    url = await browser.new_list()
    names = ("budi", "Ani", "Citra", "Dedi", "Eka", "Fajar")
    for name in names:
        await browser.add(url, **resident_fields(name=name, nik=""))
    await browser.post(url + "/kirim", {"submit_token": "tok-message"})
    # Nobody scheduled yet: no message, and the dashboard points nowhere.
    assert "Pesan jadwal untuk warga" not in (await browser.get(url)).text
    assert "#pesan-jadwal" not in (await browser.get("/koordinator")).text
    later = await _session("Jemput bola kedua", 9)
    sooner = await _session("Jemput bola Surodinawan", 2)
    closed = await _session("Sesi sekolah", 5, public=False)
    cancelled = await _session("Sesi batal", 3, cancelled=True)
    past = await _session("Sesi lalu", -1)
    plan = {
        "budi": sooner,
        "Ani": sooner,
        "Citra": later,
        "Dedi": closed,
        "Eka": cancelled,
        "Fajar": past,
    }
    for name, session in plan.items():
        await Resident.update(
            {Resident.status: "dijadwalkan", Resident.outreach_session: session}
        ).where(Resident.full_name == name)
    await Resident.update({Resident.nik: "3576011708900001"}).where(Resident.full_name == "Ani")

    doc = page(await browser.get(url))
    message = doc.select_one("textarea#schedule-message").text
    blocks = message.split("\n\n")
    assert blocks[0] == "Jadwal perekaman KTP-el untuk warga Kel. Surodinawan RW 02 RT 03:"
    # Coming sessions in date order, names sorted, public ones with their page.
    assert blocks[1].splitlines()[0].startswith("Jemput bola Surodinawan, Balai Kelurahan")
    base = get_settings().base_url.rstrip("/")
    assert blocks[1].splitlines()[1:] == ["- Ani", "- budi", f"Info: {base}/jadwal/{sooner}"]
    assert blocks[2].splitlines()[0].startswith("Sesi sekolah") and "/jadwal/" not in blocks[2]
    assert blocks[2].splitlines()[1:] == ["- Dedi"]
    assert blocks[3].splitlines()[0].startswith("Jemput bola kedua")
    assert blocks[3].splitlines()[1] == "- Citra"
    assert blocks[4] == f"Perekaman KTP-el gratis. Yang perlu dibawa: {base}/persyaratan"
    assert len(blocks) == 5
    # Cancelled and past sessions are left out; nothing but names is personal.
    assert "Eka" not in message and "Fajar" not in message
    assert "3576" not in message and "1990" not in message
    share = doc.find("a", string="Kirim lewat WhatsApp")["href"]
    assert share.startswith("https://wa.me/?text=") and unquote(share[20:]) == message
    assert doc.select_one("button[data-copy='#schedule-message']")
    dashboard = page(await browser.get("/koordinator"))
    [link] = dashboard.select("a[href$='#pesan-jadwal']")
    assert link["href"] == url + "#pesan-jadwal"
    assert "siap diteruskan" in link.text


async def test_only_past_or_cancelled_sessions_leave_no_message(browser):
    url = await browser.new_list()
    for name in ("Lewat", "Batal"):
        await browser.add(url, **resident_fields(name=name))
    await browser.post(url + "/kirim", {"submit_token": "tok-message-none"})
    for name, session in (
        ("Lewat", await _session("Sesi lalu", -1)),
        ("Batal", await _session("Sesi batal", 4, cancelled=True)),
    ):
        await Resident.update(
            {Resident.status: "dijadwalkan", Resident.outreach_session: session}
        ).where(Resident.full_name == name)
    assert "Pesan jadwal untuk warga" not in (await browser.get(url)).text
    assert "#pesan-jadwal" not in (await browser.get("/koordinator")).text

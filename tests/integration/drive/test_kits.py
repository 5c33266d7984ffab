"""The office's recording kits and operators (``/petugas/alat-rekam``): adding, editing with a
version, taking out of use, one office's kits hidden from the other, audit with the change."""

from __future__ import annotations

import pytest

from portal.tables.accounts import AuditEntry
from portal.tables.kits import KitOperator, RecordingKit
from tests.integration import staff_fixtures as fx
from tests.integration.drive import kit_fixtures as kf
from tests.integration.staff_client import page, post, text

KITS = "/petugas/alat-rekam"


@pytest.fixture
async def officer(client, login_as):
    user = await fx.staff("kota")
    await login_as(user)
    return user


async def audited(action: str) -> list[dict]:
    return await AuditEntry.select().where(AuditEntry.action == action).output(load_json=True)


async def test_staff_add_a_kit_and_see_it_listed(client, officer):
    empty = await client.get(KITS)
    assert empty.status_code == 200
    assert "Belum ada alat rekam yang dicatat" in empty.text
    token = page(empty).select_one("form[action$='/alat-rekam/baru'] input[name=_token]")["value"]

    bad = await post(client, f"{KITS}/baru", {"name": "", "serial": "SN-1", "_token": token})
    assert bad.status_code == 422
    assert "Tulis nama alat rekam" in text(page(bad).select_one(".error-summary"))
    assert page(bad).select_one("#serial")["value"] == "SN-1"  # input kept
    assert await RecordingKit.count() == 0

    form = {
        "name": "Alat rekam  keliling",
        "serial": "SN-1",
        "notes": "Koper biru",
        "_token": token,
    }
    created = await post(client, f"{KITS}/baru", form)
    assert created.status_code == 303
    again = await post(client, f"{KITS}/baru", form)  # a double tap: one kit
    assert again.status_code == 303
    rows = await RecordingKit.select()
    assert len(rows) == 1
    kota = await fx.office("kota")
    assert (rows[0]["name"], rows[0]["serial"], rows[0]["active"], rows[0]["office"]) == (
        "Alat rekam keliling",
        "SN-1",
        True,
        kota.id,
    )
    [entry] = await audited("kit.create")
    assert entry["object_id"] == str(rows[0]["id"]) and entry["actor"] == officer.id
    listed = await client.get(created.headers["location"])
    assert "Alat rekam disimpan." in listed.text
    assert "Alat rekam keliling" in text(page(listed).select_one("main table"))


async def test_a_kit_name_is_once_per_office(client, officer):
    await kf.kit("kota", "Alat rekam MPP")
    await kf.kit("kabupaten", "Alat rekam keliling")  # the other office may use any name
    same = await post(client, f"{KITS}/baru", {"name": "alat rekam mpp"})
    assert same.status_code == 422 and "sudah dipakai alat rekam lain" in same.text
    other = await post(client, f"{KITS}/baru", {"name": "Alat rekam keliling"})
    assert other.status_code == 303
    assert await RecordingKit.count() == 3


async def test_edit_a_kit_with_its_version_and_take_it_out_of_use(client, officer):
    k = await kf.kit("kota", "Alat rekam MPP")
    shown = await client.get(f"{KITS}/{k.id}")
    assert page(shown).select_one("input[name=version]")["value"] == "1"
    assert page(shown).select_one("#active").has_attr("checked")
    saved = await post(
        client, f"{KITS}/{k.id}", {"name": "Alat rekam MPP Gajah Mada", "version": "1"}
    )
    assert saved.status_code == 303
    row = await fx.fresh(k)
    assert (row["name"], row["active"], row["version"]) == ("Alat rekam MPP Gajah Mada", False, 2)
    [entry] = await audited("kit.update")
    assert entry["detail"]["changed"] == ["active", "name"]

    stale = await post(
        client, f"{KITS}/{k.id}", {"name": "Nama lama", "version": "1", "active": "1"}
    )
    assert stale.status_code == 409
    assert "baru saja diubah petugas lain" in stale.text
    assert page(stale).select_one("#name")["value"] == "Alat rekam MPP Gajah Mada"  # the latest
    assert (await fx.fresh(k))["name"] == "Alat rekam MPP Gajah Mada"
    assert len(await audited("kit.update")) == 1


async def test_another_offices_kit_and_operator_are_not_found(client, officer):
    theirs = await kf.kit("kabupaten", "Alat rekam Sooko")
    their_operator = await kf.operator("kabupaten", "Pak Operator Kab")
    ours = await kf.kit("kota", "Alat rekam MPP")
    listing = await client.get(KITS)
    assert "Alat rekam MPP" in listing.text
    assert "Alat rekam Sooko" not in listing.text and "Pak Operator Kab" not in listing.text
    assert (await client.get(f"{KITS}/{theirs.id}")).status_code == 404
    changed = await post(client, f"{KITS}/{theirs.id}", {"name": "Diambil", "version": "1"})
    assert changed.status_code == 404
    assert (await client.get(f"{KITS}/operator/{their_operator.id}")).status_code == 404
    assert (await fx.fresh(theirs))["name"] == "Alat rekam Sooko"
    assert (await client.get(f"{KITS}/{ours.id}")).status_code == 200


async def test_a_coordinator_cannot_open_the_kits(client, login_as):
    await login_as(await fx.coordinator("kota"))
    assert (await client.get(KITS)).status_code in (403, 404)


async def test_admin_sees_both_offices_and_adds_to_the_chosen_one(client, login_as):
    await login_as(await fx.admin())
    await kf.kit("kota", "Alat rekam MPP")
    await kf.kit("kabupaten", "Alat rekam Sooko")
    both = await client.get(KITS)
    assert "Alat rekam MPP" in both.text and "Alat rekam Sooko" in both.text
    assert "Pilih kantor di atas" in both.text  # no office chosen: nothing to add to
    chosen = await client.get(f"{KITS}?kantor=kabupaten")
    assert "Alat rekam MPP" not in chosen.text
    assert page(chosen).select_one("input[name=kantor]")["value"] == "kabupaten"
    made = await post(client, f"{KITS}/baru", {"name": "Alat rekam Jetis", "kantor": "kabupaten"})
    assert made.status_code == 303
    kab = await fx.office("kabupaten")
    row = await RecordingKit.select().where(RecordingKit.name == "Alat rekam Jetis").first()
    assert row["office"] == kab.id


async def test_operators_are_added_and_edited(client, officer):
    bad = await post(client, f"{KITS}/operator/baru", {"full_name": "Bu Rina", "phone": "12345"})
    assert bad.status_code == 422
    assert "Nomor HP" in text(page(bad).select_one(".error-summary"))
    assert page(bad).select_one("#full_name")["value"] == "Bu Rina"
    assert await KitOperator.count() == 0
    ok = await post(
        client, f"{KITS}/operator/baru", {"full_name": "Bu Rina", "phone": "0812-3456-7890"}
    )
    assert ok.status_code == 303
    row = await KitOperator.select().first()
    assert (row["full_name"], row["phone"], row["active"]) == ("Bu Rina", "+6281234567890", True)
    entry = (await audited("operator.create"))[0]
    assert "Rina" not in str(entry["detail"]) and "3456" not in str(entry["detail"])

    shown = await client.get(f"{KITS}/operator/{row['id']}")
    assert page(shown).select_one("#phone")["value"] == "0812-3456-7890"
    off = await post(
        client,
        f"{KITS}/operator/{row['id']}",
        {"full_name": "Bu Rina W.", "phone": "", "version": "1"},
    )
    assert off.status_code == 303
    row = await KitOperator.select().first()
    assert (row["full_name"], row["phone"], row["active"], row["version"]) == (
        "Bu Rina W.",
        None,
        False,
        2,
    )
    assert len(await audited("operator.update")) == 1


class AuditDown(RuntimeError):
    pass


async def test_a_kit_is_not_stored_without_its_audit_line(client, officer, monkeypatch):
    k = await kf.kit("kota", "Alat rekam MPP")
    await client.get(KITS)  # the CSRF cookie, before the audit log goes down
    from portal.domain import audit

    async def refuse(*args, **kwargs):
        raise AuditDown("the audit log cannot be written")

    monkeypatch.setattr(audit, "record", refuse)
    created = await post(client, f"{KITS}/baru", {"name": "Alat tanpa jejak"})
    assert created.status_code == 500
    changed = await post(client, f"{KITS}/{k.id}", {"name": "Nama tanpa jejak", "version": "1"})
    assert changed.status_code == 500
    operator = await post(client, f"{KITS}/operator/baru", {"full_name": "Operator tanpa jejak"})
    assert operator.status_code == 500
    assert await RecordingKit.count() == 1 and await KitOperator.count() == 0
    row = await fx.fresh(k)
    assert (row["name"], row["active"], row["version"]) == ("Alat rekam MPP", True, 1)
    assert await AuditEntry.count() == 0

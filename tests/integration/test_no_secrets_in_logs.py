"""A full account flow with every log record captured: no NIK-shaped number, no
password, no token, no TOTP secret or recovery code in the output."""

from __future__ import annotations

import io
import logging

from bs4 import BeautifulSoup

from portal.logging_setup import RedactingFormatter
from portal.rules.nik import NIK_PATTERN
from tests.integration.accounts_fixtures import (
    activation_link,
    make_user,
    post_form,
    reload,
    sign_in_with_form,
    totp_now,
)

NIK = "3576014507090003"
NEW_PASSWORD = "lampu-merah-jalan-panjang"


async def test_full_flow_leaves_no_secret_in_the_logs(client, login_as, caplog):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(RedactingFormatter("%(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    caplog.set_level(logging.DEBUG)
    secrets_seen: list[str] = []
    try:
        staff = await make_user("petugas.kota", "staff")
        secrets_seen.append(staff.totp_secret)
        # Staff sign in with password and code.
        await sign_in_with_form(client, "petugas.kota")
        code = totp_now(staff)
        await post_form(client, "/masuk/kode", {"code": code})
        # …create a coordinator (a NIK typed into the name by mistake) and get a link.
        from tests.integration.test_account_management import _create_coordinator

        created = await _create_coordinator(client, full_name=f"Pak Budi {NIK}")
        link = activation_link(created.text)
        secrets_seen.append(link.rsplit("/", 1)[1])
        client.cookies.clear()
        # The coordinator activates, signs out, mistypes a NIK as the username.
        await post_form(client, link, {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
        await post_form(client, "/keluar")
        await sign_in_with_form(client, NIK, NEW_PASSWORD)
        await sign_in_with_form(client, "rt07.wates", NEW_PASSWORD, follow=False)
        # Turns on two-factor sign-in and receives recovery codes.
        await client.get("/akun/2fa")
        coordinator = await reload(await _by_name("rt07.wates"))
        secrets_seen.append(coordinator.totp_secret)
        done = await post_form(client, "/akun/2fa", {"code": totp_now(coordinator)})
        secrets_seen += [c.text for c in BeautifulSoup(done.text, "html.parser").select("code")]
        # Something in the app logs a NIK and a link: the redaction must catch it.
        logging.getLogger("portal.test").warning(
            "resident %s opened %s", NIK, "http://x/aktivasi/" + secrets_seen[1]
        )
        logging.getLogger("portal.test").error("failed: password=%s", NEW_PASSWORD)
    finally:
        root.removeHandler(handler)
    outputs = {"caplog": caplog.text, "handler": stream.getvalue()}
    assert "portal.test" in outputs["handler"]  # the capture did capture
    for name, text in outputs.items():
        assert not NIK_PATTERN.search(text), (name, NIK_PATTERN.search(text))
        assert NEW_PASSWORD not in text, name
        assert code not in text.replace("HTTP/1.1 200", ""), name
        for secret in secrets_seen:
            assert secret and secret not in text, (name, secret)


async def _by_name(username):
    from portal.tables.accounts import User

    return await User.objects().where(User.username == username).first()

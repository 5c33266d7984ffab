"""Pure parts of accounts and security: redirects, TOTP steps, recovery codes, log
redaction, cookies in production, RW/RT numbers, share links, how account data reads."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pyotp
import pytest

from portal.auth import redirects, totp
from portal.domain.rtrw import RtRwError, read_rt_rw
from portal.logging_setup import RedactingFormatter, configure_logging, redact
from portal.settings import Settings


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("/akun", "/akun"),
        ("/petugas/antrian?status=baru#x", "/petugas/antrian?status=baru#x"),
        ("//evil.example/", None),
        ("/\\evil.example", None),
        ("https://evil.example/", None),
        ("javascript:alert(1)", None),
        ("akun", None),
        ("/akun\r\nSet-Cookie: x=1", None),
        ("/masuk?next=/x", None),
        ("/aktivasi/abc", None),
        ("", None),
        (None, None),
        ("/" + "a" * 600, None),
    ],
)
def test_safe_next(value, expected):
    assert redirects.safe_next(value) == expected


def test_role_homes():
    class U:
        role = "staff"

    paths = {"staff:dashboard": "/petugas", "accounts:admin-home": "/admin"}
    assert redirects.after_login(U(), None, paths.__getitem__) == "/petugas"
    assert redirects.after_login(U(), "//x", paths.__getitem__) == "/petugas"
    U.role = "coordinator"
    next_path = "/koordinator/daftar/1"
    assert redirects.after_login(U(), next_path, paths.__getitem__) == next_path
    U.role = "admin"
    assert redirects.home_for(U(), paths.__getitem__) == "/admin"


def test_totp_accepts_one_step_of_drift_and_no_more():
    secret = pyotp.random_base32()
    at = datetime(2026, 11, 25, 12, 0, 10, tzinfo=UTC)
    step = int(at.timestamp()) // 30
    generator = pyotp.TOTP(secret)
    for offset in (-1, 0, 1):
        code = generator.generate_otp(step + offset)
        assert totp.matching_step(secret, code, at) == step + offset
    for offset in (-3, 2):
        code = generator.generate_otp(step + offset)
        assert totp.matching_step(secret, code, at) is None
    assert totp.matching_step(secret, "12 34 56 ", at) in (None, *range(step - 1, step + 2))
    assert totp.matching_step(secret, "", at) is None
    assert totp.matching_step(secret, "1234567", at) is None
    assert totp.matching_step("", generator.generate_otp(step), at) is None


def test_totp_code_with_spaces_is_read():
    secret = pyotp.random_base32()
    at = datetime(2026, 11, 25, 12, 0, 10, tzinfo=UTC)
    code = pyotp.TOTP(secret).generate_otp(int(at.timestamp()) // 30)
    assert totp.matching_step(secret, f"{code[:3]} {code[3:]}", at) is not None


def test_qr_is_an_svg_data_uri_and_the_uri_names_the_portal():
    uri = totp.provisioning_uri("petugas.kota", pyotp.random_base32())
    assert uri.startswith("otpauth://totp/") and "issuer=Portal" in uri
    assert totp.qr_svg_data_uri(uri).startswith("data:image/svg+xml")
    assert totp.grouped_secret("ABCDEFGHIJ") == "ABCD EFGH IJ"


def test_recovery_codes_look_like_recovery_codes():
    code = totp._new_recovery_code()
    assert len(code) == 11 and code[5] == "-"
    assert totp.looks_like_recovery_code(code)
    assert totp.looks_like_recovery_code(code.upper().replace("-", " "))
    assert not totp.looks_like_recovery_code("123456")
    assert not set(code) & set("01lio")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("2", "02"), ("02", "02"), ("002", "02"), (" 12 ", "12"), ("", None), ("RT 3", "03")],
)
def test_rw_rt_numbers(raw, expected):
    """The account forms read RW/RT by the one rule (portal.domain.rtrw): "RT 3" is 03."""
    assert read_rt_rw(raw) == expected


@pytest.mark.parametrize("raw", ["0", "a1", "1234", "-1"])
def test_rw_rt_refuses_nonsense(raw):
    with pytest.raises(RtRwError):
        read_rt_rw(raw)


def test_redaction_of_niks_tokens_and_password_fields():
    text = (
        "nik 3576014507090003 and 3576 0145 0709 0003, link /aktivasi/Abc_def-123456789 "
        "password=hunter2hunter2&x=1 {'_csrf_token': 'abc'}"
    )
    out = redact(text)
    assert "3576014507090003" not in out and "0145 0709" not in out
    assert "Abc_def-123456789" not in out and "/aktivasi/[token]" in out
    assert "hunter2" not in out and "x=1" in out
    assert "'abc'" not in out


def test_every_log_record_is_redacted_whatever_the_handler(caplog):
    configure_logging(Settings(_env_file=None, log_level="INFO"))
    log = logging.getLogger("portal.unit")
    with caplog.at_level(logging.INFO):
        log.info("resident %s", "3576014507090003")
        log.info("visit /aktivasi/%s", "S3cr3t-token-value-123")
        log.info("count %d", 5)
    assert "3576014507090003" not in caplog.text
    assert "S3cr3t-token-value-123" not in caplog.text
    assert "count 5" in caplog.text


def test_formatter_redacts_tracebacks():
    formatter = RedactingFormatter("%(message)s")
    try:
        raise ValueError("duplicate key (nik)=(3576014507090003)")
    except ValueError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, "f", 1, "boom", None, sys.exc_info())
    assert "3576014507090003" not in formatter.format(record)


def test_uvicorn_access_records_keep_their_argument_tuple():
    configure_logging(Settings(_env_file=None))
    record = logging.getLogRecordFactory()(
        "uvicorn.access",
        logging.INFO,
        "f",
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("1.2.3.4", "GET", "/aktivasi/abcdefghijklmnop", "1.1", 200),
        None,
    )
    assert isinstance(record.args, tuple) and len(record.args) == 5
    assert "abcdefghijklmnop" not in record.getMessage()


def test_database_drivers_never_log_queries():
    configure_logging(Settings(_env_file=None, log_level="DEBUG"))
    try:
        for name in ("aiosqlite", "asyncpg"):
            assert not logging.getLogger(name).isEnabledFor(logging.DEBUG)
    finally:
        configure_logging(Settings(_env_file=None, log_level="WARNING"))


def test_cookies_are_secure_and_host_prefixed_in_production(monkeypatch):
    from portal.auth import challenges, sessions

    production = Settings(
        _env_file=None,
        env="production",
        secret_key="p" * 40,
        database_url="postgresql://u@h/db",
    )
    monkeypatch.setattr(sessions, "get_settings", lambda: production)
    monkeypatch.setattr(challenges, "get_settings", lambda: production)
    cookie = sessions.session_cookie("t")
    assert cookie.key == "__Host-portal_session"
    assert cookie.secure and cookie.httponly and cookie.samesite == "lax" and cookie.path == "/"
    assert cookie.domain is None  # required by the __Host- prefix
    challenge = challenges._cookie("t", 300)
    assert challenge.key == "__Host-portal_challenge" and challenge.secure
    assert challenge.samesite == "strict" and challenge.httponly


def test_session_lifetimes_follow_settings():
    from datetime import timedelta

    from portal.auth.sessions import lifetimes

    class U:
        role = "staff"

    settings = Settings(_env_file=None, staff_idle_minutes=15, coordinator_lifetime_hours=24)
    assert lifetimes(U(), settings) == (timedelta(minutes=15), timedelta(hours=12))
    U.role = "coordinator"
    assert lifetimes(U(), settings) == (timedelta(minutes=240), timedelta(hours=24))


def test_whatsapp_share_link_carries_the_link_encoded():
    from portal.auth.activation import share_text
    from portal.domain.links import whatsapp_share_url

    url = "http://127.0.0.1:8000/aktivasi/abc-DEF_123"
    share = whatsapp_share_url(share_text("Bu Sri & Pak Budi", url))
    parts = urlsplit(share)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "wa.me", "/")
    text = parse_qs(parts.query)["text"][0]
    assert url in text and "Bu Sri & Pak Budi" in text


def test_throttle_message_does_not_depend_on_the_account():
    from portal.auth.throttle import account_key, wait_message

    assert "30 detik" in wait_message(30)
    assert "2 menit" in wait_message(61)
    assert account_key(7, "x") == "user:7"
    assert account_key(None, "siapa") == "name:siapa"


def test_a_coordinators_area_reads_as_before():
    from portal.web.filters import area

    row = {"scope_rt": "03", "scope_rw": "02", "village_name": "Surodinawan"}
    assert area({**row, "kecamatan_name": "Prajurit Kulon"}) == (
        "RT 03 / RW 02, Surodinawan, Kec. Prajurit Kulon"
    )
    assert area({"scope_rw": "02", "village_name": "Surodinawan"}) == "RW 02, Surodinawan"
    assert area({"scope_rt": "03"}) == "RT 03 / RW –"
    assert area({}) == "–"


def test_account_states_and_audit_actions_have_words():
    from portal.domain import vocabulary

    assert vocabulary.label("account_state", "menunggu") == "Menunggu aktivasi"
    assert set(vocabulary.ACCOUNT_STATE_TONES) == set(vocabulary.ACCOUNT_STATES)
    assert vocabulary.label("audit_action", "login.throttled").startswith("Masuk ditahan")
    # Other areas' actions without words are shown as recorded.
    assert vocabulary.label("audit_action", "resident.nik_viewed") == "resident.nik_viewed"


def test_a_refusal_reads_the_same_on_every_account_page():
    from portal.accounts.web import Again, refusal
    from portal.domain.errors import Conflict, Forbidden, Invalid, Throttled

    assert refusal(None).status == 200 and refusal(None).context == {
        "errors": {},
        "problem": None,
    }
    invalid = refusal(Again(Invalid({"rw": "Isi RW"}), {"rw": ""}))
    assert (invalid.status, invalid.errors) == (400, {"rw": "Isi RW"})
    wait = refusal(Throttled("Tunggu 2 menit", 120), "off_password")
    assert (wait.status, wait.errors, wait.headers) == (
        429,
        {"off_password": "Tunggu 2 menit"},
        {"Retry-After": "120"},
    )
    changed = refusal(Conflict("Baru saja diubah"))
    assert changed.status == 409 and changed.problem.tone == "error"
    assert refusal(Forbidden("Wajib")).problem.tone == "warn"

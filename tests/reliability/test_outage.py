"""The database goes away and comes back: the app starts anyway, answers 503 with
Retry-After (never hangs), logs the reason, and recovers by itself within seconds."""

from __future__ import annotations

import time

from tests.flows import session_cookie
from tests.portalserver import PortalServer

RECOVERY_LIMIT = 5.0  # seconds from the database accepting connections to /readyz 200
OUTAGE_ANSWER_LIMIT = 2.0  # seconds for a request during an outage to get its 503
# A signed-in coordinator's pages: never a cached copy.
NEEDS_DATABASE = ("/koordinator/", "/koordinator/daftar/baru")


def assert_unavailable_page(response) -> None:
    assert response.status_code == 503, response.text[:300]
    assert response.headers["retry-after"].isdigit()
    assert response.headers["content-type"].startswith("text/html")
    assert "Layanan sedang tidak tersedia" in response.text
    assert "Traceback" not in response.text


def test_starts_without_database_and_recovers_when_it_returns(migrated):
    pg, env = migrated
    pg.stop("fast")
    with PortalServer(env) as server:
        ready = server.get("/readyz")
        assert ready.status_code == 503
        assert ready.headers["retry-after"].isdigit()
        assert_unavailable_page(server.get("/"))
        assert server.get("/healthz").status_code == 200
        # The reason is in the log, not swallowed.
        reasons = [r["message"] for r in server.log_records() if r["logger"] == "portal.db"]
        assert any(
            m.startswith("database unavailable: ") and "refused" in m.lower() for m in reasons
        ), server.output()

        pg.start()
        took = server.wait_for("/readyz", 200, timeout=RECOVERY_LIMIT + 5)
        assert took <= RECOVERY_LIMIT, f"recovered after {took:.1f} s"
        assert server.get("/").status_code == 200


def test_outage_while_running_answers_fast_and_recovers(dev_site):
    pg, env = dev_site
    signed_in = {"Cookie": f"portal_session={session_cookie(env, 'rt03.surodinawan')}"}
    with PortalServer(env) as server:
        server.wait_for("/readyz", 200, timeout=10)
        for _ in range(3):  # warm the connection pool and the public pages' copies
            assert server.get("/").status_code == 200
            assert server.get("/koordinator/", headers=signed_in).status_code == 200
        good_copy = server.get("/").text

        for mode in ("fast", "immediate"):
            pg.stop(mode)
            for _ in range(3):
                # Pages that need the database: the 503 page at once, never a hang.
                for path in NEEDS_DATABASE:
                    started = time.monotonic()
                    response = server.get(path, headers=signed_in, timeout=10)
                    elapsed = time.monotonic() - started
                    assert_unavailable_page(response)
                    assert elapsed < OUTAGE_ANSWER_LIMIT, f"{path}: {elapsed:.2f} s ({mode})"
                # A public information page already shown keeps its last good copy.
                copy = server.get("/")
                assert copy.status_code == 200 and copy.headers["x-portal-cache"] == "stale"
                assert copy.text == good_copy
            assert server.get("/readyz").status_code == 503

            pg.start()
            took = server.wait_for("/readyz", 200, timeout=RECOVERY_LIMIT + 5)
            assert took <= RECOVERY_LIMIT, f"recovered after {took:.1f} s ({mode})"
            # Every page works again at once: no stale pooled connection answers 503.
            for path in ("/", *NEEDS_DATABASE):
                statuses = [server.get(path, headers=signed_in).status_code for _ in range(5)]
                assert statuses == [200] * 5, (path, statuses)
            assert server.get("/").headers.get("x-portal-cache") != "stale"
        messages = [r["message"] for r in server.log_records() if r["logger"] == "portal.db"]
        assert messages.count("database ready") >= 3, messages

"""Two ``portal serve`` processes on one PostgreSQL, each running the import job in its
lifespan (docs/drive.md §6.1): the process holding an import is killed mid-read, the other
claims it once the lease lapses (30 s) and finishes it from the durable cursor, every row
staged exactly once; after the confirm the apply runs on the survivor to the end."""

from __future__ import annotations

import os
import signal
import time

from tests.portalserver import PortalServer, python_module

ROWS = 30_000
DRIVER = "tests.reliability.office_import_driver"


def row_of(pg, public_id: str) -> dict[str, str]:
    line = pg.psql(
        "SELECT state, read_rows, applied_rows, attempts, worker, new_count, error_rows "
        f"FROM office_import WHERE public_id = '{public_id}'",
        "portal",
    )
    keys = ("state", "read_rows", "applied_rows", "attempts", "worker", "new", "errors")
    return dict(zip(keys, line.split("|"), strict=True))


def wait_until(pg, public_id: str, done, timeout: float) -> dict[str, str]:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        row = row_of(pg, public_id)
        if done(row):
            return row
        time.sleep(0.05)
    raise TimeoutError(f"import still {row_of(pg, public_id)} after {timeout} s")


def kill(server: PortalServer) -> None:
    """SIGKILL the server and its workers: no lifespan shutdown, the lease left behind."""
    assert server.proc is not None
    os.killpg(server.proc.pid, signal.SIGKILL)
    server.proc.wait(timeout=10)


def test_an_import_whose_worker_dies_is_finished_by_the_other_process(dev_site):
    pg, env = dev_site
    with PortalServer(env) as first:
        first.wait_for("/readyz", 200, timeout=20)
        public_id = python_module(env, DRIVER, "upload", str(ROWS)).stdout.strip()
        held = wait_until(pg, public_id, lambda r: int(r["read_rows"]) > 0, timeout=60)
        kill(first)
    stranded = row_of(pg, public_id)
    assert stranded["state"] in ("uploaded", "parsing") and stranded["worker"] == held["worker"]
    assert int(stranded["read_rows"]) < ROWS
    with PortalServer(env) as second:
        parsed = wait_until(pg, public_id, lambda r: r["state"] == "parsed", timeout=120)
        assert parsed["read_rows"] == str(ROWS) and parsed["new"] == str(ROWS)
        assert parsed["errors"] == "0" and parsed["attempts"] == "0" and parsed["worker"] == ""
        staged = pg.psql(
            "SELECT count(*), count(DISTINCT n) FROM office_import_row r JOIN office_import i "
            f"ON i.id = r.office_import WHERE i.public_id = '{public_id}'",
            "portal",
        )
        assert staged == f"{ROWS}|{ROWS}"
        python_module(env, DRIVER, "confirm", public_id)
        applied = wait_until(pg, public_id, lambda r: r["state"] == "applied", timeout=120)
        assert applied["applied_rows"] == str(ROWS)
        assert second.proc is not None and second.proc.poll() is None
    people = pg.psql(
        "SELECT count(*) FROM office_person p JOIN office_import i ON i.id = p.last_import "
        f"WHERE i.public_id = '{public_id}'",
        "portal",
    )
    assert people == str(ROWS)
    assert pg.psql("SELECT count(*) FROM office_upload_part", "portal") == "0"

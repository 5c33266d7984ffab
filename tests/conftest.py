"""Test configuration shared by every test directory.

The database engine of a test run is chosen before anything imports the portal, because
settings and the Piccolo engine are read once per process:
``PORTAL_TEST_ENGINE=sqlite`` (default) or ``postgres`` (server from
``PORTAL_TEST_POSTGRES_URL``, default the local one). Each run creates its own database and
drops it at the end.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

ENGINE = os.environ.get("PORTAL_TEST_ENGINE", "sqlite")
POSTGRES_SERVER = os.environ.get(
    "PORTAL_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
RUN_ID = secrets.token_hex(4)

if ENGINE == "postgres":
    TEST_DB_NAME = f"portal_test_{RUN_ID}"
    TEST_DATABASE_URL = POSTGRES_SERVER.rsplit("/", 1)[0] + "/" + TEST_DB_NAME
else:
    TEST_DB_NAME = ""
    _tmp = Path(tempfile.mkdtemp(prefix="portal-test-"))
    TEST_DATABASE_URL = f"sqlite:///{_tmp / 'portal.sqlite3'}"

os.environ.update(
    {
        "PORTAL_ENV": "test",
        "PORTAL_DATABASE_URL": TEST_DATABASE_URL,
        "PORTAL_SECRET_KEY": "test-secret-" + "x" * 40,
        "PORTAL_ALLOWED_HOSTS": '["testserver.local", "127.0.0.1", "localhost"]',
        "PICCOLO_CONF": "portal.piccolo_conf",
        "PORTAL_LOG_LEVEL": "WARNING",
        # Tests run the jobs themselves (office_import_job.run_pending), never a loop that
        # could take an import from under them; a test that wants the loop turns it on.
        "PORTAL_JOBS": "off",
    }
)

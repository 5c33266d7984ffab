"""deploy/nginx.conf, the production nginx configuration, run for real.

The very file the operations guide points at is rendered for a temporary prefix (its
${PORTAL_...} placeholders filled in, as envsubst would) and included in a minimal main
configuration: nginx as the current user, pid, logs and temp folders in a temporary
directory, `daemon off`, TLS with a throwaway certificate. Behind it runs `portal serve
--workers 2` with production settings on a throwaway PostgreSQL cluster holding the demo
data. Every check goes through nginx, as a visitor's browser would.

Clients connect from 127.0.0.2 and up (all loopback on Linux) while nginx reaches the
workers from 127.0.0.1, the trusted proxy: so the app's idea of the client address can be
told apart from the proxy's.
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import re
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from portal.ops.limits import size_text
from portal.settings import Settings
from portal.web.headers import BASE_HEADERS, HSTS
from tests.flows import find_form, hidden_of
from tests.pgcluster import IN_CI, PgCluster, free_port, require_initdb
from tests.portalserver import ROOT, PortalServer
from tests.reliability.conftest import load_dev_site

CONFIG = ROOT / "deploy" / "nginx.conf"
PLACEHOLDER = re.compile(r"\$\{(PORTAL_[A-Z_]+)\}")
IMMUTABLE = "public, max-age=31536000, immutable"
SECURITY_HEADERS = {**BASE_HEADERS, "Strict-Transport-Security": HSTS}
NOT_FOUND_TITLE = "Halaman tidak ditemukan"
TOO_LARGE_TITLE = "Berkas atau isian terlalu besar"
COORDINATOR = ("rt03.surodinawan", "contoh-sandi-koordinator-1")  # portal/demo.py

MAIN_CONF = """\
{user}
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log stderr warn;
events {{ worker_connections 128; }}
http {{
    include {mime_types};
    default_type application/octet-stream;
    access_log {tmp}/access.log;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/portal.conf;
}}
"""


def require_tools() -> tuple[str, str]:
    """nginx and openssl, or a loud skip (a failure with CI=true: CI must run this)."""
    nginx = shutil.which("nginx")
    if nginx is None and os.access("/usr/sbin/nginx", os.X_OK):
        nginx = "/usr/sbin/nginx"  # not on a non-root PATH
    openssl = shutil.which("openssl")
    problem = ""
    if nginx is None:
        problem = "nginx not installed (apt-get install nginx-light)"
    elif openssl is None:
        problem = "openssl not installed (apt-get install openssl)"
    if problem:
        if IN_CI:
            pytest.fail(f"FAIL (CI=true): {problem}", pytrace=False)
        sys.stderr.write(f"\n*** SKIPPING NGINX TESTS: {problem} ***\n")
        pytest.skip(problem)
    return nginx, openssl


def render(template: str, values: dict[str, str]) -> str:
    """What envsubst does with the placeholders the file's header names."""
    wanted = set(PLACEHOLDER.findall(template))
    assert wanted == set(values), f"placeholders {sorted(wanted)} vs values {sorted(values)}"
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], template)


def mime_types(nginx: str) -> str:
    version = subprocess.run([nginx, "-V"], capture_output=True, text=True, check=True).stderr
    match = re.search(r"--conf-path=(\S+)", version)
    return str(Path(match.group(1) if match else "/etc/nginx/nginx.conf").parent / "mime.types")


@dataclass
class Site:
    pg: PgCluster
    app: PortalServer
    url: str  # https through nginx
    http_url: str  # the plain-HTTP server block
    tls: ssl.SSLContext

    def client(self, source: str = "127.0.0.2") -> httpx.Client:
        transport = httpx.HTTPTransport(verify=self.tls, local_address=source)
        return httpx.Client(base_url=self.url, transport=transport, timeout=20)

    def log_offset(self, quiet: float = 0.3) -> int:
        """Where the app's log ends, once it has stopped growing for ``quiet`` seconds: a
        worker writes a request's line just after the response, so the line of a request
        the test made a moment ago may still be on its way (and would count as later)."""
        size = self.app.log_path.stat().st_size
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            time.sleep(quiet)
            now = self.app.log_path.stat().st_size
            if now == size:
                break
            size = now
        return size

    def requests_logged(self, since: int) -> list[dict]:
        """The app's request log lines written after ``since`` (a byte offset)."""
        with self.app.log_path.open("rb") as log:
            log.seek(since)
            lines = log.read().decode(errors="replace").splitlines()
        records = []
        for line in lines:
            with contextlib.suppress(ValueError):
                record = json.loads(line)
                if isinstance(record, dict) and record.get("message") == "request":
                    records.append(record)
        return records

    def wait_logged(self, since: int, *paths: str, timeout: float = 5) -> list[dict]:
        """The request log lines after ``since`` once ``paths`` are all in it (a path listed
        twice: two lines). Workers write a line just after the response, so poll briefly;
        a short grace after that lets a line that should not be there show up too."""
        deadline = time.monotonic() + timeout
        while True:
            records = self.requests_logged(since)
            seen = Counter(r.get("path") for r in records)
            if all(seen[p] >= n for p, n in Counter(paths).items()):
                time.sleep(0.3)
                return self.requests_logged(since)
            if time.monotonic() > deadline:
                return records
            time.sleep(0.05)


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    nginx_bin, openssl = require_tools()
    require_initdb()
    tmp = Path(tempfile.mkdtemp(prefix="portal-nginx-"))
    nginx: subprocess.Popen | None = None
    try:
        subprocess.run(
            [
                openssl,
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=127.0.0.1",
                "-addext",
                "subjectAltName=IP:127.0.0.1",
                "-keyout",
                str(tmp / "key.pem"),
                "-out",
                str(tmp / "cert.pem"),
            ],
            capture_output=True,
            check=True,
            timeout=30,
        )
        https_port, http_port, app_port = free_port(), free_port(), free_port()
        url = f"https://127.0.0.1:{https_port}"
        (tmp / "portal.conf").write_text(
            render(
                CONFIG.read_text(),
                {
                    "PORTAL_SERVER_NAME": "127.0.0.1",
                    "PORTAL_ROOT": str(ROOT),
                    "PORTAL_UPSTREAM": f"127.0.0.1:{app_port}",
                    "PORTAL_HTTP_LISTEN": f"127.0.0.1:{http_port}",
                    "PORTAL_HTTPS_LISTEN": f"127.0.0.1:{https_port}",
                    "PORTAL_TLS_CERT": str(tmp / "cert.pem"),
                    "PORTAL_TLS_KEY": str(tmp / "key.pem"),
                },
            )
        )
        me = pwd.getpwuid(os.geteuid())
        # Only a root master switches its workers to `user` (nobody by default, who may not
        # read the checkout); any other master runs them as itself and ignores the line.
        user = f"user {me.pw_name};" if os.geteuid() == 0 else ""
        (tmp / "nginx.conf").write_text(
            MAIN_CONF.format(user=user, tmp=tmp, mime_types=mime_types(nginx_bin))
        )
        with PgCluster() as pg:
            env = load_dev_site(pg)  # demo accounts need development settings to be made
            env.update(
                PORTAL_ENV="production",
                PORTAL_TRUSTED_PROXIES='["127.0.0.1"]',
                PORTAL_BASE_URL="https://127.0.0.1",
            )
            with PortalServer(env, "--workers", "2", port=app_port) as app:
                app.wait_for("/readyz", 200, timeout=30)
                nginx = subprocess.Popen(
                    [nginx_bin, "-p", str(tmp), "-c", str(tmp / "nginx.conf"), "-e", "stderr"],
                    stdout=subprocess.DEVNULL,
                    stderr=(tmp / "stderr.log").open("wb"),
                    start_new_session=True,
                )
                tls = ssl.create_default_context(cafile=str(tmp / "cert.pem"))
                proxied = Site(pg, app, url, f"http://127.0.0.1:{http_port}", tls)
                _wait_for_nginx(proxied, nginx, tmp)
                yield proxied
    finally:
        if nginx is not None:
            _stop(nginx)
        shutil.rmtree(tmp, ignore_errors=True)


def _wait_for_nginx(site: Site, nginx: subprocess.Popen, tmp: Path) -> None:
    deadline = time.monotonic() + 15
    last = ""
    with site.client() as client:
        while time.monotonic() < deadline:
            if nginx.poll() is not None:
                raise RuntimeError(f"nginx exited: {(tmp / 'stderr.log').read_text()}")
            try:
                if client.get("/healthz").status_code == 200:
                    return
            except httpx.HTTPError as exc:
                last = repr(exc)
            time.sleep(0.1)
    raise TimeoutError(f"nginx not answering: {last}\n{(tmp / 'stderr.log').read_text()}")


def _stop(nginx: subprocess.Popen) -> None:
    if nginx.poll() is None:
        nginx.send_signal(signal.SIGQUIT)  # graceful: workers finish, then the master exits
        try:
            nginx.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(nginx.pid, signal.SIGKILL)
            nginx.wait(timeout=10)


def security_headers_of(response: httpx.Response) -> dict[str, str]:
    return {name: response.headers.get(name, "") for name in SECURITY_HEADERS}


def assert_app_error_page(response: httpx.Response, status: int, title: str) -> None:
    """The app's Indonesian error page with the app's headers, not nginx's own page."""
    assert response.status_code == status, response.text[:300]
    assert title in response.text and "nginx" not in response.text.lower()
    assert security_headers_of(response) == SECURITY_HEADERS


def static_urls(html: str) -> list[str]:
    return sorted(set(re.findall(r'(?:href|src)="(/static/[^"]+)"', html)))


# -- the file and the app agree -------------------------------------------------------------


def test_the_config_names_its_placeholders_and_the_apps_body_limit():
    text = CONFIG.read_text()
    header = text.split("upstream portal", 1)[0]
    listed = re.search(r"envsubst '([^']+)'", header, re.S)
    assert listed, "the header shows the envsubst command"
    named = set(PLACEHOLDER.findall(listed.group(1)))
    assert named == set(PLACEHOLDER.findall(text)), "envsubst must fill every placeholder"
    limit = re.search(r"client_max_body_size (\d+)m;", text)
    assert limit and int(limit.group(1)) * 1024 * 1024 == Settings().max_body_bytes


def test_the_office_upload_location_matches_its_route_and_the_import_limit():
    """One location with the larger body, at exactly the path the route reverses to."""
    from portal.app import create_app
    from portal.ops.limits import IMPORT_UPLOAD

    path = create_app().route_reverse(IMPORT_UPLOAD)
    block = re.search(
        r"location = (\S+) \{\s*client_max_body_size (\d+)m;", CONFIG.read_text(), re.S
    )
    assert block, "deploy/nginx.conf has the office upload location"
    assert block.group(1) == path
    assert int(block.group(2)) * 1024 * 1024 == Settings().max_import_bytes


# -- through nginx -------------------------------------------------------------------------


def test_public_pages_come_from_the_app_compressed_with_its_headers(site: Site):
    since = site.log_offset()
    with site.client() as client:
        for path in ("/", "/persyaratan", "/jadwal"):
            page = client.get(path, headers={"Accept-Encoding": "gzip"})
            assert page.status_code == 200, (path, page.text[:300])
            assert page.headers["content-encoding"] == "gzip"
            assert "accept-encoding" in page.headers.get("vary", "").lower()
            assert "Portal Rekam KTP-el" in page.text  # httpx decompressed it
            assert security_headers_of(page) == SECURITY_HEADERS
            assert page.headers.get("server") == "nginx"  # server_tokens off: no version
            assert page.headers.get("x-request-id")  # the app echoes nginx's $request_id
    records = site.wait_logged(since, "/", "/persyaratan", "/jadwal")
    assert {r["path"] for r in records} >= {"/", "/persyaratan", "/jadwal"}


def test_static_files_are_served_by_nginx_cached_for_a_year(site: Site):
    from portal.web.assets import manifest

    logical_of = {f"/static/{v}": k for k, v in manifest().items()}
    with site.client() as client:
        urls = static_urls(client.get("/").text + client.get("/masuk").text)
        kinds = {url.rsplit(".", 1)[-1] for url in urls}
        assert {"css", "js", "svg"} <= kinds, urls
        since = site.log_offset()
        for url in urls:
            response = client.get(url, headers={"Accept-Encoding": "gzip"})
            assert response.status_code == 200, url
            assert response.content == (ROOT / "static" / logical_of[url]).read_bytes()
            assert response.headers["cache-control"] == IMMUTABLE
            assert security_headers_of(response) == SECURITY_HEADERS  # nosniff among them
            assert "x-request-id" not in response.headers  # never went through the app
            expected = {
                "css": {"text/css"},
                "js": {"application/javascript", "text/javascript"},
                "svg": {"image/svg+xml"},
            }[url.rsplit(".", 1)[-1]]
            assert response.headers["content-type"].split(";")[0] in expected, url
            if url.endswith(".css"):
                assert response.headers.get("content-encoding") == "gzip"
                assert len(response.content) > 512  # worth compressing, so it was

        # Unversioned or unknown names: the app's own 404 page, not nginx's.
        assert_app_error_page(client.get("/static/tidak-ada.0123abcd.css"), 404, NOT_FOUND_TITLE)
        # A page after the files: once its line is in the log, theirs would be too.
        assert client.get("/persyaratan").status_code == 200
    records = site.wait_logged(since, "/persyaratan")
    assert any(r["path"] == "/persyaratan" for r in records), "the request log is readable"
    assert not [r for r in records if r["path"].startswith("/static/")], records

    # `root` is the whole checkout (.env included): nothing above static/ comes out. (nginx
    # picks the location from the resolved path, then may pass the raw one to the app,
    # whose static route knows only the manifest's names.)
    with site.client() as client:
        for escape in ("/static/%2e%2e/pyproject.toml", "/static/..%2fpyproject.toml"):
            response = client.get(site.url + escape)
            assert response.status_code in (400, 404), escape
            assert "[project]" not in response.text, escape


def test_the_app_sees_the_visitor_not_the_proxy_and_not_a_forged_header(site: Site):
    """Sign-in throttling counts per client address: behind a proxy that would be the proxy's
    own address (every visitor locked out together) unless the forwarded address is used,
    and a visitor must not dodge the limit by sending X-Forwarded-For itself."""
    limit = Settings().login_attempts_per_minute
    with site.client("127.0.0.4") as client:
        action, fields = find_form(client.get("/masuk").text, "/masuk")
        statuses = []
        for attempt in range(limit + 1):
            response = client.post(
                action,
                data={**hidden_of(fields), "username": f"tidak.ada.{attempt}", "password": "x"},
                headers={"X-Forwarded-For": f"203.0.113.{attempt}"},  # forged, changing
            )
            statuses.append(response.status_code)
    assert statuses == [400] * limit + [429], statuses
    failed_from = dict(
        line.split("|")
        for line in site.pg.psql(
            "SELECT ip, count(*) FROM audit_entry WHERE action = 'login.failed' GROUP BY ip",
            "portal",
        ).splitlines()
    )
    assert failed_from.get("127.0.0.4") == str(limit), failed_from
    assert not [ip for ip in failed_from if ip.startswith("203.0.113.") or ip == "127.0.0.1"]

    with site.client("127.0.0.5") as other:  # another visitor is not held back
        action, fields = find_form(other.get("/masuk").text, "/masuk")
        response = other.post(
            action, data={**hidden_of(fields), "username": "tidak.ada.lagi", "password": "x"}
        )
        assert response.status_code == 400


def test_sign_in_through_the_proxy_passes_csrf_and_host_checks(site: Site):
    with site.client("127.0.0.6") as client:
        page = client.get("/masuk")
        assert page.status_code == 200
        assert "__Host-csrftoken" in client.cookies  # production cookie: Secure, over TLS
        action, fields = find_form(page.text, "/masuk")
        login = {"username": COORDINATOR[0], "password": COORDINATOR[1]}

        forged = client.post(action, data=login)  # no token: refused
        assert forged.status_code == 403, forged.text[:300]

        signed_in = client.post(action, data={**hidden_of(fields), **login})
        assert signed_in.status_code == 303, signed_in.text[:300]
        target = signed_in.headers["location"]
        assert target.startswith("/"), target  # no upstream address leaks into redirects
        home = client.get(target)
        assert home.status_code == 200 and "Keluar" in home.text

        # nginx passes the visitor's Host on ($host), so the app's allow-list still applies.
        elsewhere = client.get("/masuk", headers={"Host": "evil.example"})
        assert elsewhere.status_code == 400 and "Host tidak dikenal" in elsewhere.text
    ip = site.pg.psql(
        f"SELECT ip FROM audit_entry WHERE action = 'login.success'"
        f" AND actor_name = '{COORDINATOR[0]}' ORDER BY id DESC LIMIT 1",
        "portal",
    )
    assert ip == "127.0.0.6"


def test_a_body_over_the_apps_limit_is_refused_by_nginx_with_the_apps_page(site: Site):
    limit = Settings().max_body_bytes
    with site.client("127.0.0.7") as client:
        _, fields = find_form(client.get("/masuk").text, "/masuk")
        token = {
            "X-CSRFToken": fields["_csrf_token"],
            "Content-Type": "application/x-www-form-urlencoded",
        }
        prefix = b"username="

        since = site.log_offset()
        at_limit = client.post(
            "/masuk", content=prefix + b"a" * (limit - len(prefix)), headers=token
        )
        assert at_limit.status_code == 400, at_limit.text[:300]  # read by the app: no password
        records = site.wait_logged(since, "/masuk")
        assert [r["status"] for r in records if r["path"] == "/masuk"] == [400]

        since = site.log_offset()
        over = client.post(
            "/masuk", content=prefix + b"a" * (limit + 1 - len(prefix)), headers=token
        )
        assert_app_error_page(over, 413, TOO_LARGE_TITLE)
        assert size_text(limit) in over.text  # the page states the limit nginx applied

        def chunks() -> Iterator[bytes]:  # no Content-Length: nginx counts as it reads
            yield prefix
            sent = len(prefix)
            while sent <= limit:
                piece = b"a" * min(256 * 1024, limit + 1 - sent)
                sent += len(piece)
                yield piece

        chunked = client.post("/masuk", content=chunks(), headers=token)
        assert_app_error_page(chunked, 413, TOO_LARGE_TITLE)
        records = site.wait_logged(since, "/galat/413", "/galat/413")
    # nginx refused both; the app only rendered the page (GET, no body).
    assert [(r["method"], r["path"], r["status"]) for r in records] == [
        ("GET", "/galat/413", 413)
    ] * 2, records


def test_metrics_are_not_reachable_through_nginx_but_health_is(site: Site):
    probes = ("/metrics", "/metrics/", "//metrics", "/%6Detrics", "/metrics?x=1")
    with site.client() as client:
        unknown = client.get("/tidak-ada-halaman-ini")
        assert_app_error_page(unknown, 404, NOT_FOUND_TITLE)
        since = site.log_offset()
        for path in probes:
            response = client.get(site.url + path)  # absolute: "//metrics" is no host name
            assert_app_error_page(response, 404, NOT_FOUND_TITLE)
            assert "# HELP" not in response.text, path
        assert client.get("/galat/413").status_code == 404  # error_page targets are internal
        # nginx turned every probe away itself: the app only rendered the 404 page for it
        # (its own guard, the second line of defence, would log nothing: /metrics is quiet).
        records = site.wait_logged(since, *["/galat/404"] * (len(probes) + 1))
        assert [(r["path"], r["status"]) for r in records] == [("/galat/404", 404)] * (
            len(probes) + 1
        ), records

        health = client.get("/healthz")
        assert health.status_code == 200 and health.text == "ok"
        assert client.get("/readyz").status_code == 200
    # The endpoint exists and answers a local scraper talking to the workers directly.
    direct = site.app.get("/metrics")
    assert direct.status_code == 200 and "# HELP" in direct.text


def test_plain_http_is_redirected_to_the_configured_https_name(site: Site):
    response = httpx.get(
        site.http_url + "/persyaratan?kecamatan=1", headers={"Host": "evil.example"}
    )
    assert response.status_code == 301
    assert response.headers["location"] == "https://127.0.0.1/persyaratan?kecamatan=1"


def test_the_office_upload_path_takes_20_mb_through_nginx_and_other_paths_do_not(site: Site):
    """nginx lets a 20 MB body through to the office upload only; the app then refuses it
    from anyone but staff (here: no session) before reading it, with the same 413 page."""
    from portal.app import create_app
    from portal.ops.limits import IMPORT_UPLOAD

    path = create_app().route_reverse(IMPORT_UPLOAD)
    with site.client("127.0.0.8") as client:
        _, fields = find_form(client.get("/masuk").text, "/masuk")
        token = {"X-CSRFToken": fields["_csrf_token"], "Content-Type": "application/octet-stream"}
        since = site.log_offset()
        big = client.post(path, content=b"a" * (20 * 1024 * 1024), headers=token)
        assert_app_error_page(big, 413, TOO_LARGE_TITLE)
        records = site.wait_logged(since, path)
        # The worker saw it: nginx passed the 20 MB on, the app's staff-only gate said no.
        assert [(r["method"], r["status"]) for r in records if r["path"] == path] == [
            ("POST", 413)
        ], records

        since = site.log_offset()
        elsewhere = client.post(
            "/petugas/sisir/laporan/proses", content=b"a" * (4 * 1024 * 1024), headers=token
        )
        assert_app_error_page(elsewhere, 413, TOO_LARGE_TITLE)
        assert size_text(Settings().max_body_bytes) in elsewhere.text
        records = site.wait_logged(since, "/galat/413")
    # nginx refused the 4 MB itself: the app only rendered its page.
    assert [(r["method"], r["path"]) for r in records] == [("GET", "/galat/413")], records

"""Requests per second and p50/p99 latency of public pages, against nginx serving the very
same bytes as static files, measured in the same run with wrk.

    python bench/public_pages.py [--duration 10] [--connections 8] [--workers 1]

Needs the Debian packages wrk and nginx (apt-get install -y wrk nginx). Prints figures,
asserts nothing. Targets (issue #3): one worker, 8 connections: p99 < 25 ms and at least
25 % of nginx's rate.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import HOST, fetch, free_port, portal_server, stop, wait_for

PAGES = {"home": "/", "persyaratan": "/persyaratan", "jadwal": "/jadwal"}
NGINX_CONF = """
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    default_type text/html;
    sendfile on;
    keepalive_requests 100000;
    server {{
        listen {host}:{port};
        root {tmp}/www;
    }}
}}
"""


def need(tool: str) -> str:
    path = shutil.which(tool) or shutil.which(tool, path="/usr/sbin:/usr/bin")
    if path is None:
        sys.exit(f"{tool} not found: apt-get install -y {tool}")
    return path


def wrk(url: str, duration: int, connections: int) -> dict[str, float]:
    out = subprocess.run(
        [need("wrk"), "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
        timeout=duration + 30,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def percentile(p: str) -> float:
        value, unit = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": rate,
        "p50": percentile("50"),
        "p99": percentile("99"),
        "errors": int(errors.group(1)) if errors else 0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    need("wrk")
    nginx_bin = need("nginx")
    tmp = Path(tempfile.mkdtemp(prefix="bench-nginx-"))
    (tmp / "www").mkdir()
    tmp.chmod(0o755)
    nginx = None
    rows = []
    try:
        with portal_server(workers=args.workers) as portal:
            for name, path in PAGES.items():
                fetch(portal + path)  # warm the page cache
                (tmp / "www" / f"{name}.html").write_bytes(fetch(portal + path))
            port = free_port()
            (tmp / "nginx.conf").write_text(NGINX_CONF.format(tmp=tmp, host=HOST, port=port))
            nginx = subprocess.Popen(
                [nginx_bin, "-p", str(tmp), "-c", str(tmp / "nginx.conf"), "-g", "daemon off;"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            static = f"http://{HOST}:{port}"
            wait_for(f"{static}/home.html", nginx)
            for name, path in PAGES.items():
                ours = wrk(portal + path, args.duration, args.connections)
                theirs = wrk(f"{static}/{name}.html", args.duration, args.connections)
                size = (tmp / "www" / f"{name}.html").stat().st_size
                rows.append((name, path, size, ours, theirs))
    finally:
        stop(nginx)
        shutil.rmtree(tmp, ignore_errors=True)

    print(
        f"\nPublic pages vs nginx, same bytes (wrk -t2 -c{args.connections} -d{args.duration}s,"
        f" {args.workers} portal worker(s), 127.0.0.1)"
    )
    header = (
        f"{'page':<12} {'bytes':>6} {'portal rps':>11} {'p50 ms':>7} {'p99 ms':>7}"
        f" {'nginx rps':>10} {'p50 ms':>7} {'p99 ms':>7} {'ratio':>6}"
    )
    print(header)
    print("-" * len(header))
    for name, _path, size, ours, theirs in rows:
        print(
            f"{name:<12} {size:>6} {ours['rps']:>11.0f} {ours['p50']:>7.2f} {ours['p99']:>7.2f}"
            f" {theirs['rps']:>10.0f} {theirs['p50']:>7.2f} {theirs['p99']:>7.2f}"
            f" {ours['rps'] / theirs['rps']:>6.1%}"
            + (f"  ({ours['errors']} non-2xx)" if ours["errors"] else "")
        )
    print("Targets: p99 < 25 ms and ratio >= 25% (one worker, 8 connections).")


if __name__ == "__main__":
    main()

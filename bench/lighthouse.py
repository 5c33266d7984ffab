"""Lighthouse 12.2.3 (npm, pinned in package.json) on every public page type, mobile.

    python bench/lighthouse.py [--pages home,jadwal] [--skip-3g]

Starts its own portal on a free port with demo data, runs Lighthouse's default mobile
profile (simulated: 150 ms RTT, 1.6 Mbps, 4x CPU) and then a 3G-like one (300 ms RTT,
700 kbps, 6x CPU), and prints the four category scores, LCP and the bytes transferred per
page. Uses Debian's Chromium (CHROME_PATH=/usr/bin/chromium). Prints figures, asserts
nothing. Targets (issue #3): 100/100/100/100 and LCP <= 1.5 s on mobile; LCP <= 2.5 s on 3G.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import PUBLIC_PATHS, ROOT, portal_server

LIGHTHOUSE = ROOT / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run"
SLOW_3G = [
    "--throttling-method=simulate",
    "--throttling.rttMs=300",
    "--throttling.throughputKbps=700",
    "--throttling.cpuSlowdownMultiplier=6",
]


def run(url: str, extra: list[str]) -> dict:
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as tmp:
        report = Path(tmp) / "report.json"
        subprocess.run(
            [
                "node",
                str(LIGHTHOUSE),
                url,
                "--output=json",
                f"--output-path={report}",
                f"--only-categories={','.join(CATEGORIES)}",
                f"--chrome-flags={CHROME_FLAGS}",
                "--quiet",
                *extra,
            ],
            env={**os.environ, "CHROME_PATH": CHROME},
            check=True,
            timeout=240,
            capture_output=True,
        )
        data = json.loads(report.read_text())
    audits = data["audits"]
    failed = [
        audit_id
        for cat in CATEGORIES
        for ref in data["categories"][cat]["auditRefs"]
        if ref["weight"] > 0
        and (audit_id := ref["id"]) in audits
        and audits[audit_id].get("score") is not None
        and audits[audit_id]["score"] < 1
    ]
    return {
        "scores": {c: round(data["categories"][c]["score"] * 100) for c in CATEGORIES},
        "lcp": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "fcp": audits["first-contentful-paint"]["numericValue"] / 1000,
        "bytes": audits["total-byte-weight"]["numericValue"],
        "failed": failed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", default=",".join(PUBLIC_PATHS), help="names, comma-separated")
    parser.add_argument("--skip-3g", action="store_true")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit("lighthouse is missing: run `make install` (npm ci)")
    names = [n.strip() for n in args.pages.split(",") if n.strip()]
    rows = []
    with portal_server() as portal:
        for name in names:
            url = portal + PUBLIC_PATHS[name]
            mobile = run(url, [])
            slow = None if args.skip_3g else run(url, SLOW_3G)
            rows.append((name, mobile, slow))
            print(f"  measured {name}", file=sys.stderr)
    print("\nLighthouse 12.2.3, mobile (default simulated throttling), Debian Chromium")
    header = (
        f"{'page':<14} {'perf':>4} {'a11y':>4} {'bp':>4} {'seo':>4} {'FCP s':>6} {'LCP s':>6}"
        f" {'KB':>6} {'3G LCP s':>9}  below 100"
    )
    print(header)
    print("-" * len(header))
    for name, mobile, slow in rows:
        s = mobile["scores"]
        print(
            f"{name:<14} {s['performance']:>4} {s['accessibility']:>4} {s['best-practices']:>4}"
            f" {s['seo']:>4} {mobile['fcp']:>6.2f} {mobile['lcp']:>6.2f}"
            f" {mobile['bytes'] / 1024:>6.1f} {slow['lcp'] if slow else float('nan'):>9.2f}  "
            + (", ".join(mobile["failed"]) or "-")
        )
    print("Targets: 100 in each category, LCP <= 1.5 s; 3G LCP <= 2.5 s (300 ms, 700 kbps, 6x)")


if __name__ == "__main__":
    main()

"""Bytes a phone downloads for each public page: first visit (everything, compressed as sent)
and repeat visit (same browser reloads: the page is revalidated with its ETag, static files
come from the cache), plus each page's compressed HTML alone, which is what a repeat visit
costs when the page has changed since.

    python bench/page_weight.py

Starts its own portal with demo data and drives Debian's Chromium through Playwright with
a 360 px viewport. Prints figures, asserts nothing. Targets (issue #3): home well under
50 KB on first visit and under 15 KB on repeat; every page's HTML under 14 KB compressed.
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright

from bench.common import PUBLIC_PATHS, fetch, portal_server


def visit(page, url: str, *, reload: bool = False) -> tuple[int, int]:
    """(bytes over the network, requests) for one navigation: headers + encoded bodies.
    Responses served from the browser's cache count 0 bytes."""
    sizes: list[int] = []

    def done(request) -> None:
        response = request.response()
        if response is None or response.from_service_worker:
            return
        s = request.sizes()
        sizes.append(s["responseHeadersSize"] + s["responseBodySize"])

    page.on("requestfinished", done)
    if reload:
        page.reload(wait_until="load")  # revalidates the page (ETag), not the static files
    else:
        page.goto(url, wait_until="load")
    page.wait_for_timeout(300)
    page.remove_listener("requestfinished", done)
    return sum(sizes), len(sizes)


def main() -> None:
    rows = []
    with portal_server() as portal, sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        for name, path in PUBLIC_PATHS.items():
            context = browser.new_context(viewport={"width": 360, "height": 740})
            page = context.new_page()
            first, first_requests = visit(page, portal + path)
            repeat, repeat_requests = visit(page, portal + path, reload=True)
            context.close()
            html = fetch(portal + path)
            rows.append(
                (name, first, first_requests, repeat, repeat_requests, len(gzip.compress(html)))
            )
        browser.close()
    print("\nPage weight, 360 px Chromium (headers + compressed bodies as transferred)")
    header = (
        f"{'page':<14} {'first KB':>9} {'req':>4} {'repeat KB':>10} {'req':>4} {'HTML gz KB':>11}"
    )
    print(header)
    print("-" * len(header))
    for name, first, freq, repeat, rreq, html in rows:
        print(
            f"{name:<14} {first / 1024:>9.1f} {freq:>4} {repeat / 1024:>10.1f} {rreq:>4}"
            f" {html / 1024:>11.1f}"
        )
    print("Targets: home < 50 KB first visit, < 15 KB repeat; HTML < 14 KB compressed.")


if __name__ == "__main__":
    main()

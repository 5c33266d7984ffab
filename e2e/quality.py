"""Quality checks any area's browser tests can reuse.

- ``axe_violations(page)`` / ``assert_no_axe_violations(page)``: axe-core (npm, pinned in
  package.json) run inside a Playwright page.
- ``vnu_errors(documents)`` / ``assert_valid_html(documents)``: the Nu HTML Checker (vnu.jar
  from npm, needs Java) on many HTML documents in ONE JVM start, since starting Java costs
  a few seconds. Collect the pages of a test module first, then check them together.
- ``fetch_html(url)``: the page exactly as the server sent it (what vnu should check; the
  browser's DOM has already been repaired and changed by scripts).

Pages use htmx through ``data-hx-*`` attributes: plain ``hx-*`` attributes are not HTML and
vnu reports each one as an error.

`make install` (npm ci) provides node_modules/; a missing tool fails the test with the command
that installs it, never skips it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import urllib.request
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parent.parent
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# WCAG 2.2 A/AA plus axe's best practices (landmarks, one h1, region, …).
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice")


class QualityToolMissing(RuntimeError):
    pass


@cache
def _axe_source() -> str:
    if not AXE_JS.exists():
        raise QualityToolMissing(f"{AXE_JS} is missing: run `make install` (npm ci)")
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(page: Page, *, tags: Iterable[str] = AXE_TAGS) -> list[dict]:
    """Run axe-core on the page as it is now; return its violations (empty when clean).

    The script is evaluated through the DevTools protocol rather than added as a <script>
    tag: the portal's CSP (script-src 'self') rightly refuses inline scripts, and tests must
    not weaken it (so no bypass_csp).

    Waits for the page's load event first: after a click, the new page's text can be there
    while its stylesheet is still coming, and axe would measure unstyled targets."""
    page.wait_for_load_state("load")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        list(tags),
    )
    return result["violations"]


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} — {v['helpUrl']}")
        for node in v["nodes"][:5]:
            lines.append(f"    {', '.join(node['target'])}: {node['failureSummary']}")
    return "\n".join(lines)


def assert_no_axe_violations(page: Page, *, tags: Iterable[str] = AXE_TAGS) -> None:
    violations = axe_violations(page, tags=tags)
    assert not violations, f"axe-core on {page.url}:\n{describe_violations(violations)}"


def fetch_html(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:  # only the test server
        return response.read().decode("utf-8")


def vnu_errors(documents: Mapping[str, str | Path]) -> dict[str, list[str]]:
    """{name: [error, …]} for every document; ``documents`` maps a name (a URL path, say) to
    HTML text or to a file. All are checked by a single `java -jar vnu.jar` run."""
    java = shutil.which("java")
    if java is None:
        raise QualityToolMissing("java not found: apt-get install -y default-jre-headless")
    if not VNU_JAR.exists():
        raise QualityToolMissing(f"{VNU_JAR} is missing: run `make install` (npm ci)")
    if not documents:
        return {}
    with tempfile.TemporaryDirectory(prefix="vnu-") as tmp:
        files: dict[str, str] = {}  # file name -> document name
        for index, (name, doc) in enumerate(documents.items()):
            path = Path(tmp) / f"doc{index}.html"
            if isinstance(doc, Path):
                path.write_bytes(doc.read_bytes())
            else:
                path.write_text(doc, encoding="utf-8")
            files[path.name] = name
        done = subprocess.run(
            [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json"]
            + [str(Path(tmp) / file) for file in files],
            capture_output=True,
            text=True,
            timeout=300,
        )
    try:
        messages = json.loads(done.stderr or done.stdout)["messages"]
    except (ValueError, KeyError) as exc:
        raise RuntimeError(f"vnu gave no JSON report:\n{done.stdout}\n{done.stderr}") from exc
    errors: dict[str, list[str]] = {name: [] for name in documents}
    for message in messages:
        if message.get("type") not in ("error", "non-document-error"):
            continue
        url = message.get("url", "")
        name = files.get(Path(urlsplit(url).path).name, url)
        where = f"line {message['lastLine']}: " if "lastLine" in message else ""
        errors.setdefault(name, []).append(f"{where}{message['message']}")
    return errors


def assert_valid_html(documents: Mapping[str, str | Path]) -> None:
    errors = {name: found for name, found in vnu_errors(documents).items() if found}
    report = "\n".join(f"{name}:\n    " + "\n    ".join(found) for name, found in errors.items())
    assert not errors, f"Nu HTML Checker errors:\n{report}"

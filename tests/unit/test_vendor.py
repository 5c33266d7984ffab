"""The vendored htmx is exactly the pinned release (npm htmx.org@2.0.11, dist/htmx.min.js)."""

import hashlib

from portal import PROJECT_ROOT

HTMX_SHA256 = "d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717"


def test_vendored_htmx_checksum():
    data = (PROJECT_ROOT / "static" / "vendor" / "htmx-2.0.11.min.js").read_bytes()
    assert hashlib.sha256(data).hexdigest() == HTMX_SHA256


def test_layout_configures_htmx_for_a_strict_csp():
    base = (PROJECT_ROOT / "templates" / "base.html").read_text()
    for setting in (
        '"allowEval":false',
        '"historyCacheSize":0',
        '"selfRequestsOnly":true',
        '"includeIndicatorStyles":false',
        '"allowScriptTags":false',
    ):
        assert setting in base
    assert "hx-on" not in base


def test_no_template_has_inline_script_or_style():
    for path in (PROJECT_ROOT / "templates").rglob("*.html"):
        text = path.read_text()
        assert "<script>" not in text and "<script >" not in text, path
        assert "<style" not in text, path
        assert " style=" not in text, path
        assert "hx-on" not in text, path

"""The body fingerprint that tells a resend of a form from the same token carrying other
values, and the text fields read as sent."""

from dataclasses import dataclass
from typing import Annotated

from hypothesis import given
from hypothesis import strategies as st

from portal.domain.errors import Conflict
from portal.domain.form_tokens import FormTokenReused, fingerprint, new_token
from portal.web.forms import Limit, Verbatim, parse


def test_a_resend_of_the_same_form_matches():
    sent = {"full_name": "Budi Santoso", "rt": "03", "note": None}
    assert fingerprint(sent) == fingerprint(dict(reversed(list(sent.items()))))
    assert fingerprint(sent) == fingerprint({"full_name": " Budi Santoso ", "rt": "03", "note": ""})
    # A field the form did not have yet (added by a deploy in between) left empty.
    assert fingerprint(sent) == fingerprint({**sent, "married": ""})


def test_other_values_do_not_match():
    base = {"full_name": "Budi Santoso", "rt": "03"}
    assert fingerprint(base) != fingerprint({**base, "full_name": "Budi Santosa"})
    assert fingerprint(base) != fingerprint({**base, "rt": "04"})
    # A value moved to another field is another form.
    assert fingerprint({"a": "1", "b": ""}) != fingerprint({"a": "", "b": "1"})


@given(st.dictionaries(st.text(max_size=20), st.one_of(st.none(), st.text(), st.integers())))
def test_fingerprint_is_a_short_stable_hex_digest(values):
    digest = fingerprint(values)
    assert len(digest) == 64 and int(digest, 16) >= 0
    assert digest == fingerprint(dict(values))


def test_a_reused_token_is_a_conflict_naming_what_it_made():
    refused = FormTokenReused(7)
    assert isinstance(refused, Conflict) and refused.object_id == 7 and refused.message
    assert new_token() != new_token() and len(new_token()) <= 64


@dataclass
class _Paste:
    rows: Annotated[Verbatim, Limit(8)] = ""
    title: str = ""


def test_verbatim_text_keeps_its_spaces_and_tabs_but_not_its_length():
    form = parse(_Paste, {"rows": "\tBudi\t03\nAni", "title": "  Pemula  "})
    assert form.rows == "\tBudi\t03" and form.title == "Pemula"
    assert parse(_Paste, {}).rows == ""

"""``supplier_portal.form_check``: a posted form passes only when every text value (and upload file name)
could be stored as PostgreSQL text; the first field that could not is named."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st
from starlette.datastructures import FormData

from supplier_portal import form_check

BIDI_CONTROLS = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def _refused(value: str) -> bool:
    """The oracle, written from the rule's words: C0/C1 controls but tab, LF and CR; lone surrogates; bidi
    embedding, override and isolate controls."""
    return any(
        (unicodedata.category(c) == "Cc" and c not in "\t\n\r")
        or unicodedata.category(c) == "Cs"
        or c in BIDI_CONTROLS
        for c in value
    )


@given(st.lists(st.tuples(st.sampled_from(["lot", "note", "qty"]), st.text(max_size=30)), max_size=6))
def test_a_form_passes_exactly_when_no_value_holds_a_refused_character(items) -> None:
    bad = [name for name, value in items if _refused(value)]
    form = FormData(items)
    if not bad:
        assert form_check.check(form) is form
        return
    with pytest.raises(form_check.FormRefused) as refused:
        form_check.check(form)
    assert refused.value.field == bad[0]


@pytest.mark.parametrize("value", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\ud800", "\u202e", "\u2066"])
def test_examples_of_refused_characters(value: str) -> None:
    with pytest.raises(form_check.FormRefused, match="U\\+"):
        form_check.check(FormData([("lot", f"A{value}1")]))


def test_tabs_and_line_breaks_are_free_text() -> None:
    form = FormData([("note", "第一行\r\n\tsecond line"), ("lot", "A-1")])
    assert form_check.check(form) is form

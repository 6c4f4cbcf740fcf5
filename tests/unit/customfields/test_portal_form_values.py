"""The portal form's custom values as JSON (``supplier_portal.custom_form.values``): any text a supplier types
is read without an error; a number field becomes an integer only when the text is one, else it stays text
for the field's check to name."""

import re

from hypothesis import given
from hypothesis import strategies as st
from starlette.datastructures import FormData

from domain.customfields import rules
from supplier_portal import custom_form

NUMBER = rules.FieldDef("crates", rules.Kind.NUMBER, "箱数", "Crates")


@given(st.text(max_size=rules.MAX_TEXT + 5))
def test_any_text_in_a_number_field_is_read_without_an_error(text: str) -> None:
    got = custom_form.values(FormData([("cf-crates", text)]), [NUMBER]).get("crates")
    typed = text.strip()[: rules.MAX_TEXT]
    whole = re.fullmatch(r"-?[0-9]+", typed) is not None
    assert got == (int(typed) if whole else typed or None)


def test_one_sign_and_ascii_digits_make_a_number() -> None:
    def read(text: str) -> object:
        return custom_form.values(FormData([("cf-crates", text)]), [NUMBER])["crates"]

    assert (read("12"), read("-12")) == (12, -12)
    for text in ("--5", "-", "١٢", "²", "1_2", "+3", "1.5"):
        assert read(text) == text

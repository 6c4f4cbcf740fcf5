"""``supplier_portal.forms``: a typed value is read exactly as the API would read it, or refused at its
field's path; nothing is cut short or guessed."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from starlette.datastructures import FormData

from api.boundary import rules as api_rules
from domain.common.errors import ValidationError
from supplier_portal import forms

PATH = ("lines", "0", "quantity")


@given(st.text(max_size=30))
def test_the_portal_reads_a_number_exactly_when_the_api_would(raw: str) -> None:
    """The oracle is the API's own scalar on the ASCII spelling of the full-width characters."""
    ascii_spelling = raw.translate(forms.FULL_WIDTH)
    try:
        expected = api_rules.parse_decimal(ascii_spelling)
    except ValueError:
        expected = None
    if expected is None or not expected.is_finite():
        with pytest.raises(ValidationError) as refused:
            forms.decimal_of(raw, PATH)
        assert refused.value.path == PATH
    else:
        assert forms.decimal_of(raw, PATH) == expected


@pytest.mark.parametrize(
    "raw", ["1,200", "1，200", "1_000", "١٢", "²", "1 2", "Infinity", "--1", "1e9999999"]
)
def test_examples_that_are_not_numbers(raw: str) -> None:
    with pytest.raises(ValidationError, match="不是数字 is not a number"):
        forms.decimal_of(raw, PATH)


def test_a_comma_is_refused_with_a_hint_not_taken_for_a_point() -> None:
    with pytest.raises(ValidationError, match="千位分隔符"):
        forms.decimal_of("1,200", PATH)


@pytest.mark.parametrize(
    ("raw", "value"), [("１２．５", "12.5"), ("－３", "-3"), (" 7 ", "7"), ("1.5e1", "15")]
)
def test_examples_that_are(raw: str, value: str) -> None:
    assert str(forms.decimal_of(raw, PATH).normalize()) == value


@given(st.text(max_size=60), st.integers(min_value=0, max_value=40))
def test_text_is_the_whole_value_or_refused(value: str, limit: int) -> None:
    form = FormData([("note", value)])
    if len(value.strip()) > limit:
        with pytest.raises(ValidationError) as refused:
            forms.text(form, "note", limit, ("note",))
        assert refused.value.path == ("note",)
    else:
        assert forms.text(form, "note", limit, ("note",)) == value.strip()


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("row-3-lot", ("lines", "3", "lotCode")),
        ("row-0-qty", ("lines", "0", "quantity")),
        ("row-x-qty", ("row-x-qty",)),
        ("ack-17-date", ("promisedDate",)),
        ("cf-grade", ("customFields", "grade")),
        ("arrival_time", ("expectedArrival",)),
        ("device_id", ("deviceId",)),
        ("anything", ("anything",)),
    ],
)
def test_form_names_map_to_the_input_paths_errors_use(name: str, path: tuple[str, ...]) -> None:
    assert forms.path_of(name) == path


def test_a_mapped_path_has_a_label() -> None:
    assert forms.field_label(forms.path_of("row-1-bb")) == "第 2 行 row 2 · 最佳赏味期 best before"

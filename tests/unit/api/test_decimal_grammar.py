"""The Decimal scalar's grammar (api.boundary.rules): what reads as a number, exactly, and what does not."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from api import scalars
from api.boundary import rules
from api.scalars import DECIMAL


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12.5", Decimal("12.5")),
        ("-0.0001", Decimal("-0.0001")),
        ("+3", Decimal(3)),
        (" 7 ", Decimal(7)),
        (".5", Decimal("0.5")),
        ("1.5e3", Decimal(1500)),
        ("1E+400", Decimal("1E+400")),
        (42, Decimal(42)),
    ],
)
def test_a_decimal_reads_exactly(text: object, value: Decimal) -> None:
    assert rules.parse_decimal(text) == value


@pytest.mark.parametrize(
    "text", ["abc", "1,5", "1.2.3", "0x10", "1e", "1e1234567", "١٢", "", "1" * 65, True, None]
)
def test_what_is_not_a_decimal_is_refused_by_the_scalar(text: object) -> None:
    with pytest.raises(ValueError, match=r"[Dd]ecimal"):
        rules.parse_decimal(text)


@pytest.mark.parametrize("text", ["NaN", "-Infinity", "inf", "sNaN"])
def test_nan_and_infinity_parse_so_the_boundary_can_name_the_field(text: str) -> None:
    assert not rules.parse_decimal(text).is_finite()


def test_a_json_float_variable_reads_as_the_number_written() -> None:
    assert DECIMAL.parse_value(0.1) == Decimal("0.1")
    assert DECIMAL.parse_value(1e-30) == Decimal("1e-30")


@given(
    st.decimals(
        allow_nan=False, allow_infinity=False, places=4, min_value=-(10**14) + 1, max_value=10**14 - 1
    )
)
def test_every_value_of_a_quantity_column_reads_back_and_fits(value: Decimal) -> None:
    parsed = rules.parse_decimal(str(value))
    assert parsed == value
    assert rules.decimal_problem(parsed, 18, 4) is None


@given(st.text(max_size=40))
def test_text_checks_never_raise_and_printable_ascii_codes_pass(value: str) -> None:
    for kind in rules.TextKind:
        rules.text_problem(value, kind, 40)
    ascii_code = "".join(c for c in value if c.isascii() and c.isprintable()).strip()
    assert rules.text_problem(ascii_code, rules.TextKind.CODE, 40) is None


@given(st.lists(st.decimals(allow_nan=False, allow_infinity=False, places=None), min_size=1, max_size=20))
def test_a_decimal_serialises_to_the_same_text_whether_remembered_or_not(values: list[Decimal]) -> None:
    # The serialiser remembers texts by value: equal decimals written otherwise ("2E+1", "20.00", "-0")
    # must still read as a freshly normalised one does, in any order.
    for value in values + [v.quantize(Decimal(1)) if v.adjusted() < 20 else v for v in values] + values:
        assert scalars._serialize_decimal(value) == scalars._decimal_text(value)


def test_remembered_texts_are_those_of_equal_values() -> None:
    for first, second in (("20", "2E+1"), ("-0", "0.000"), ("0E-9", "-0"), ("1.50", "1.5000")):
        assert scalars._serialize_decimal(Decimal(first)) == scalars._serialize_decimal(Decimal(second))
    assert scalars._serialize_decimal(Decimal("2E+1")) == "20"
    assert scalars._serialize_decimal(Decimal("-0")) == "0"
    assert scalars._serialize_decimal(0.1) == "0.1"
    assert scalars._serialize_decimal(Decimal("NaN")) == "NaN"


@given(st.decimals(places=None) | st.integers() | st.floats())
def test_quantities_and_money_hold_what_their_text_reads_back_as(value: object) -> None:
    expected = Decimal(str(value))
    for held in (scalars.qty(value, "kg").value, scalars.money(value, "CNY").amount):
        assert type(held) is Decimal
        assert str(held) == str(expected)
        assert held.as_tuple() == expected.as_tuple()


@pytest.mark.parametrize("text", ["1_000", "١٢", "１２", "1,5", " 1 2 "])
def test_custom_decimal_fields_read_the_same_grammar(text: str) -> None:
    """A custom field's decimal (JSON, not the scalar) was read by ``Decimal()``: "1_000" was kept as 1000."""
    from domain.customfields import rules as custom

    field = custom.FieldDef(key="weight", label_en="w", label_zh="w", kind=custom.Kind.DECIMAL)
    assert custom.canonical(field, text)[1] is not None

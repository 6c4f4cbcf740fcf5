"""Custom field definitions and values, pure: canonical forms, required fields, defaults and safe patterns."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.customfields import rules
from domain.customfields.rules import FieldDef, Kind

TAX_EXEMPT = FieldDef("taxExempt", Kind.BOOLEAN, "免税", "Tax-exempt", default=False)
VALUE = FieldDef("declaredValue", Kind.DECIMAL, "申报价值", "Declared value", minimum=Decimal(0), places=2)
GRADE = FieldDef("grade", Kind.ENUM, "等级", "Grade", required=True, choices=("A", "B"))
PERMIT = FieldDef("permit", Kind.TEXT, "许可证", "Permit", pattern=r"[A-Z]{2}[0-9]{6}", max_length=8)


def test_a_create_gets_the_defaults_and_must_give_the_required_fields() -> None:
    values, problems = rules.checked([TAX_EXEMPT, GRADE], {})

    assert values == {"taxExempt": False}
    assert problems == [rules.Problem(("customFields", "grade"), "grade is required")]


def test_an_update_keeps_what_is_not_given_and_none_clears_a_value() -> None:
    values, problems = rules.checked(
        [TAX_EXEMPT, VALUE, GRADE], {"declaredValue": None}, {"grade": "A", "declaredValue": "3"}
    )

    assert problems == []
    assert values == {"grade": "A"}  # no default on update: the record did not have one


def test_every_bad_value_and_unknown_key_is_reported_with_its_path() -> None:
    _, problems = rules.checked(
        [TAX_EXEMPT, VALUE, GRADE, PERMIT],
        {"taxExempt": "yes", "declaredValue": "1.234", "grade": "C", "permit": "ab123456", "colour": "red"},
    )

    assert [(p.path[-1], p.message) for p in problems] == [
        ("taxExempt", "taxExempt must be true or false"),
        ("declaredValue", "declaredValue has more than 2 decimal places"),
        ("grade", "grade must be one of A, B"),
        ("permit", "permit does not match [A-Z]{2}[0-9]{6}"),
        ("colour", "colour is not a custom field of this record"),
    ]


@pytest.mark.parametrize(
    ("field", "value", "stored"),
    [
        (VALUE, "12.50", "12.5"),
        (VALUE, 7, "7"),
        (FieldDef("n", Kind.NUMBER, "数", "n"), 42, 42),
        (FieldDef("d", Kind.DATE, "日", "d"), "2030-02-28", "2030-02-28"),
        (GRADE, "B", "B"),
    ],
)
def test_values_are_stored_in_one_canonical_json_form(field: FieldDef, value: object, stored: object) -> None:
    assert rules.canonical(field, value) == (stored, None)


def test_a_float_is_never_taken_as_a_decimal_and_a_bad_date_is_refused() -> None:
    assert rules.canonical(VALUE, 0.1)[1] == 'must be a decimal written as a string, e.g. "12.5"'
    assert (
        rules.canonical(FieldDef("d", Kind.DATE, "日", "d"), "2030-02-30")[1] == "must be a date YYYY-MM-DD"
    )


@given(st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=0, max_value=10**12))
def test_a_decimal_value_keeps_its_exact_amount_and_its_canonical_form_is_stable(amount: Decimal) -> None:
    stored, problem = rules.canonical(VALUE, str(amount))

    assert problem is None
    assert Decimal(stored) == amount
    assert rules.canonical(VALUE, stored) == (stored, None)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31)), st.booleans())
def test_canonical_values_read_back_to_themselves(day: date, flag: bool) -> None:
    for field, value in ((FieldDef("d", Kind.DATE, "日", "d"), day.isoformat()), (TAX_EXEMPT, flag)):
        stored, _ = rules.canonical(field, value)
        assert rules.canonical(field, stored) == (stored, None)


@pytest.mark.parametrize(
    "pattern", [r"(a+)+$", r"(a|aa)*b", r"(\w)\1", r"(?=x)y", r"a*b*c*d*", "x" * 201, r"[unclosed"]
)
def test_patterns_that_could_run_away_or_do_not_compile_are_refused(pattern: str) -> None:
    assert rules.pattern_problem(pattern) is not None


def test_a_definition_with_a_default_outside_its_own_limits_is_refused() -> None:
    bad = FieldDef("grade", Kind.ENUM, "等级", "Grade", choices=("A", "B"), default="Z")

    assert rules.definition_problems(bad) == [rules.Problem(("default",), "the default must be one of A, B")]
    assert rules.definition_problems(FieldDef("Tax", Kind.TEXT, "税", "Tax"))[0].path == ("key",)

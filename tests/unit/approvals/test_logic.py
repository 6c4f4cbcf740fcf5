"""The JSON Logic evaluator: exact decimals, the spec's operators, nothing callable."""

from decimal import Decimal, InvalidOperation

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.approvals import logic

money = st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=2, allow_nan=False)


@given(a=money, b=money)
def test_comparisons_agree_with_decimal_comparisons(a: Decimal, b: Decimal) -> None:
    data = {"a": a, "b": b}
    for op, expected in ((">", a > b), (">=", a >= b), ("<", a < b), ("<=", a <= b), ("==", a == b)):
        assert logic.evaluate({op: [{"var": "a"}, {"var": "b"}]}, data) is expected


@given(a=money, b=money)
def test_arithmetic_is_exact(a: Decimal, b: Decimal) -> None:
    assert logic.evaluate({"+": [{"var": "a"}, {"var": "b"}]}, {"a": a, "b": b}) == a + b
    assert logic.evaluate({"*": [{"var": "a"}, 3]}, {"a": a}) == a * 3


def _numeric_text(text: str) -> bool:
    try:
        return Decimal(text).is_finite()
    except InvalidOperation:
        return False


@given(
    terms=st.one_of(
        st.none(), st.integers(-1000, 1000), st.text(max_size=5).filter(lambda t: not _numeric_text(t))
    )
)
def test_a_missing_or_non_numeric_side_never_satisfies_a_comparison(terms: object) -> None:
    holds = logic.evaluate({">": [{"var": "payment_terms_days"}, 90]}, {"payment_terms_days": terms})
    assert holds is (isinstance(terms, int) and terms > 90)


@pytest.mark.parametrize(
    ("terms", "holds"), [("91", True), ("90", False), ("90.01", True), ("1e3", True), ("NaN", False)]
)
def test_a_numeric_text_side_compares_as_its_number_as_json_logic_coerces(terms: str, holds: bool) -> None:
    # JSON Logic compares like JavaScript: "91" > 90 (a CI draw of "91" once looked like a failure).
    assert logic.evaluate({">": [{"var": "payment_terms_days"}, 90]}, {"payment_terms_days": terms}) is holds


def test_the_spec_operators_behave_as_documented() -> None:
    data = {"po": {"supplier": "SUP-1", "lines": [1, 2]}, "amount": Decimal("100000.00")}
    assert logic.evaluate({"var": "po.supplier"}, data) == "SUP-1"
    assert logic.evaluate({"var": ["po.nothing", "dflt"]}, data) == "dflt"
    assert logic.evaluate({"in": [{"var": "po.supplier"}, ["SUP-1", "SUP-2"]]}, data) is True
    assert logic.evaluate({"<": [0, {"var": "amount"}, Decimal("100000.01")]}, data) is True
    assert logic.evaluate({"if": [{">": [{"var": "amount"}, 5]}, "big", "small"]}, data) == "big"
    assert logic.evaluate({"missing": ["amount", "terms"]}, data) == ["terms"]
    assert logic.evaluate({"and": [True, {"!": [False]}]}, data) is True
    assert logic.evaluate({"==": ["90", 90]}, data) is True
    assert logic.evaluate({"===": ["90", 90]}, data) is False
    assert logic.evaluate({">": [100000.01, {"var": "amount"}]}, data) is True  # a float read as written


@pytest.mark.parametrize(
    "expr",
    [
        {"eval": ["1"]},
        {"var": "a", "extra": 1},
        {"__class__": []},
        {"/": [1, 0]},
        {"+": ["a"]},
        {">": [1]},
    ],
)
def test_unknown_operators_and_malformed_expressions_are_logic_errors(expr: object) -> None:
    with pytest.raises(logic.LogicError):
        logic.evaluate(expr, {})


def test_an_expression_too_deep_is_refused() -> None:
    expr: object = True
    for _ in range(logic.MAX_DEPTH + 1):
        expr = {"!": [expr]}
    with pytest.raises(logic.LogicError, match="deep"):
        logic.check(expr)

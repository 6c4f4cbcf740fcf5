"""A supplier statement's running balance, as a pure rule: opening + the period's documents = closing."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.common.errors import ValidationError
from domain.finance import statements

SINCE = date(2030, 6, 1)
amounts = st.decimals(min_value=Decimal("-9999.99"), max_value=Decimal("9999.99"), places=2)


def test_bills_before_payments_on_a_day_and_the_balance_after_each():
    moves: list[statements.Move] = [
        (date(2030, 5, 20), 0, 1, "bill", "B1", "F-1", None, Decimal("100.00")),
        (date(2030, 6, 2), 1, 9, "payment", "PY1", "", None, Decimal("-100.00")),
        (date(2030, 6, 2), 0, 2, "credit_note", "B2", "F-2", None, Decimal("-20.00")),
        (date(2030, 6, 3), 0, 3, "bill", "B3", "F-3", None, Decimal("50.00")),
    ]
    opening, lines, closing = statements.running(SINCE, moves)
    assert opening == Decimal("100.00")
    assert [(ln.number, ln.balance) for ln in lines] == [
        ("B2", Decimal("80.00")),
        ("PY1", Decimal("-20.00")),
        ("B3", Decimal("30.00")),
    ]
    assert closing == Decimal("30.00")


@given(st.lists(st.tuples(st.integers(-60, 60), st.integers(0, 1), amounts), max_size=30))
def test_opening_plus_the_periods_documents_is_the_closing_balance(raw):
    moves: list[statements.Move] = [
        (SINCE + timedelta(days=d), order, i, "bill" if order == 0 else "payment", f"N{i}", "", None, amount)
        for i, (d, order, amount) in enumerate(raw)
    ]
    opening, lines, closing = statements.running(SINCE, moves)
    assert opening == sum((m[7] for m in moves if m[0] < SINCE), Decimal(0))
    assert closing == opening + sum((ln.amount for ln in lines), Decimal(0))
    assert closing == sum((m[7] for m in moves), Decimal(0))
    assert all(ln.day >= SINCE for ln in lines)
    assert [(ln.day, ln.kind == "payment") for ln in lines] == sorted(
        (ln.day, ln.kind == "payment") for ln in lines
    )
    balance = opening
    for ln in lines:
        balance += ln.amount
        assert ln.balance == balance


def test_a_period_backwards_or_too_long_is_refused():
    with pytest.raises(ValidationError) as backwards:
        statements.check_period(SINCE, SINCE - timedelta(days=1))
    assert backwards.value.path == ("until",)
    statements.check_period(SINCE, SINCE + timedelta(days=statements.MAX_DAYS - 1))  # exactly the limit
    with pytest.raises(ValidationError) as long:
        statements.check_period(SINCE, SINCE + timedelta(days=statements.MAX_DAYS))
    assert long.value.path == ("since",)

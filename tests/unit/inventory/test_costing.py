"""Moving-average costing: incoming stock at its own cost, outgoing at the average, no residue."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.inventory import rules
from domain.inventory.rules import Valuation

EMPTY = Valuation(Decimal(0), Decimal(0))


def test_incoming_stock_moves_the_average_by_its_weight():
    v, first = rules.value_in(EMPTY, Decimal(10), Decimal(12))
    v, second = rules.value_in(v, Decimal(30), Decimal(8))

    assert (first, second) == (Decimal(120), Decimal(240))
    assert v == Valuation(Decimal(40), Decimal(360))
    assert v.average_cost == Decimal(9)


def test_outgoing_stock_leaves_at_the_average_rounded_to_four_places():
    v = Valuation(Decimal(3), Decimal(10))  # 3.3333… a unit

    v, out = rules.value_out(v, Decimal(1))

    assert out == Decimal("3.3333")
    assert v == Valuation(Decimal(2), Decimal("6.6667"))


def test_the_last_unit_takes_whatever_value_is_left():
    v = Valuation(Decimal(3), Decimal(10))
    v, a = rules.value_out(v, Decimal(1))
    v, b = rules.value_out(v, Decimal(1))
    v, c = rules.value_out(v, Decimal(1))

    assert v == Valuation(Decimal(0), Decimal(0))
    assert a + b + c == Decimal(10)
    assert v.average_cost == 0


quantities = st.decimals(min_value="0.0001", max_value=1000, places=4)
costs = st.decimals(min_value=0, max_value=500, places=4)
steps = st.lists(
    st.tuples(st.just("in"), quantities, costs)
    | st.tuples(st.just("out"), st.floats(0.01, 1.0), st.just(None)),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(steps=steps)
def test_value_is_conserved_never_negative_and_the_average_stays_between_the_costs_paid(steps):
    v = EMPTY
    value_in = value_out = Decimal(0)
    paid: list[Decimal] = []
    for n, (direction, amount, cost) in enumerate(steps, start=1):
        if direction == "in":
            v, moved = rules.value_in(v, amount, cost)
            value_in += moved
            paid.append(cost)
        else:
            qty = rules.quantize_qty(v.quantity * Decimal(str(amount)))
            if qty <= 0:
                continue
            v, moved = rules.value_out(v, qty)
            value_out += moved
            assert moved >= 0
        assert v.quantity >= 0
        assert v.value >= 0
        assert v.value == value_in - value_out  # nothing is created or lost by rounding
        if v.quantity == 0:
            assert v.value == 0  # no residue on an empty SKU
        elif paid:
            slack = Decimal("0.0001") * n  # one rounding per move at most
            assert v.quantity * min(paid) - slack <= v.value <= v.quantity * max(paid) + slack

"""Price list rules: what a line may hold, the price at a quantity, and suppliers compared at their break."""

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from domain.replenishment import price_rules, rules
from domain.replenishment.price_rules import PriceBreak, PriceTerms
from domain.replenishment.rules import Offer, Position

D = Decimal


def terms(**change) -> PriceTerms:
    base = {
        "unit_price": D(10),
        "currency": "CNY",
        "min_quantity": D(10),
        "pack_size": D(1),
        "capacity_per_week": None,
        "lead_time_days": None,
        "valid_from": date(2031, 1, 1),
        "valid_to": None,
        "breaks": (PriceBreak(D(100), D(9)), PriceBreak(D(500), D(8))),
    }
    return PriceTerms(**{**base, **change})


def test_a_line_with_falling_breaks_above_the_moq_is_acceptable():
    assert price_rules.problems(terms()) == []


def test_each_bad_term_is_named_with_its_path():
    bad = terms(
        unit_price=D(0),
        currency="cny",
        pack_size=D(0),
        valid_to=date(2030, 12, 31),
        breaks=(PriceBreak(D(5), D(9)), PriceBreak(D(50), D(9.5))),
    )
    assert [path for _, path in price_rules.problems(bad)] == [
        ("unitPrice",),
        ("currency",),
        ("packSize",),
        ("validTo",),
        ("breaks", "0", "minQuantity"),
        ("breaks", "0", "unitPrice"),  # not below the (bad, zero) base price
        ("breaks", "1", "unitPrice"),
    ]


def test_the_price_is_the_deepest_break_the_quantity_reaches():
    breaks = terms().breaks
    assert [price_rules.price_at(D(q), D(10), breaks) for q in (10, 99, 100, 499, 500, 10_000)] == [
        D(10),
        D(10),
        D(9),
        D(9),
        D(8),
        D(8),
    ]


def test_validity_ranges_overlap_when_they_share_a_day():
    jan, feb, mar = date(2031, 1, 31), date(2031, 2, 1), date(2031, 3, 1)
    assert price_rules.overlaps(jan, feb, feb, None)
    assert not price_rules.overlaps(jan, jan, feb, mar)
    assert price_rules.overlaps(feb, None, jan, None)


breaks_strategy = st.lists(
    st.tuples(st.integers(1, 10_000), st.integers(1, 999)), min_size=0, max_size=6, unique_by=lambda t: t[0]
).map(lambda pairs: sorted(pairs))


@given(breaks_strategy, st.integers(0, 20_000), st.integers(0, 20_000))
def test_a_larger_order_never_pays_more_per_unit_on_a_valid_line(pairs, q1, q2):
    # A valid line's break prices fall as quantities rise: make them so, then check the price never rises.
    breaks = tuple(PriceBreak(D(q), D(1000 - i * 100 - p % 50)) for i, (q, p) in enumerate(pairs))
    line = terms(unit_price=D(1000), min_quantity=D(0), breaks=breaks)
    small, large = sorted((D(q1), D(q2)))

    if price_rules.problems(line) == []:
        assert price_rules.price_at(large, D(1000), breaks) <= price_rules.price_at(small, D(1000), breaks)


def test_suppliers_are_compared_at_the_price_of_the_quantity_they_would_ship():
    p = Position(today=date(2031, 3, 3), weekly_p50=[D(70)] * 8, weekly_p90=[D(70)] * 8, lots=[])  # need 140
    flat = Offer(supplier_id=1, unit_price=D(5), lead_time_days=7)
    dearer_with_break = Offer(
        supplier_id=2, unit_price=D(6), lead_time_days=7, breaks=(PriceBreak(D(100), D(4.5)),)
    )

    chosen = rules.choose(p, [flat, dearer_with_break])

    assert (chosen.supplier_id, chosen.quantity, chosen.unit_price) == (2, D(140), D(4.5))

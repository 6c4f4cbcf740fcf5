"""Production rules: explosion through levels, requirements, output dates and completion costing."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.production import rules

D = Decimal
DAY = date(2030, 6, 3)
quantities = st.decimals(min_value=D("0.0001"), max_value=D(10_000), places=4)
fractions = st.decimals(min_value=D(0), max_value=D("0.5"), places=4)
yields = st.decimals(min_value=D("0.5"), max_value=D(1), places=4)
cents = st.decimals(min_value=D(0), max_value=D(100_000), places=2)
maybe_day = st.one_of(st.none(), st.dates(min_value=date(2030, 1, 1), max_value=date(2031, 12, 31)))

SALAD = {
    "SALAD": rules.BomSpec(
        "SALAD",
        D("0.9"),
        (rules.Component("LETTUCE", D("0.2"), D("0.05")), rules.Component("DRESSING", D("0.05"))),
    ),
    "DRESSING": rules.BomSpec(
        "DRESSING", D(1), (rules.Component("OIL", D("0.7")), rules.Component("VINEGAR", D("0.3")))
    ),
}


def test_explosion_multiplies_through_levels_with_yield_and_scrap():
    # 90 good salads start 100; lettuce 0.2 × 100 × 1.05 = 21; dressing 5 kg → oil 3.5, vinegar 1.5
    assert rules.explode("SALAD", D(90), SALAD) == {"LETTUCE": D(21), "OIL": D("3.5"), "VINEGAR": D("1.5")}


def test_a_bom_that_contains_itself_two_levels_down_is_a_cycle():
    boms = dict(SALAD)
    boms["DRESSING"] = rules.BomSpec("DRESSING", D(1), (rules.Component("SALAD", D(1)),))
    with pytest.raises(rules.BomError) as exc:
        rules.explode("SALAD", D(1), boms)
    assert exc.value.path == ("SALAD", "DRESSING", "SALAD")


@given(quantities, quantities, fractions, yields)
def test_requirements_never_fall_short_and_grow_with_the_quantity(per_unit, good, scrap, yield_rate):
    c = rules.Component("X", per_unit, scrap)
    started = rules.started_for(good, yield_rate)
    need = rules.line_requirement(c, started)
    assert started * yield_rate >= good
    assert need >= per_unit * started * (1 + scrap)
    assert need - per_unit * started * (1 + scrap) < rules.QTY
    assert rules.line_requirement(c, started + 1) >= need


@given(
    st.lists(maybe_day, max_size=5),
    st.lists(maybe_day, max_size=5),
    st.one_of(st.none(), st.integers(0, 400)),
    st.one_of(st.none(), st.integers(0, 400)),
)
def test_an_output_never_outlives_an_input_and_is_never_best_after_its_expiry(
    expiries, bests, life, best_days
):
    expiry, best = rules.output_dates(DAY, life, best_days, expiries, bests)
    for d in expiries:
        if d is not None:
            assert expiry is not None
            assert expiry <= d
    if life is not None:
        assert expiry is not None
        assert expiry <= DAY + timedelta(days=life)
    if best is not None and expiry is not None:
        assert best <= expiry


def test_output_dates_take_the_shortest_lived_input():
    assert rules.output_dates(DAY, 5, None, [DAY + timedelta(days=3), None], []) == (
        DAY + timedelta(days=3),
        None,
    )


OPS = (
    rules.Operation("WASH", "W", D(0), D("0.3"), D(60), D(30)),
    rules.Operation("MIX", "P", D(6), D("0.3"), D(60), D(30)),
)


def test_setup_is_charged_on_the_first_completion_only():
    assert rules.conversion_cost(OPS, D(10), True) == rules.Conversion(
        D("12.00"), D("6.00"), {"WASH": D(3), "MIX": D(9)}
    )
    assert rules.conversion_cost(OPS, D(10), False).labour == D("6.00")


@given(cents, cents, cents, st.lists(cents, max_size=3))
def test_a_completion_empties_wip_exactly_or_refuses(materials, labour, overhead, by_products):
    conversion = rules.Conversion(labour, overhead)
    total = materials + labour + overhead
    if sum(by_products, D(0)) > total:
        with pytest.raises(ValueError, match="exceed"):
            rules.cost_completion(materials, conversion, by_products)
        return
    costing = rules.cost_completion(materials, conversion, by_products)
    assert costing.output + sum(costing.by_products, D(0)) == costing.total == total
    assert costing.output >= 0

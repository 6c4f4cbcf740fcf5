"""Order-up-to rules: each constraint binds when it should, and hypothesis checks the invariants."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.replenishment import rules
from domain.replenishment.rules import Binding, Lot, Offer, Position

D = Decimal
MONDAY = date(2025, 3, 3)


def position(**change) -> Position:
    base = {"today": MONDAY, "weekly_p50": [D(70)] * 8, "weekly_p90": [D(70)] * 8, "lots": []}
    return Position(**{**base, **change})


def offer(**change) -> Offer:
    return Offer(**{"supplier_id": 1, "unit_price": D(5), "lead_time_days": 7, **change})


def test_with_no_spread_the_order_up_to_is_the_mean_over_lead_time_and_review_period():
    s = rules.suggest(position(), offer())
    assert (s.forecast, s.safety_stock, s.order_up_to, s.need, s.quantity) == (
        D(140),
        0,
        D(140),
        D(140),
        D(140),
    )
    assert s.binding is Binding.FORECAST


def test_safety_stock_grows_with_the_p90_spread_and_the_service_level():
    spread = position(weekly_p90=[D("82.816")] * 8)  # sigma 10 a week
    at_95 = rules.suggest(spread, offer())
    # two weeks, sigma sqrt(2)*10, z(0.95) = 1.644854
    assert at_95.safety_stock == D("23.2617")
    at_99 = rules.suggest(position(weekly_p90=[D("82.816")] * 8, service_level=D("0.99")), offer())
    assert at_99.safety_stock > at_95.safety_stock


def test_a_lot_that_passes_best_before_before_it_sells_is_not_usable():
    lots = [Lot(D(50), MONDAY + timedelta(days=1)), Lot(D(30), None)]  # only 20 sells in 2 days at 10/day
    s = rules.suggest(position(lots=lots), offer())
    assert (s.on_hand, s.usable_on_hand) == (D(80), D(50))
    assert s.need == D(90)


def test_on_order_lowers_and_reserved_raises_the_need():
    s = rules.suggest(position(on_order=D(40), reserved=D(15), lots=[Lot(D(20), None)]), offer())
    assert s.need == D(140 - 20 - 40 + 15)


def test_the_perishable_cap_orders_no_more_than_sells_before_best_before():
    s = rules.suggest(position(shelf_life_days=3), offer())
    assert (s.shelf_life_cap, s.quantity, s.binding) == (D(30), D(30), Binding.SHELF_LIFE)


def test_room_and_capacity_cut_the_quantity_and_say_so():
    assert rules.suggest(position(room=D(100)), offer()).binding is Binding.ROOM
    s = rules.suggest(position(room=D(100)), offer(capacity=D(60)))
    assert (s.quantity, s.binding) == (D(60), Binding.CAPACITY)


def test_pack_size_rounds_up_when_room_allows_and_down_when_not():
    assert rules.suggest(position(), offer(pack_size=D(12))).quantity == D(144)
    s = rules.suggest(position(room=D(142)), offer(pack_size=D(12)))
    assert (s.quantity, s.binding) == (D(132), Binding.ROOM)


def test_moq_raises_a_small_order_unless_it_would_spoil():
    low = position(lots=[Lot(D(130), None)])
    s = rules.suggest(low, offer(min_quantity=D(50)))
    assert (s.need, s.quantity, s.binding) == (D(10), D(50), Binding.MOQ)
    perishable = position(lots=[Lot(D(50), None)], shelf_life_days=7)  # need 30; 30 sells before best-before
    s = rules.suggest(perishable, offer(min_quantity=D(50), lead_time_days=1))
    assert (s.need, s.shelf_life_cap, s.quantity, s.binding) == (D(30), D(30), D(0), Binding.MOQ_NOT_MET)


def test_enough_stock_means_nothing_to_order():
    s = rules.suggest(position(lots=[Lot(D(500), None)]), offer(min_quantity=D(10)))
    assert (s.quantity, s.binding) == (D(0), Binding.NO_NEED)


def test_choose_prefers_a_full_cover_then_no_forced_extra_then_the_cheaper_supplier():
    p = position(lots=[Lot(D(100), None)])  # need 40
    cheap_but_big_moq = offer(supplier_id=1, unit_price=D(4), min_quantity=D(200))
    dear = offer(supplier_id=2, unit_price=D(6))
    cheap_small_capacity = offer(supplier_id=3, unit_price=D(3), capacity=D(10))
    fair = offer(supplier_id=4, unit_price=D(5))
    assert rules.choose(p, [cheap_but_big_moq, dear, cheap_small_capacity, fair]).supplier_id == 4
    assert rules.choose(p, [cheap_but_big_moq, dear]).supplier_id == 2


def test_without_offers_the_need_is_shown_with_no_supplier():
    s = rules.choose(position(), [], default_lead_time_days=7)
    assert (s.supplier_id, s.unit_price, s.quantity) == (None, None, D(140))


def test_a_service_level_of_one_is_refused():
    with pytest.raises(ValueError, match="service level"):
        rules.suggest(position(service_level=D(1)), offer())


def test_a_price_line_is_valid_on_its_bounds_and_an_open_end_never_lapses():
    assert rules.valid_on(date(2025, 1, 1), date(2025, 1, 1), date(2025, 1, 1))
    assert not rules.valid_on(date(2025, 1, 2), date(2025, 1, 1), date(2025, 1, 1))
    assert rules.valid_on(date(2099, 1, 1), date(2025, 1, 1), None)


quantities = st.decimals(min_value=0, max_value=1000, places=2)
maybe = st.none() | st.decimals(min_value=0, max_value=500, places=2)


@st.composite
def cases(draw):
    weeks = draw(st.lists(quantities, min_size=1, max_size=6))
    spread = draw(
        st.lists(st.decimals(min_value=0, max_value=100, places=2), min_size=len(weeks), max_size=len(weeks))
    )
    lots = draw(
        st.lists(
            st.builds(
                Lot, quantities, st.none() | st.integers(-3, 30).map(lambda d: MONDAY + timedelta(days=d))
            ),
            max_size=4,
        )
    )
    p = Position(
        today=MONDAY + timedelta(days=draw(st.integers(0, 6))),
        weekly_p50=weeks,
        weekly_p90=[w + s for w, s in zip(weeks, spread, strict=True)],
        lots=lots,
        on_order=draw(quantities),
        reserved=draw(quantities),
        review_period_days=draw(st.integers(1, 14)),
        service_level=draw(st.sampled_from([D("0.5"), D("0.9"), D("0.95"), D("0.99")])),
        shelf_life_days=draw(st.none() | st.integers(1, 15)),
        room=draw(maybe),
    )
    o = Offer(
        supplier_id=1,
        unit_price=D(1),
        lead_time_days=draw(st.integers(0, 14)),
        min_quantity=draw(quantities),
        pack_size=draw(st.sampled_from([D(1), D(6), D("0.5"), D(24)])),
        capacity=draw(maybe),
    )
    return p, o


@settings(max_examples=300, deadline=None)
@given(cases())
def test_a_suggestion_never_breaks_a_cap_a_pack_or_the_moq(case):
    p, o = case
    s = rules.suggest(p, o)
    assert s.quantity >= 0
    assert s.usable_on_hand <= s.on_hand
    if s.quantity > 0:
        assert s.quantity % o.pack_size == 0
        assert s.quantity >= o.min_quantity
        for cap in (s.shelf_life_cap, p.room, o.capacity):
            assert cap is None or s.quantity <= cap
    if s.binding in {Binding.FORECAST, Binding.PACK_SIZE, Binding.MOQ}:
        assert s.quantity >= s.need
    if s.binding is Binding.NO_NEED:
        assert s.quantity == 0


@settings(max_examples=200, deadline=None)
@given(cases(), quantities)
def test_more_stock_on_hand_never_means_a_bigger_order(case, extra):
    p, o = case
    more = Position(**{**p.__dict__, "lots": [*p.lots, Lot(extra, None)]})
    assert rules.suggest(more, o).quantity <= rules.suggest(p, o).quantity


def test_without_a_forecast_run_the_baseline_ignores_censored_weeks():
    p50, p90 = rules.baseline_forecast([(D(10), False), (D(2), True), (D(14), False)])
    assert (p50, p90) == (D(12), D("14.5632"))  # mean 12, sigma 2, 12 + 1.2816 * 2
    assert rules.baseline_forecast([(D(3), True)]) == (D(3), D(3))
    assert rules.baseline_forecast([]) == (D(0), D(0))

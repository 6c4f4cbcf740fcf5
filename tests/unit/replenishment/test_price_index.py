"""The price covariate: weekly price over the usual price, carried through weeks without sales, lowered by
planned promotions in the future."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from domain.replenishment.price_index import price_index

MONDAY = date(2030, 1, 7)
HISTORY = [MONDAY + timedelta(weeks=i) for i in range(6)]
FUTURE = [MONDAY + timedelta(weeks=6 + i) for i in range(3)]


def test_a_week_without_sales_keeps_the_last_price_and_the_future_takes_planned_promotions():
    prices = {HISTORY[1]: Decimal(10), HISTORY[2]: Decimal(8), HISTORY[4]: Decimal(10)}

    index = price_index(HISTORY, FUTURE, prices, {FUTURE[1]: Decimal("0.25")})

    assert index == [1.0, 1.0, 0.8, 0.8, 1.0, 1.0, 1.0, 0.75, 1.0]


def test_no_known_price_is_the_usual_price_every_week():
    assert price_index(HISTORY, FUTURE, {}, {}) == [1.0] * 9


prices_strategy = st.dictionaries(
    st.sampled_from(HISTORY), st.decimals(min_value=Decimal("0.01"), max_value=Decimal(1000), places=2)
)
discounts_strategy = st.dictionaries(
    st.sampled_from(FUTURE), st.decimals(min_value=Decimal(0), max_value=Decimal("0.9"), places=2)
)


@given(prices_strategy, discounts_strategy, st.integers(1, 1000))
def test_the_index_covers_every_week_and_does_not_depend_on_the_currency_scale(prices, discounts, scale):
    index = price_index(HISTORY, FUTURE, prices, discounts)
    scaled = price_index(HISTORY, FUTURE, {d: p * scale for d, p in prices.items()}, discounts)

    assert len(index) == len(HISTORY) + len(FUTURE)
    assert all(v > 0 for v in index)
    assert scaled == index
    assert all(index[6 + i] <= index[5] + 1e-12 for i in range(3))  # a promotion never raises the price

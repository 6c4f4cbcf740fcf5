"""The price covariate: a SKU's weekly selling price relative to its usual price, past and planned.

Past weeks: the quantity-weighted mean selling price per base unit of what the series shipped that week
(``demand.Series.prices``); a week without sales carries the last known price forward (the shelf price did
not change because nothing sold), the weeks before the first sale take the first known one. Future weeks:
the last known price, lowered by the promotion planned that week (``1 − discount``). The index divides by
the median of the known past prices, so 1 is "the usual price" and series of different price levels share
one global model. No known price at all: 1 every week, less planned promotions. Pure: no I/O.
"""

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from statistics import median

ONE = Decimal(1)


def price_index(
    history: Sequence[date],
    future: Sequence[date],
    prices: Mapping[date, Decimal],
    discounts: Mapping[date, Decimal],
) -> list[float]:
    """One index per week of ``history`` then ``future`` (Mondays, oldest first); floats for the models.

    ``prices``: known weekly prices of past weeks (money per base unit, > 0); ``discounts``: planned
    promotion discount (fraction off, 0 ≤ d < 1) of future weeks, missing = none.
    """
    known = [p for day, p in prices.items() if p > 0]
    usual = median(known) if known else ONE
    first = next((prices[d] for d in history if prices.get(d, 0) > 0), usual)
    out: list[float] = []
    last = first
    for day in history:
        if prices.get(day, 0) > 0:
            last = prices[day]
        out.append(float(last / usual))
    out.extend(float(last * (ONE - discounts.get(day, Decimal(0))) / usual) for day in future)
    return out

"""Weekly demand history, pure: shipped quantities bucketed into ISO weeks, stock-out weeks censored.

Units: quantities are base units (``Decimal``); times are aware ``datetime``s, bucketed by their date in the
business time zone (an IANA name, default Asia/Shanghai); a week is ISO 8601 (Monday to Sunday) and named by
its Monday. A week is *censored* when one of its days closed with no usable stock of the SKU in the
warehouse: its sales are a lower bound on demand, not demand, so forecasting treats them as missing rather
than as low demand. Errors: ``ValueError`` for a naive datetime.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

DEFAULT_TIME_ZONE = "Asia/Shanghai"
ZERO = Decimal(0)


@dataclass(frozen=True)
class WeekDemand:
    week_start: date  # Monday
    iso_year: int
    iso_week: int
    quantity: Decimal
    censored: bool


def week_start(day: date) -> date:
    """The Monday of ``day``'s ISO week."""
    return day - timedelta(days=day.weekday())


def business_date(moment: datetime, time_zone: str = DEFAULT_TIME_ZONE) -> date:
    if moment.tzinfo is None:
        raise ValueError("a naive datetime has no business date; give it a zone")
    return moment.astimezone(ZoneInfo(time_zone)).date()


def weeks_between(first: date, last: date) -> list[date]:
    """Mondays of every ISO week from ``first``'s to ``last``'s, inclusive."""
    start, end = week_start(first), week_start(last)
    return [start + timedelta(weeks=i) for i in range((end - start).days // 7 + 1)] if start <= end else []


def weekly_demand(
    sales: Iterable[tuple[datetime, Decimal]],
    stock_changes: Iterable[tuple[datetime, Decimal]],
    first: date,
    last: date,
    opening_stock: Decimal = ZERO,
    time_zone: str = DEFAULT_TIME_ZONE,
) -> list[WeekDemand]:
    """Demand per ISO week from ``first``'s week to ``last``'s, every week present (zero when nothing sold).

    ``sales``: (time, base quantity shipped). ``stock_changes``: (time, signed change of the warehouse's
    usable on hand), before or inside the window; ``opening_stock`` is the on hand before all of them.
    """
    mondays = weeks_between(first, last)
    totals = dict.fromkeys(mondays, ZERO)
    for moment, quantity in sales:
        monday = week_start(business_date(moment, time_zone))
        if monday in totals:
            totals[monday] += quantity
    censored = _stock_out_weeks(stock_changes, mondays, opening_stock, time_zone)
    result = []
    for monday in mondays:
        iso = monday.isocalendar()
        result.append(WeekDemand(monday, iso.year, iso.week, totals[monday], monday in censored))
    return result


def _stock_out_weeks(
    changes: Iterable[tuple[datetime, Decimal]], mondays: list[date], opening: Decimal, time_zone: str
) -> set[date]:
    """Weeks with a day that closed with no stock (a restock on the morning of a day saves that day)."""
    if not mondays:
        return set()
    first = mondays[0]
    balance = opening
    by_day: dict[date, Decimal] = {}
    for moment, delta in changes:
        day = business_date(moment, time_zone)
        if day < first:
            balance += delta
        else:
            by_day[day] = by_day.get(day, ZERO) + delta
    out: set[date] = set()
    for monday in mondays:
        for i in range(7):
            balance += by_day.get(monday + timedelta(days=i), ZERO)
            if balance <= ZERO:
                out.add(monday)
    return out

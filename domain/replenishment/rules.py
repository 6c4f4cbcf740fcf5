"""Order-up-to replenishment, pure: how much to order of one SKU for one warehouse, and why.

Units: quantities are base units, ``Decimal``; prices per base unit; days are whole days; ``today`` is the
business date of the run (no clock here). The forecast is weekly (P50 and P90 per week from ``today``'s
week on); demand over a span of days is pro-rated from the weeks (a week's demand spread evenly over its
days). Per-week spread comes from P90 − P50 under a normal approximation (P90 = P50 + 1.2816 σ), weeks
independent, so the quantile of demand over lead time + review period is mean + z(service level) · σ.

The suggestion (``suggest``):
  order-up-to S = quantile(demand over lead time + review period, service level)
  need          = S − usable on hand − on order + reserved, at least 0
then, in order, each may bind: perishable cap (no more than sells, at the P50 rate, between arrival and
arrival + shelf life, less the stock still left then), warehouse room, supplier capacity per period, pack size
(round up when the caps allow it, else down), minimum order quantity (raise to it when the caps allow it,
else order nothing). Usable on hand counts each lot only as far as it sells, FEFO at the P50 rate, before it
expires or passes best-before. Offers from several suppliers are compared (``choose``): a full cover first,
then no quantity forced above the need, then the lowest price, the shortest lead time, the lowest id.
Errors: ``ValueError`` for inputs no caller should build (negative quantities, service level outside (0, 1)).
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from enum import StrEnum
from statistics import NormalDist

from domain.replenishment import price_rules

ZERO = Decimal(0)
QTY = Decimal("0.0001")
Z90 = Decimal("1.2816")  # standard normal quantile at 0.9


class Binding(StrEnum):
    """What set the suggested quantity."""

    NO_NEED = "no_need"  # usable stock and orders cover the order-up-to level
    FORECAST = "forecast"  # the need itself, nothing cut it
    SHELF_LIFE = "shelf_life"  # more would pass best-before before it sells
    ROOM = "room"  # warehouse locations are full
    CAPACITY = "capacity"  # the supplier cannot deliver more this period
    PACK_SIZE = "pack_size"  # rounded to whole packs
    MOQ = "moq"  # raised to the minimum order quantity
    MOQ_NOT_MET = "moq_not_met"  # the minimum order would break a cap: nothing ordered


@dataclass(frozen=True)
class Lot:
    quantity: Decimal
    sellable_until: date | None  # last day it may be sold: the earlier of expiry and best-before; None: ever


@dataclass(frozen=True)
class Offer:
    supplier_id: int
    unit_price: Decimal
    lead_time_days: int
    min_quantity: Decimal = ZERO
    pack_size: Decimal = Decimal(1)
    capacity: Decimal | None = None  # per review period; None: unlimited
    breaks: Sequence[price_rules.PriceBreak] = ()  # lower unit prices from larger quantities on


@dataclass(frozen=True)
class Position:
    today: date
    weekly_p50: Sequence[Decimal]  # from today's ISO week on; the last week repeats past the end
    weekly_p90: Sequence[Decimal]
    lots: Sequence[Lot]
    on_order: Decimal = ZERO
    reserved: Decimal = ZERO
    review_period_days: int = 7
    service_level: Decimal = Decimal("0.95")
    shelf_life_days: int | None = None  # of a new lot, till best-before; None: not perishable
    room: Decimal | None = None  # free location capacity in the warehouse; None: unchecked


@dataclass(frozen=True)
class Suggestion:
    quantity: Decimal
    binding: Binding
    supplier_id: int | None
    unit_price: Decimal | None
    lead_time_days: int
    forecast: Decimal  # mean demand over lead time + review period
    safety_stock: Decimal
    order_up_to: Decimal
    on_hand: Decimal
    usable_on_hand: Decimal
    on_order: Decimal
    reserved: Decimal
    need: Decimal
    shelf_life_cap: Decimal | None
    room: Decimal | None
    capacity: Decimal | None
    min_quantity: Decimal
    pack_size: Decimal


def _q(x: Decimal) -> Decimal:
    return x.quantize(QTY, rounding=ROUND_HALF_UP)


def _week_value(weeks: Sequence[Decimal], index: int) -> Decimal:
    if not weeks:
        return ZERO
    return weeks[min(index, len(weeks) - 1)]


def demand_between(
    position: Position, start: int, end: int, weeks: Sequence[Decimal] | None = None
) -> Decimal:
    """Demand on days [start, end) counted from ``today`` (day 0), pro-rated from weekly figures."""
    weeks = position.weekly_p50 if weeks is None else weeks
    offset = position.today.weekday()  # day 0 sits this far into week 0
    total = ZERO
    for day in range(max(start, 0), max(end, 0)):
        total += _week_value(weeks, (offset + day) // 7) / 7
    return total


def quantile_over(position: Position, days: int) -> tuple[Decimal, Decimal]:
    """(mean, safety stock) of demand over the next ``days`` days at the position's service level."""
    if not ZERO < position.service_level < 1:
        raise ValueError("service level must be within (0, 1)")
    mean = demand_between(position, 0, days)
    offset = position.today.weekday()
    variance = ZERO
    for week in range((offset + max(days, 0) + 6) // 7):
        covered = sum(1 for day in range(days) if (offset + day) // 7 == week)
        spread = max(ZERO, _week_value(position.weekly_p90, week) - _week_value(position.weekly_p50, week))
        sigma = spread / Z90
        variance += Decimal(covered) / 7 * sigma * sigma
    z = Decimal(str(round(NormalDist().inv_cdf(float(position.service_level)), 6)))
    return mean, max(ZERO, z * variance.sqrt()) if variance else ZERO


def usable_on_hand(position: Position) -> Decimal:
    """Stock that sells before its date, FEFO at the P50 rate; undated lots count whole."""
    usable, sold_before = ZERO, ZERO
    dated = sorted((lot for lot in position.lots if lot.sellable_until is not None), key=_until)
    for lot in dated:
        if lot.quantity < 0:
            raise ValueError("a lot quantity cannot be negative")
        days = (_until(lot) - position.today).days + 1  # sells through the end of its last day
        can_sell = max(ZERO, demand_between(position, 0, days) - sold_before)
        take = min(lot.quantity, can_sell)
        usable += take
        sold_before += take
    usable += sum((lot.quantity for lot in position.lots if lot.sellable_until is None), ZERO)
    return usable


def _until(lot: Lot) -> date:
    assert lot.sellable_until is not None
    return lot.sellable_until


def _round(quantity: Decimal, pack: Decimal, rounding: str) -> Decimal:
    return (quantity / pack).to_integral_value(rounding=rounding) * pack


def suggest(position: Position, offer: Offer) -> Suggestion:
    """The suggested order of ``offer``'s supplier for ``position`` (see the module docstring)."""
    if position.on_order < 0 or position.reserved < 0 or offer.min_quantity < 0 or offer.pack_size <= 0:
        raise ValueError("on order, reserved and MOQ must be >= 0 and the pack size > 0")
    lead = offer.lead_time_days
    mean, safety = quantile_over(position, lead + position.review_period_days)
    order_up_to = mean + safety
    on_hand = sum((lot.quantity for lot in position.lots), ZERO)
    usable = usable_on_hand(position)
    need = max(ZERO, order_up_to - usable - position.on_order + position.reserved)
    cap = None
    if position.shelf_life_days is not None:
        sells = demand_between(position, lead, lead + position.shelf_life_days)
        left_at_arrival = max(ZERO, usable - position.reserved - demand_between(position, 0, lead))
        cap = max(ZERO, sells - left_at_arrival - position.on_order)
    caps = [
        (max(ZERO, value), reason)
        for value, reason in (
            (cap, Binding.SHELF_LIFE),
            (position.room, Binding.ROOM),
            (offer.capacity, Binding.CAPACITY),
        )
        if value is not None
    ]
    ceiling = min(caps, key=lambda c: c[0]) if caps else None

    quantity, binding = need, Binding.FORECAST if need > 0 else Binding.NO_NEED
    for value, reason in caps:
        if quantity > value:
            quantity, binding = value, reason
    if quantity > 0:
        up = _round(quantity, offer.pack_size, ROUND_CEILING)
        if ceiling is None or up <= ceiling[0]:
            quantity, binding = (
                up,
                Binding.PACK_SIZE if up != quantity and binding is Binding.FORECAST else binding,
            )
        else:
            quantity, binding = _round(quantity, offer.pack_size, ROUND_FLOOR), ceiling[1]
    if 0 < quantity < offer.min_quantity:
        moq = _round(offer.min_quantity, offer.pack_size, ROUND_CEILING)
        if ceiling is None or moq <= ceiling[0]:
            quantity, binding = moq, Binding.MOQ
        else:
            quantity, binding = ZERO, Binding.MOQ_NOT_MET
    return Suggestion(
        quantity=_q(quantity),
        binding=binding,
        supplier_id=offer.supplier_id,
        unit_price=price_rules.price_at(quantity, offer.unit_price, offer.breaks),
        lead_time_days=lead,
        forecast=_q(mean),
        safety_stock=_q(safety),
        order_up_to=_q(order_up_to),
        on_hand=_q(on_hand),
        usable_on_hand=_q(usable),
        on_order=position.on_order,
        reserved=position.reserved,
        need=_q(need),
        shelf_life_cap=None if cap is None else _q(cap),
        room=position.room,
        capacity=offer.capacity,
        min_quantity=offer.min_quantity,
        pack_size=offer.pack_size,
    )


def choose(position: Position, offers: Sequence[Offer], default_lead_time_days: int = 2) -> Suggestion:
    """The best of the offers' suggestions; with no offer, the need at the default lead time, no supplier."""
    if not offers:
        bare = suggest(position, Offer(0, ZERO, default_lead_time_days))
        return replace(bare, supplier_id=None, unit_price=None)
    candidates = [suggest(position, offer) for offer in offers]

    def key(s: Suggestion) -> tuple[bool, bool, Decimal, int, int]:
        short = s.quantity < s.need and s.binding in {Binding.ROOM, Binding.CAPACITY, Binding.MOQ_NOT_MET}
        forced = s.binding is Binding.MOQ and s.quantity > _round(s.need, s.pack_size, ROUND_CEILING)
        return (short, forced, s.unit_price or ZERO, s.lead_time_days, s.supplier_id or 0)

    return min(candidates, key=key)


def valid_on(day: date, valid_from: date, valid_to: date | None) -> bool:
    """A price list line applies on ``day`` (inclusive bounds; an open end never lapses)."""
    return valid_from <= day and (valid_to is None or day <= valid_to)


def arrival(today: date, lead_time_days: int) -> date:
    return today + timedelta(days=lead_time_days)


def baseline_forecast(history: Sequence[tuple[Decimal, bool]]) -> tuple[Decimal, Decimal]:
    """(P50, P90) of next week's demand from weekly (quantity, censored) history, when no forecast run exists:
    the mean and mean + 1.2816 σ of the uncensored weeks (censored weeks are lower bounds, not demand)."""
    seen = [q for q, censored in history if not censored]
    if not seen:
        seen = [q for q, _ in history]  # every week censored: the sales are the best lower bound we have
    if not seen:
        return ZERO, ZERO
    mean = sum(seen, ZERO) / len(seen)
    variance = sum(((q - mean) ** 2 for q in seen), ZERO) / len(seen)
    return _q(mean), _q(mean + Z90 * variance.sqrt())

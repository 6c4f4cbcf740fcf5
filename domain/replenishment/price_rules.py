"""Supplier price list rules, pure: what a price list line may hold, and the unit price at a quantity.

A line (``PriceTerms``) prices one SKU from one supplier in one currency (ISO 4217, three capital letters)
over inclusive validity dates (an open end never lapses): ``unit_price`` per base unit from the minimum
order quantity (MOQ) on, and quantity breaks (``PriceBreak``): from ``min_quantity`` on, a lower price.
Breaks start above the MOQ, rise strictly in quantity and fall strictly in price (a break that does not
lower the price is not one). Money and quantities are ``Decimal`` (4 places, as stored); nothing rounds.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

ZERO = Decimal(0)
MAX_BREAKS = 20
_CURRENCY = re.compile(r"[A-Z]{3}")


@dataclass(frozen=True)
class PriceBreak:
    min_quantity: Decimal
    unit_price: Decimal


@dataclass(frozen=True)
class PriceTerms:
    unit_price: Decimal
    currency: str
    min_quantity: Decimal
    pack_size: Decimal
    capacity_per_week: Decimal | None
    lead_time_days: int | None
    valid_from: date
    valid_to: date | None
    breaks: Sequence[PriceBreak] = ()


def problems(terms: PriceTerms) -> list[tuple[str, tuple[str, ...]]]:
    """Every problem of a line as (sentence, input path); empty when it is acceptable."""
    found: list[tuple[str, tuple[str, ...]]] = []
    if terms.unit_price <= 0:
        found.append(("unitPrice must be above 0", ("unitPrice",)))
    if not _CURRENCY.fullmatch(terms.currency):
        found.append(("currency must be an ISO 4217 code such as CNY", ("currency",)))
    if terms.min_quantity < 0:
        found.append(("minQuantity must be 0 or more", ("minQuantity",)))
    if terms.pack_size <= 0:
        found.append(("packSize must be above 0", ("packSize",)))
    if terms.capacity_per_week is not None and terms.capacity_per_week <= 0:
        found.append(("capacityPerWeek must be above 0 (leave it out for unlimited)", ("capacityPerWeek",)))
    if terms.lead_time_days is not None and not 0 <= terms.lead_time_days <= 365:
        found.append(("leadTimeDays must be within 0..365", ("leadTimeDays",)))
    if terms.valid_to is not None and terms.valid_to < terms.valid_from:
        found.append(("validTo must not be before validFrom", ("validTo",)))
    if len(terms.breaks) > MAX_BREAKS:
        found.append((f"at most {MAX_BREAKS} price breaks", ("breaks",)))
    quantity, price = terms.min_quantity, terms.unit_price
    for i, b in enumerate(terms.breaks):
        path = ("breaks", str(i))
        if b.min_quantity <= quantity:
            found.append(
                ("break quantities must rise above the MOQ and the break before", (*path, "minQuantity"))
            )
        if not ZERO < b.unit_price < price:
            found.append(("break prices must be above 0 and below the price before", (*path, "unitPrice")))
        quantity, price = max(quantity, b.min_quantity), min(price, b.unit_price)
    return found


def price_at(quantity: Decimal, unit_price: Decimal, breaks: Sequence[PriceBreak]) -> Decimal:
    """The unit price for an order of ``quantity`` base units: the deepest break it reaches, else the base."""
    reached = [b for b in breaks if b.min_quantity <= quantity]
    return min((b.unit_price for b in reached), default=unit_price)


def overlaps(a_from: date, a_to: date | None, b_from: date, b_to: date | None) -> bool:
    """Two inclusive validity ranges (open ends never lapse) share a day."""
    return (b_to is None or a_from <= b_to) and (a_to is None or b_from <= a_to)

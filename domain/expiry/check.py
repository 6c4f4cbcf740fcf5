"""The expiry part of ``lotline check``: stock that should be expired but is still available.

The books can agree with each other while selling what may not be sold: a quant in ``available`` status of a
lot whose expiry date is before the business day (the scheduled expiry scan has not moved it), or of a lot
whose status is already ``expired``. Picking refuses such stock at read time; this check makes the stale
status visible. Quantities in base units.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tortoise.expressions import Q

from domain.inventory import rules
from domain.inventory.models import StockQuant

Status = rules.StockStatus


@dataclass(frozen=True)
class StaleAvailable:
    """Available stock past its expiry date: what the books say is sellable, and what is (nothing)."""

    what: str
    key: str  # (sku, location, batch, status), as the other differences
    books: Decimal
    ledger: Decimal


async def expired_but_available(today: date) -> list[StaleAvailable]:
    """Every available quant with stock of a lot past its expiry date on business day ``today``."""
    rows = await (
        StockQuant.filter(
            Q(batch__expiry_date__lt=today) | Q(batch__status=Status.EXPIRED),
            status=Status.AVAILABLE,
            quantity__gt=0,
        )
        .order_by("id")
        .values_list("sku_id", "location_id", "batch_id", "status", "quantity", "batch__expiry_date")
    )
    return [
        StaleAvailable(
            f"expired_but_available (expiry {expiry})",
            str((sku, loc, batch, status)),
            Decimal(qty),
            rules.ZERO,
        )
        for sku, loc, batch, status, qty, expiry in rows
    ]

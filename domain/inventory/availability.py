"""What is available, reported exactly as picking will find it: one SKU's stock figures on a business day.

``available`` is what FEFO picking may take (``rules.is_allocatable``): available status on an available
batch not past its expiry date on business day ``today``, in an internal location not frozen by a count,
less what is reserved. Stock of an available lot past its expiry date counts as ``expired`` even before the
scheduled expiry job has moved it (``rules.status_at``). Quantities are in the SKU's base unit.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.inventory import rules
from domain.inventory.models import StockQuant

ZERO = rules.ZERO


@dataclass(frozen=True)
class StockFigures:
    """One SKU's stock (in one warehouse or all), base units."""

    on_hand: Decimal
    available: Decimal  # what picking may take today
    reserved: Decimal
    quarantined: Decimal
    blocked: Decimal
    expired: Decimal
    in_transit: Decimal


def candidate_of(row: dict[str, object]) -> rules.QuantCandidate:
    """A quant row (``StockQuant.values`` with its batch's dates and status) as a picking candidate."""
    quantity, reserved = Decimal(str(row["quantity"])), Decimal(str(row["reserved"]))
    return rules.QuantCandidate(
        int(str(row["id"])),
        int(str(row["batch_id"])),
        int(str(row["location_id"])),
        row["batch__expiry_date"],  # type: ignore[arg-type]
        row["batch__best_before_date"],  # type: ignore[arg-type]
        str(row["status"]),
        str(row["batch__status"]),
        quantity - reserved,
    )


def pickable_place(location_kind: str, frozen: bool) -> bool:
    """Picking looks in internal locations not frozen by a count (``reservations.pickable_quants``)."""
    return location_kind == rules.LocationKind.INTERNAL and not frozen


def available_quantity(c: rules.QuantCandidate, location_kind: str, frozen: bool, today: date) -> Decimal:
    """What picking may take of one quant on business day ``today``."""
    return c.free if pickable_place(location_kind, frozen) and rules.is_allocatable(c, today) else ZERO


FIELDS = (
    "id",
    "batch_id",
    "location_id",
    "status",
    "quantity",
    "reserved",
    "location__kind",
    "location__frozen",
    "batch__status",
    "batch__expiry_date",
    "batch__best_before_date",
)


async def stock_figures(sku_id: int, warehouse_id: int | None, today: date) -> StockFigures:
    """On hand, available, reserved and held stock of a SKU on business day ``today``."""
    query = StockQuant.filter(sku_id=sku_id)
    if warehouse_id is not None:
        query = query.filter(warehouse_id=warehouse_id)
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for row in await query.values(*FIELDS):
        c = candidate_of(row)
        quantity = Decimal(str(row["quantity"]))
        sums["on_hand"] += quantity
        sums["reserved"] += Decimal(str(row["reserved"]))
        kind, frozen = str(row["location__kind"]), bool(row["location__frozen"])
        sums["available"] += available_quantity(c, kind, frozen, today)
        status = rules.status_at(c.quant_status, c.expiry_date, today)
        if kind == rules.LocationKind.TRANSIT:
            sums["in_transit"] += quantity
        elif status == rules.StockStatus.QUARANTINE:
            sums["quarantined"] += quantity
        elif status == rules.StockStatus.BLOCKED:
            sums["blocked"] += quantity
        elif status == rules.StockStatus.EXPIRED:
            sums["expired"] += quantity
    return StockFigures(
        on_hand=sums["on_hand"],
        available=sums["available"],
        reserved=sums["reserved"],
        quarantined=sums["quarantined"],
        blocked=sums["blocked"],
        expired=sums["expired"],
        in_transit=sums["in_transit"],
    )

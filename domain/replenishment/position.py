"""Reads what the order-up-to rule needs about one SKU × warehouse: lots, reserved, on order, room, offers.

Units: base units; ``room`` is the free capacity of the warehouse's internal locations that have a capacity
(capacity − quantity stored there, all SKUs, base units); ``None`` when no location of it has a capacity.
A lot's last selling day is the earlier of its expiry and best-before dates.
"""

from datetime import date
from decimal import Decimal

from domain.catalog.models import Sku
from domain.inventory.models import Location, StockQuant
from domain.inventory.rules import LocationKind, StockStatus
from domain.partners.models import Supplier
from domain.purchasing.models import PurchaseOrderLine
from domain.purchasing.rules import RECEIVABLE
from domain.replenishment import price_lists, rules
from domain.replenishment.models import SupplierPrice

ZERO = Decimal(0)


async def lots_and_reserved(sku_id: int, warehouse_id: int) -> tuple[list[rules.Lot], Decimal]:
    quants = await StockQuant.filter(
        sku_id=sku_id, warehouse_id=warehouse_id, status=StockStatus.AVAILABLE, quantity__gt=0
    ).prefetch_related("batch")
    lots = []
    for q in quants:
        dates = [d for d in (q.batch.expiry_date, q.batch.best_before_date) if d is not None]
        lots.append(rules.Lot(Decimal(q.quantity), min(dates) if dates else None))
    return lots, sum((Decimal(q.reserved) for q in quants), ZERO)


async def on_order(sku_id: int, warehouse_id: int) -> Decimal:
    lines = await PurchaseOrderLine.filter(
        sku_id=sku_id, order__warehouse_id=warehouse_id, order__status__in=list(RECEIVABLE)
    )
    return sum((max(ZERO, ln.quantity * ln.unit_factor - ln.received_base) for ln in lines), ZERO)


async def room(warehouse_id: int) -> Decimal | None:
    locations = await Location.filter(
        warehouse_id=warehouse_id, kind=LocationKind.INTERNAL, capacity__isnull=False
    ).values_list("id", "capacity")
    if not locations:
        return None
    stored = await StockQuant.filter(location_id__in=[i for i, _ in locations]).values_list(
        "location_id", "quantity"
    )
    used: dict[int, Decimal] = {}
    for location_id, quantity in stored:
        used[location_id] = used.get(location_id, ZERO) + quantity
    return sum((max(ZERO, cap - used.get(i, ZERO)) for i, cap in locations), ZERO)


async def offers(sku_id: int, today: date) -> list[rules.Offer]:
    """Every price list line valid today, with its supplier's lead time when the line has none."""
    prices = await SupplierPrice.filter(sku_id=sku_id, valid_from__lte=today).order_by("id")
    suppliers = {s.id: s for s in await Supplier.filter(id__in={p.supplier_id for p in prices}, active=True)}
    breaks = await price_lists.breaks_of([p.id for p in prices])
    return [
        rules.Offer(
            supplier_id=p.supplier_id,
            unit_price=p.unit_price,
            lead_time_days=p.lead_time_days
            if p.lead_time_days is not None
            else suppliers[p.supplier_id].lead_time_days,
            min_quantity=p.min_quantity,
            pack_size=p.pack_size,
            capacity=p.capacity_per_week,
            breaks=breaks[p.id],
        )
        for p in prices
        if p.supplier_id in suppliers and rules.valid_on(today, p.valid_from, p.valid_to)
    ]


def shelf_life(sku: Sku) -> int | None:
    return sku.best_before_days or sku.shelf_life_days

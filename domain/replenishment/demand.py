"""Demand history use case: the weekly demand of SKU × warehouse series, read from the ledger.

Demand is the base quantity shipped to customers (``ShipmentLine`` of the warehouse), bucketed by ISO week in
the business time zone; stock-outs come from the stock ledger (available stock in the warehouse's internal
locations) and mark weeks censored (see ``weeks.weekly_demand``). Returns one ``Series`` per pair with every
week of the window present.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from domain.inventory.models import Location, StockMove
from domain.inventory.rules import LocationKind, StockStatus
from domain.replenishment import weeks
from domain.sales.models import ShipmentLine


@dataclass(frozen=True)
class Series:
    sku_id: int
    warehouse_id: int
    weeks: list[weeks.WeekDemand]
    prices: dict[date, Decimal] = field(default_factory=dict)  # week's mean selling price per base unit


def _bounds(first: date, last: date, time_zone: str) -> tuple[datetime, datetime]:
    zone = ZoneInfo(time_zone)
    start = datetime.combine(weeks.week_start(first), time.min, zone)
    end = datetime.combine(weeks.week_start(last) + timedelta(days=7), time.min, zone)
    return start, end


async def demand_history(
    first: date,
    last: date,
    *,
    warehouse_ids: list[int] | None = None,
    sku_ids: list[int] | None = None,
    time_zone: str = weeks.DEFAULT_TIME_ZONE,
) -> list[Series]:
    """Series for every SKU × warehouse that shipped in the window (or the given SKUs/warehouses)."""
    start, end = _bounds(first, last, time_zone)
    lines = ShipmentLine.filter(shipment__shipped_at__gte=start, shipment__shipped_at__lt=end)
    if warehouse_ids is not None:
        lines = lines.filter(shipment__warehouse_id__in=warehouse_ids)
    if sku_ids is not None:
        lines = lines.filter(order_line__sku_id__in=sku_ids)
    rows = await lines.values_list(
        "order_line__sku_id",
        "shipment__warehouse_id",
        "shipment__shipped_at",
        "quantity_base",
        "order_line__unit_price",
        "order_line__unit_factor",
    )
    sales: dict[tuple[int, int], list[tuple[datetime, Decimal]]] = defaultdict(list)
    # week -> [Σ quantity × price per base unit, Σ quantity], for the price covariate
    revenue: dict[tuple[int, int], dict[date, list[Decimal]]] = defaultdict(dict)
    for sku_id, warehouse_id, shipped_at, quantity, unit_price, unit_factor in rows:
        sales[(sku_id, warehouse_id)].append((shipped_at, quantity))
        if quantity > 0 and unit_factor:
            monday = weeks.week_start(weeks.business_date(shipped_at, time_zone))
            acc = revenue[(sku_id, warehouse_id)].setdefault(monday, [Decimal(0), Decimal(0)])
            acc[0] += quantity * unit_price / unit_factor
            acc[1] += quantity
    keys = sorted(sales)
    changes = await _stock_changes(keys, end)
    return [
        Series(
            sku,
            wh,
            weeks.weekly_demand(sales[(sku, wh)], changes[(sku, wh)], first, last, time_zone=time_zone),
            {day: (v / q).quantize(Decimal("0.0001")) for day, (v, q) in revenue[(sku, wh)].items() if q},
        )
        for sku, wh in keys
    ]


async def _stock_changes(
    keys: list[tuple[int, int]], end: datetime
) -> dict[tuple[int, int], list[tuple[datetime, Decimal]]]:
    """Signed changes of available on hand per SKU × warehouse, from the ledger's beginning to ``end``."""
    result: dict[tuple[int, int], list[tuple[datetime, Decimal]]] = defaultdict(list)
    if not keys:
        return result
    internal = dict(
        await Location.filter(kind=LocationKind.INTERNAL, warehouse_id__isnull=False).values_list(
            "id", "warehouse_id"
        )
    )
    wanted = set(keys)
    moves = await StockMove.filter(sku_id__in=sorted({k[0] for k in keys}), posted_at__lt=end).values_list(
        "sku_id", "from_location_id", "to_location_id", "from_status", "to_status", "quantity", "posted_at"
    )
    for sku_id, src, dst, from_status, to_status, qty, posted_at in moves:
        if src in internal and from_status == StockStatus.AVAILABLE and (sku_id, internal[src]) in wanted:
            result[(sku_id, internal[src])].append((posted_at, -qty))
        if dst in internal and to_status == StockStatus.AVAILABLE and (sku_id, internal[dst]) in wanted:
            result[(sku_id, internal[dst])].append((posted_at, qty))
    return result

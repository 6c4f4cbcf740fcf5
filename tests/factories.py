"""Async builders for integration tests: SKUs, warehouses, partners, orders and received stock.

Every code is random, so tests share one database without colliding. Dates are fixed (``NOW``) so expiry
rules never depend on the day the suite runs. The SKUs count in ``kg`` (base and sales unit) and are bought
by the ``box`` of ``KG_PER_BOX`` kg.

    sku = await factories.make_sku()
    wh = await factories.make_warehouse()
    supplier, customer = await factories.make_supplier(), await factories.make_customer()
    lot = await factories.receive(sku, wh, supplier, Decimal(30))   # 30 kg at 12.00 a kg in wh.bins[0]
    order = await factories.make_sales_order(customer, wh, sku, Decimal(5))
"""

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from domain.catalog import rules as catalog_rules
from domain.catalog import services as catalog
from domain.catalog.models import Sku
from domain.common.models import IdempotencyKey, OutboxMessage
from domain.inventory import services as inventory
from domain.inventory.models import Batch, Location, Reservation, SkuValuation, StockMove, StockQuant
from domain.inventory.rules import fefo_dates
from domain.partners import services as partners
from domain.partners.services import PartnerRef
from domain.purchasing import receipts
from domain.purchasing import services as purchasing
from domain.purchasing.models import PurchaseOrderLine
from domain.sales import services as sales
from domain.sales.models import SalesOrderLine

NOW = datetime(2030, 6, 3, 9, 0, tzinfo=UTC)
TODAY = NOW.date()
KG_PER_BOX = Decimal(10)


def code(prefix: str) -> str:
    """A random upper-case code such as ``SKU-1A2B3C4D``."""
    return f"{prefix}-{uuid.uuid4().hex[:8].upper()}"


def days(n: int) -> date:
    """``TODAY`` shifted by ``n`` days, for expiry dates."""
    return TODAY + timedelta(days=n)


async def make_sku(*, high_risk: bool = False, shelf_life_days: int | None = None) -> Sku:
    return await catalog.create_sku(
        catalog.SkuInput(
            code=code("SKU"),
            name_zh="高原蓝莓",
            name_en="Highland blueberries",
            base_unit="kg",
            purchase_unit="box",
            sales_unit="kg",
            units=[catalog_rules.UnitDef("box", KG_PER_BOX)],
            shelf_life_days=shelf_life_days,
            high_risk=high_risk,
        )
    )


@dataclass(frozen=True)
class WarehouseRef:
    id: int
    code: str  # also the code of its root location
    bins: tuple[str, ...]  # internal location codes under the root

    @property
    def transit(self) -> str:
        return f"{self.code}/TRANSIT"


async def make_warehouse(bins: tuple[str, ...] = ("A", "B")) -> WarehouseRef:
    wh_code = code("WH")
    wh = await inventory.create_warehouse(wh_code, f"仓库 {wh_code}")
    for b in bins:
        await inventory.create_location(wh_code, f"{wh_code}/{b}", f"bin {b}")
    return WarehouseRef(wh.id, wh_code, tuple(f"{wh_code}/{b}" for b in bins))


async def make_supplier() -> PartnerRef:
    return await partners.create_supplier(code("SUP"), "云南高原果蔬合作社")


async def make_customer() -> PartnerRef:
    return await partners.create_customer(code("CUS"), "上海静安店")


@dataclass(frozen=True)
class OrderRef:
    id: int
    line_id: int  # its only line


async def make_purchase_order(
    supplier: PartnerRef,
    wh: WarehouseRef,
    sku: Sku,
    quantity: Decimal,
    *,
    unit: str = "box",
    unit_price: Decimal = Decimal("120"),
    confirm: bool = True,
) -> OrderRef:
    posted = await purchasing.purchase_order_create(
        supplier.code, wh.code, [catalog.OrderLineInput(sku.code, quantity, unit, unit_price)]
    )
    if confirm:
        await purchasing.purchase_order_confirm(posted.document_id, NOW)
    line = await PurchaseOrderLine.get(order_id=posted.document_id)
    return OrderRef(posted.document_id, line.id)


@dataclass(frozen=True)
class ReceivedLot:
    batch_id: int
    lot_code: str
    location_code: str
    order: OrderRef
    receipt_id: int


async def receive(
    sku: Sku,
    wh: WarehouseRef,
    supplier: PartnerRef,
    quantity: Decimal,
    *,
    unit_cost: Decimal = Decimal("12"),
    expiry_date: date | None = None,
    lot_code: str | None = None,
    location_code: str | None = None,
    received_at: datetime = NOW,
) -> ReceivedLot:
    """Orders ``quantity`` kg at ``unit_cost`` a kg and receives all of it as one lot."""
    order = await make_purchase_order(supplier, wh, sku, quantity, unit="kg", unit_price=unit_cost)
    lot_code = lot_code or code("LOT")
    location_code = location_code or wh.bins[0]
    posted = await receipts.goods_receipt_post(
        order.id,
        [
            receipts.ReceiptLineInput(
                order.line_id, quantity, lot_code, location_code, expiry_date=expiry_date
            )
        ],
        received_at,
    )
    batch = await Batch.get(sku_id=sku.id, lot_code=lot_code)
    return ReceivedLot(batch.id, lot_code, location_code, order, posted.document_id)


async def redate(batch_id: int, expiry_date: date | None, best_before_date: date | None) -> None:
    """Gives a received lot other dates, as if it had been received with them: the batch and its quants'
    copies of its FEFO dates (``StockQuant.fefo_limit``). For tests that need dates a receipt refuses
    (already expired); the product never changes a batch's dates."""
    limit, expiry = fefo_dates(expiry_date, best_before_date)
    await Batch.filter(id=batch_id).update(expiry_date=expiry_date, best_before_date=best_before_date)
    await StockQuant.filter(batch_id=batch_id).update(fefo_limit=limit, fefo_expiry=expiry)


async def make_sales_order(
    customer: PartnerRef,
    wh: WarehouseRef,
    sku: Sku,
    quantity: Decimal,
    *,
    unit: str = "kg",
    unit_price: Decimal = Decimal("20"),
    confirm: bool = True,
) -> OrderRef:
    posted = await sales.sales_order_create(
        customer.code, wh.code, [catalog.OrderLineInput(sku.code, quantity, unit, unit_price)]
    )
    if confirm:
        await sales.sales_order_confirm(posted.document_id, NOW)
    line = await SalesOrderLine.get(order_id=posted.document_id)
    return OrderRef(posted.document_id, line.id)


# --- reading the books ------------------------------------------------------------------------


async def on_hand(sku: Sku, location_code: str | None = None, status: str | None = "available") -> Decimal:
    """What the read model says is at a location (or anywhere), in one status (or any)."""
    query = StockQuant.filter(sku_id=sku.id)
    if location_code is not None:
        query = query.filter(location__code=location_code)
    if status is not None:
        query = query.filter(status=status)
    return sum((Decimal(q.quantity) for q in await query), Decimal(0))


async def reserved(sku: Sku) -> Decimal:
    return sum((Decimal(q.reserved) for q in await StockQuant.filter(sku_id=sku.id)), Decimal(0))


async def valuation(sku: Sku) -> tuple[Decimal, Decimal, Decimal]:
    """(quantity, value, average cost) of the SKU."""
    v = await SkuValuation.get(sku_id=sku.id)
    return Decimal(v.quantity), Decimal(v.value), Decimal(v.average_cost)


async def location(location_code: str) -> Location:
    return await Location.get(code=location_code)


async def books(sku: Sku) -> tuple[object, ...]:
    """Everything a failed posting must leave as it was: the SKU's ledger, quants, reservations and valuation,
    plus the global counts of batches, idempotency keys and outbox rows."""
    return (
        await StockMove.filter(sku_id=sku.id).count(),
        sorted(
            (q.location_id, q.batch_id, q.status, Decimal(q.quantity), Decimal(q.reserved))
            for q in await StockQuant.filter(sku_id=sku.id)
        ),
        await Reservation.filter(quant__sku_id=sku.id).count(),
        await valuation(sku),
        await Batch.all().count(),
        await IdempotencyKey.all().count(),
        await OutboxMessage.all().count(),
    )

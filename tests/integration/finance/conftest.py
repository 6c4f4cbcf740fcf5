"""A small company per test: one warehouse, a supplier, a customer, a taxed SKU and a tax-exempt one.

Minimal helpers of our own (tests/factories.py was not there yet); codes are random so tests share the DB.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from domain.catalog import services as catalog
from domain.catalog.services import OrderLineInput
from domain.finance.journal import seed_chart
from domain.inventory import services as inventory
from domain.partners import services as partners
from domain.purchasing import receipts
from domain.purchasing import services as purchasing
from domain.purchasing.models import PurchaseOrderLine
from domain.sales import services as sales
from domain.sales import shipments
from domain.sales.models import SalesOrderLine

AT = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)


@dataclass
class World:
    warehouse: str
    location: str
    supplier: str
    supplier_id: int
    customer: str
    customer_id: int
    taxed: str  # 13 % VAT
    exempt: str  # 免税 (e.g. fresh vegetables)
    sku_ids: dict[str, int]
    unique: Callable[[str], str]

    async def buy(self, sku: str, qty: str, price: str) -> tuple[int, int]:
        p = await purchasing.purchase_order_create(
            self.supplier, self.warehouse, [OrderLineInput(sku, Decimal(qty), unit_price=Decimal(price))]
        )
        await purchasing.purchase_order_confirm(p.document_id, AT)
        line = await PurchaseOrderLine.get(order_id=p.document_id)
        return p.document_id, line.id

    async def receive(self, order_id: int, line_id: int, qty: str, at: datetime = AT) -> int:
        r = await receipts.goods_receipt_post(
            order_id,
            [receipts.ReceiptLineInput(line_id, Decimal(qty), self.unique("LOT"), self.location)],
            at,
        )
        return r.document_id

    async def stock(self, sku: str, qty: str, price: str, at: datetime = AT) -> tuple[int, int]:
        order_id, line_id = await self.buy(sku, qty, price)
        await self.receive(order_id, line_id, qty, at)
        return order_id, line_id

    async def sell(self, sku: str, qty: str, price: str, at: datetime = AT) -> tuple[int, int, int]:
        s = await sales.sales_order_create(
            self.customer, self.warehouse, [OrderLineInput(sku, Decimal(qty), unit_price=Decimal(price))]
        )
        await sales.sales_order_confirm(s.document_id, at)
        line = await SalesOrderLine.get(order_id=s.document_id)
        sh = await shipments.shipment_post(
            s.document_id, [shipments.ShipmentLineInput(line.id, Decimal(qty))], at
        )
        return s.document_id, line.id, sh.document_id


@pytest.fixture
async def world(db, unique) -> World:
    return await make_world(unique)


async def make_world(unique: Callable[[str], str]) -> World:
    await seed_chart()
    wh = unique("WH")
    await inventory.create_warehouse(wh, "仓库")
    loc = f"{wh}-A"
    await inventory.create_location(wh, loc, "A")
    sup = await partners.create_supplier(unique("SUP"), "供应商")
    cus = await partners.create_customer(unique("CUS"), "客户")
    taxed = await catalog.create_sku(catalog.SkuInput(unique("SKU"), "大米", "rice", "kg"))
    exempt = await catalog.create_sku(
        catalog.SkuInput(unique("VEG"), "青菜", "greens", "kg", tax_rate=Decimal(0), tax_exempt=True)
    )
    return World(
        wh,
        loc,
        sup.code,
        sup.id,
        cus.code,
        cus.id,
        taxed.code,
        exempt.code,
        {taxed.code: taxed.id, exempt.code: exempt.id},
        unique,
    )

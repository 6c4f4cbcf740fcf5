"""Master data for API tests, made through the services with random codes."""

import uuid
from dataclasses import dataclass
from decimal import Decimal

from api.relay import encode_id
from domain.catalog import rules as catalog_rules
from domain.catalog import services as catalog
from domain.catalog.services import OrderLineInput
from domain.inventory import services as inventory
from domain.partners import services as partners
from domain.purchasing import services as purchasing


def code(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8].upper()}"


@dataclass(frozen=True)
class World:
    warehouse_code: str
    sku_code: str
    sku_id: int
    supplier_code: str
    supplier_id: int


async def make_world() -> World:
    wh = await inventory.create_warehouse(code("WH"), "测试仓 test warehouse")
    sku = await catalog.create_sku(
        catalog.SkuInput(
            code=code("SKU"),
            name_zh="牛奶",
            name_en="Milk",
            base_unit="pcs",
            purchase_unit="box",
            units=[catalog_rules.UnitDef("box", Decimal(12))],
        )
    )
    supplier = await partners.create_supplier(code("SUP"), "供应商 supplier")
    return World(wh.code, sku.code, sku.id, supplier.code, supplier.id)


async def make_supplier() -> tuple[str, int]:
    ref = await partners.create_supplier(code("SUP"), "供应商 supplier")
    return ref.code, ref.id


async def make_order(world: World, supplier_code: str | None = None, lines: int = 1) -> str:
    posted = await purchasing.purchase_order_create(
        supplier_code or world.supplier_code,
        world.warehouse_code,
        [OrderLineInput(world.sku_code, Decimal(2), "box", Decimal("30.50")) for _ in range(lines)],
    )
    return encode_id("PurchaseOrder", posted.document_id)

"""A supplier with a confirmed order of two SKUs (a shelf-life one and a plain one), and a second supplier."""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from domain.catalog import services as catalog
from domain.partners.services import PartnerRef
from domain.purchasing import services as purchasing
from domain.purchasing.models import PurchaseOrderLine
from tests import factories
from tests.factories import NOW, WarehouseRef


@dataclass(frozen=True)
class Story:
    supplier: PartnerRef
    other: PartnerRef
    wh: WarehouseRef
    order_id: int
    line_ids: tuple[int, int]  # 10 box of the plain SKU, 50 kg of the shelf-life one
    sku_codes: tuple[str, str]


async def make_story() -> Story:
    plain = await factories.make_sku()
    dated = await factories.make_sku(shelf_life_days=20)
    wh = await factories.make_warehouse()
    supplier, other = await factories.make_supplier(), await factories.make_supplier()
    posted = await purchasing.purchase_order_create(
        supplier.code,
        wh.code,
        [
            catalog.OrderLineInput(plain.code, Decimal(10), "box", Decimal(120)),
            catalog.OrderLineInput(dated.code, Decimal(50), "kg", Decimal(8)),
        ],
    )
    await purchasing.purchase_order_confirm(posted.document_id, NOW)
    lines = await PurchaseOrderLine.filter(order_id=posted.document_id).order_by("id")
    return Story(
        supplier, other, wh, posted.document_id, (lines[0].id, lines[1].id), (plain.code, dated.code)
    )


@pytest.fixture
async def story(db: object) -> Story:
    return await make_story()

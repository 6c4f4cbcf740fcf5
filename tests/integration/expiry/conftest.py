"""A small world for expiry tests: a SKU of its own category with its own policy, a warehouse, a supplier."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import pytest

from domain.catalog import services as catalog
from domain.catalog.models import Sku
from domain.expiry import decisions
from domain.inventory.models import Batch
from domain.partners.services import PartnerRef
from domain.purchasing import receipts
from tests import factories
from tests.factories import NOW, WarehouseRef
from tests.integration.expiry import expiring


@dataclass
class World:
    sku: Sku
    wh: WarehouseRef
    supplier: PartnerRef
    customer: PartnerRef

    async def receive(
        self,
        quantity: str,
        *,
        expiry: date | None = None,
        best_before: date | None = None,
        bins: tuple[int, ...] = (0,),
        at: datetime = NOW,
    ) -> Batch:
        """One lot of ``quantity`` kg at 12.00 a kg, split evenly over ``bins`` (indexes of wh.bins)."""
        total = Decimal(quantity)
        order = await factories.make_purchase_order(
            self.supplier, self.wh, self.sku, total, unit="kg", unit_price=Decimal(12)
        )
        lot = factories.code("LOT")
        part = total / len(bins)
        await receipts.goods_receipt_post(
            order.id,
            [
                receipts.ReceiptLineInput(
                    order.line_id,
                    part,
                    lot,
                    self.wh.bins[b],
                    expiry_date=expiry,
                    best_before_date=best_before,
                )
                for b in bins
            ],
            at,
        )
        return await Batch.get(sku_id=self.sku.id, lot_code=lot)


async def make_world(alert_days: int = 5, promote_days: int = 4, markdown: str = "0.25") -> World:
    category = await catalog.create_category(factories.code("CAT"), "速冻食品", "Frozen food")
    sku = await catalog.create_sku(
        catalog.SkuInput(
            code=factories.code("SKU"),
            name_zh="速冻水饺",
            name_en="Frozen dumplings",
            base_unit="kg",
            category_code=category.code,
        )
    )
    await decisions.expiry_policy_set(alert_days, promote_days, Decimal(markdown), sku_code=sku.code)
    wh = await factories.make_warehouse()
    return World(sku, wh, await factories.make_supplier(), await factories.make_customer())


@pytest.fixture
async def world(db):
    w = await make_world()
    yield w
    await expiring.retire_lots(w.sku.id)

# strawberry.field(description=…/permission_classes=…) is typed as returning Any: nothing to fix here.
# mypy: disable-error-code="untyped-decorator"
"""Supplier price list types: a line with its quantity breaks; suppliers see their own lines only."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

import strawberry
from strawberry import relay

from api import nodes
from api.catalog.types import Sku, sku_of
from api.context import Info
from domain.partners.models import Supplier
from domain.partners.rules import Permission as Perm
from domain.replenishment import models


@strawberry.type(description="From minQuantity base units on, this unit price applies.")
class PriceBreak:
    min_quantity: Decimal
    unit_price: Decimal

    @classmethod
    def from_row(cls, r: models.SupplierPriceBreak) -> "PriceBreak":
        return cls(min_quantity=r.min_quantity, unit_price=r.unit_price)


@strawberry.type(
    description="A supplier price list line (供应商价目表) for one SKU: price, MOQ, breaks, validity."
)
class SupplierPrice(relay.Node):
    id: relay.NodeID[int]
    unit_price: Decimal = strawberry.field(description="Per base unit, before tax, from the MOQ on.")
    currency: str = strawberry.field(description="ISO 4217.")
    min_quantity: Decimal = strawberry.field(description="Minimum order quantity (MOQ), base units.")
    pack_size: Decimal = strawberry.field(description="Orders are multiples of it, base units.")
    capacity_per_week: Decimal | None = strawberry.field(description="Null: unlimited.")
    lead_time_days: int | None = strawberry.field(description="Null: the supplier's lead time.")
    valid_from: date
    valid_to: date | None = strawberry.field(description="Inclusive; null: open-ended.")
    supplier_id: strawberry.Private[int]
    sku_id: strawberry.Private[int]

    @strawberry.field
    async def supplier_code(self, info: Info) -> str:
        return await nodes.load_one(info, Supplier, self.supplier_id, lambda s: s.code) or ""

    @strawberry.field
    async def sku(self, info: Info) -> Sku:
        return await sku_of(info, self.sku_id)

    @strawberry.field(description="Quantity breaks, by quantity.")
    async def breaks(self, info: Info) -> list[PriceBreak]:
        found = await nodes.load_children(
            info, models.SupplierPriceBreak, "price_id", self.id, PriceBreak.from_row
        )
        return sorted(found, key=lambda b: b.min_quantity)

    @classmethod
    def from_row(cls, r: models.SupplierPrice) -> "SupplierPrice":
        return cls(
            id=r.id,
            unit_price=r.unit_price,
            currency=r.currency,
            min_quantity=r.min_quantity,
            pack_size=r.pack_size,
            capacity_per_week=r.capacity_per_week,
            lead_time_days=r.lead_time_days,
            valid_from=r.valid_from,
            valid_to=r.valid_to,
            supplier_id=r.supplier_id,
            sku_id=r.sku_id,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        async def own(_: Info, row: models.SupplierPrice, supplier_id: int) -> bool:
            return row.supplier_id == supplier_id

        return await nodes.load_nodes(
            info,
            node_ids,
            models.SupplierPrice,
            Perm.PURCHASING_READ,
            cls.from_row,
            supplier_ok=True,
            visible=own,
        )

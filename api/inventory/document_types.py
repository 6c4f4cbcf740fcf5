# strawberry.field(description=…/permission_classes=…) is typed as returning Any: nothing to fix here.
# mypy: disable-error-code="untyped-decorator"
"""Inventory documents as GraphQL types: stock counts and transfers with their lines (base-unit amounts)."""

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any

import strawberry
from strawberry import relay

from api import nodes
from api.catalog.types import Sku, sku_of
from api.context import Info
from api.inventory import types
from api.inventory.types import Batch, Location, Warehouse
from api.scalars import Quantity
from domain.inventory import models
from domain.partners.rules import Permission as Perm

_READ = Perm.INVENTORY_READ


@strawberry.type
class StockCountLine:
    id: strawberry.Private[int]
    location_id: strawberry.Private[int]
    batch_id: strawberry.Private[int]
    status: str = strawberry.field(description="The stock's status (available, quarantine, blocked…): kept.")
    expected_base: strawberry.Private[Decimal]
    counted_base: strawberry.Private[Decimal | None]

    @strawberry.field
    async def location(self, info: Info) -> Location:
        return await types.location_of(info, self.location_id)

    @strawberry.field
    async def batch(self, info: Info) -> Batch:
        return await types.batch_of(info, self.batch_id)

    @strawberry.field
    async def expected(self, info: Info) -> Quantity:
        batch = await types.batch_of(info, self.batch_id)
        return await types.base_qty(info, batch.sku_id, self.expected_base)

    @strawberry.field
    async def counted(self, info: Info) -> Quantity | None:
        if self.counted_base is None:
            return None
        batch = await types.batch_of(info, self.batch_id)
        return await types.base_qty(info, batch.sku_id, self.counted_base)

    @classmethod
    def from_row(cls, r: models.StockCountLine) -> "StockCountLine":
        counted = None if r.counted is None else Decimal(r.counted)
        return cls(
            id=r.id,
            location_id=r.location_id,
            batch_id=r.batch_id,
            status=r.status,
            expected_base=Decimal(r.expected),
            counted_base=counted,
        )


@strawberry.type
class StockCount(relay.Node):
    id: relay.NodeID[int]
    number: str | None
    status: str
    created_at: datetime
    posted_at: datetime | None
    warehouse_id: strawberry.Private[int]

    @strawberry.field
    async def warehouse(self, info: Info) -> Warehouse:
        return await types.warehouse_of(info, self.warehouse_id)

    @strawberry.field
    async def lines(self, info: Info) -> list[StockCountLine]:
        return await nodes.load_children(
            info, models.StockCountLine, "count_id", self.id, StockCountLine.from_row
        )

    @classmethod
    def from_row(cls, r: models.StockCount) -> "StockCount":
        return cls(
            id=r.id,
            number=r.number,
            status=r.status,
            created_at=r.created_at,
            posted_at=r.posted_at,
            warehouse_id=r.warehouse_id,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        return await nodes.load_nodes(info, node_ids, models.StockCount, _READ, cls.from_row)


@strawberry.type
class TransferLine:
    sku_id: strawberry.Private[int]
    batch_id: strawberry.Private[int]
    from_location_id: strawberry.Private[int]
    quantity_base: strawberry.Private[Decimal]

    @strawberry.field
    async def sku(self, info: Info) -> Sku:
        return await sku_of(info, self.sku_id)

    @strawberry.field
    async def batch(self, info: Info) -> Batch:
        return await types.batch_of(info, self.batch_id)

    @strawberry.field
    async def from_location(self, info: Info) -> Location:
        return await types.location_of(info, self.from_location_id)

    @strawberry.field
    async def quantity(self, info: Info) -> Quantity:
        return await types.base_qty(info, self.sku_id, self.quantity_base)

    @classmethod
    def from_row(cls, r: models.TransferLine) -> "TransferLine":
        return cls(
            sku_id=r.sku_id,
            batch_id=r.batch_id,
            from_location_id=r.from_location_id,
            quantity_base=Decimal(r.quantity),
        )


@strawberry.type
class Transfer(relay.Node):
    id: relay.NodeID[int]
    number: str | None
    status: str
    shipped_at: datetime
    received_at: datetime | None
    from_warehouse_id: strawberry.Private[int]
    to_warehouse_id: strawberry.Private[int]

    @strawberry.field
    async def from_warehouse(self, info: Info) -> Warehouse:
        return await types.warehouse_of(info, self.from_warehouse_id)

    @strawberry.field
    async def to_warehouse(self, info: Info) -> Warehouse:
        return await types.warehouse_of(info, self.to_warehouse_id)

    @strawberry.field
    async def lines(self, info: Info) -> list[TransferLine]:
        return await nodes.load_children(
            info, models.TransferLine, "transfer_id", self.id, TransferLine.from_row
        )

    @classmethod
    def from_row(cls, r: models.Transfer) -> "Transfer":
        return cls(
            id=r.id,
            number=r.number,
            status=r.status,
            shipped_at=r.shipped_at,
            received_at=r.received_at,
            from_warehouse_id=r.from_warehouse_id,
            to_warehouse_id=r.to_warehouse_id,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        return await nodes.load_nodes(info, node_ids, models.Transfer, _READ, cls.from_row)

# strawberry.field(description=…/permission_classes=…) is typed as returning Any: nothing to fix here.
# mypy: disable-error-code="untyped-decorator"
"""Inventory types: warehouses, locations, batches and the stock line shared by documents.

Stock on hand, ledger and valuation are in ``api.inventory.stock_types``; counts and transfers in
``api.inventory.document_types``.
"""

from collections.abc import Iterable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, Self

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from api import nodes
from api.catalog.types import Sku, sku_of
from api.context import Info
from api.customfields.types import values_of
from api.inventory.batch_links import BatchLinks
from api.scalars import Money, Quantity, money, qty
from domain.common import business_time
from domain.inventory import models, rules
from domain.partners.rules import Permission as Perm

_READ = Perm.INVENTORY_READ


async def base_qty(info: Info, sku_id: int, value: Decimal) -> Quantity:
    sku = await sku_of(info, sku_id)
    return qty(value, sku.base_unit)


@strawberry.type
class Warehouse(relay.Node):
    id: relay.NodeID[int]
    code: str
    name: str
    gln: str | None
    active: bool

    @classmethod
    def from_row(cls, r: models.Warehouse) -> "Warehouse":
        return cls(id=r.id, code=r.code, name=r.name, gln=r.gln, active=r.active)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        return await nodes.load_nodes(info, node_ids, models.Warehouse, _READ, cls.from_row)


async def warehouse_of(info: Info, warehouse_id: int) -> Warehouse:
    return await nodes.load_required(info, models.Warehouse, warehouse_id, Warehouse.from_row)


@strawberry.type
class Location(relay.Node):
    id: relay.NodeID[int]
    code: str
    name: str
    path: str
    kind: str
    frozen: bool
    capacity: Decimal | None
    warehouse_id: strawberry.Private[int | None]
    parent_id: strawberry.Private[int | None]

    @strawberry.field
    async def warehouse(self, info: Info) -> Warehouse | None:
        return await nodes.load_one(info, models.Warehouse, self.warehouse_id, Warehouse.from_row)

    @strawberry.field
    async def parent(self, info: Info) -> "Location | None":
        return await nodes.load_one(info, models.Location, self.parent_id, Location.from_row)

    @classmethod
    def from_row(cls, r: models.Location) -> "Location":
        return cls(
            id=r.id,
            code=r.code,
            name=r.name,
            path=r.path,
            kind=r.kind,
            frozen=r.frozen,
            capacity=r.capacity,
            warehouse_id=r.warehouse_id,
            parent_id=r.parent_id,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        return await nodes.load_nodes(info, node_ids, models.Location, _READ, cls.from_row)


async def location_of(info: Info, location_id: int) -> Location:
    return await nodes.load_required(info, models.Location, location_id, Location.from_row)


@strawberry.type
class Batch(BatchLinks, relay.Node):
    id: relay.NodeID[int]
    lot_code: str
    production_date: date | None
    expiry_date: date | None
    best_before_date: date | None
    status: str
    created_at: datetime
    sku_id: strawberry.Private[int]
    supplier_id: strawberry.Private[int | None]
    custom_fields: JSON = strawberry.field(default_factory=dict, description="Custom field values by key.")

    @strawberry.field
    async def sku(self, info: Info) -> Sku:
        return await sku_of(info, self.sku_id)

    @classmethod
    def from_row(cls, r: models.Batch, today: date | None = None) -> "Batch":
        """``status`` as of business day ``today`` (default: now): an available lot past its expiry date
        reads ``expired`` even before the scheduled expiry scan has moved it."""
        day = today or business_time.business_today(datetime.now(UTC))
        return cls(
            id=r.id,
            lot_code=r.lot_code,
            production_date=r.production_date,
            expiry_date=r.expiry_date,
            best_before_date=r.best_before_date,
            status=rules.status_at(r.status, r.expiry_date, day),
            created_at=r.created_at,
            sku_id=r.sku_id,
            supplier_id=r.supplier_id,
            custom_fields=values_of(r),
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        return await nodes.load_nodes(info, node_ids, models.Batch, _READ, cls.from_row)


async def batch_of(info: Info, batch_id: int) -> Batch:
    return await nodes.load_required(info, models.Batch, batch_id, Batch.from_row)


@strawberry.interface(description="A stock line of a document: which batch, where, how much, at what cost.")
class StockLine:
    # Shared by receipt, shipment and return lines; each adds its order line.
    order_line_id: strawberry.Private[int]
    batch_id: strawberry.Private[int]
    location_id: strawberry.Private[int]
    quantity_base: strawberry.Private[Decimal]
    cost: strawberry.Private[Decimal]

    @strawberry.field
    async def batch(self, info: Info) -> Batch:
        return await batch_of(info, self.batch_id)

    @strawberry.field
    async def location(self, info: Info) -> Location:
        return await location_of(info, self.location_id)

    @strawberry.field(description="In the SKU's base unit.")
    async def quantity(self, info: Info) -> Quantity:
        batch = await batch_of(info, self.batch_id)
        return qty(self.quantity_base, (await sku_of(info, batch.sku_id)).base_unit)

    @strawberry.field(description="Per base unit, in the book currency.")
    def unit_cost(self) -> Money:
        return money(self.cost)

    @classmethod
    def from_row(cls, r: Any) -> Self:
        """``r``: a document line row (order_line_id, batch_id, location_id, quantity_base, unit_cost)."""
        return cls(
            order_line_id=r.order_line_id,
            batch_id=r.batch_id,
            location_id=r.location_id,
            quantity_base=Decimal(r.quantity_base),
            cost=Decimal(r.unit_cost),
        )

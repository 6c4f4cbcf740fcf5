# strawberry.field(description=…/permission_classes=…) is typed as returning Any: nothing to fix here.
# mypy: disable-error-code="untyped-decorator"
"""Inventory types: warehouses, locations, batches, stock on hand, ledger, valuation, counts, transfers."""

from collections.abc import Iterable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, Self

import strawberry
from strawberry import relay

from api import auth, nodes
from api.catalog.types import Sku, sku_of
from api.context import Info
from api.inventory.batch_links import BatchLinks
from api.scalars import Money, Quantity, money, qty
from domain.common import business_time
from domain.inventory import availability, models, rules
from domain.partners.rules import Permission as Perm

_READ = Perm.INVENTORY_READ


async def _base_qty(info: Info, sku_id: int, value: Decimal) -> Quantity:
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


@strawberry.type(description="On hand per SKU × location × batch × status.")
class StockOnHand(relay.Node):
    # Built whole from one joined query: a page of 100 rows has no per-row resolvers or loader calls,
    # which is where GraphQL time goes on big lists (STYLE.md: keep resolvers of big lists cheap).
    id: relay.NodeID[int]
    status: str
    sku: Sku
    location: Location
    warehouse: Warehouse
    batch: Batch
    quantity: Quantity
    reserved: Quantity
    available: Quantity = strawberry.field(
        description="What picking may take: not reserved, of available stock not past its expiry date in an "
        "unfrozen stock location; zero otherwise."
    )

    RELATED = ("sku", "location", "warehouse", "batch")

    @classmethod
    def from_row(cls, r: models.StockQuant, today: date | None = None) -> "StockOnHand":
        """``today``: the business day the status and availability are reported for (default: now)."""
        day = today or business_time.business_today(datetime.now(UTC))
        unit = r.sku.base_unit
        b = r.batch
        free = Decimal(r.quantity) - Decimal(r.reserved)
        candidate = rules.QuantCandidate(
            r.id, b.id, r.location_id, b.expiry_date, b.best_before_date, r.status, b.status, free
        )
        return cls(
            id=r.id,
            status=rules.status_at(r.status, b.expiry_date, day),
            sku=Sku.from_row(r.sku),
            location=Location.from_row(r.location),
            warehouse=Warehouse.from_row(r.warehouse),
            batch=Batch.from_row(r.batch, day),
            quantity=qty(Decimal(r.quantity), unit),
            reserved=qty(Decimal(r.reserved), unit),
            available=qty(
                availability.available_quantity(candidate, r.location.kind, r.location.frozen, day), unit
            ),
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        auth.check(info, _READ)
        ids = [int(i) for i in node_ids if i.isdigit()]
        rows = {r.id: r for r in await models.StockQuant.filter(id__in=ids).select_related(*cls.RELATED)}
        return [cls.from_row(rows[int(i)]) if i.isdigit() and int(i) in rows else None for i in node_ids]


@strawberry.type(description="Stock of one SKU (in one warehouse or all), in its base unit.")
class StockSummary:
    sku: Sku
    warehouse: Warehouse | None
    on_hand: Quantity
    available: Quantity = strawberry.field(
        description="What picking may take today: available stock not past its expiry date (business time "
        "zone), in unfrozen stock locations, not reserved."
    )
    reserved: Quantity
    quarantined: Quantity
    blocked: Quantity
    expired: Quantity = strawberry.field(description="Past its expiry date: blocked from sale, to write off.")
    in_transit: Quantity


@strawberry.type(description="One append-only ledger line.")
class StockMove(relay.Node):
    id: relay.NodeID[int]
    from_status: str
    to_status: str
    document_type: str
    document_id: relay.GlobalID
    posted_at: datetime
    unit_cost: Money
    value: Money
    sku_id: strawberry.Private[int]
    batch_id: strawberry.Private[int]
    from_location_id: strawberry.Private[int]
    to_location_id: strawberry.Private[int]
    quantity_base: strawberry.Private[Decimal]

    @strawberry.field
    async def sku(self, info: Info) -> Sku:
        return await sku_of(info, self.sku_id)

    @strawberry.field
    async def batch(self, info: Info) -> Batch:
        return await batch_of(info, self.batch_id)

    @strawberry.field
    async def from_location(self, info: Info) -> Location:
        return await location_of(info, self.from_location_id)

    @strawberry.field
    async def to_location(self, info: Info) -> Location:
        return await location_of(info, self.to_location_id)

    @strawberry.field
    async def quantity(self, info: Info) -> Quantity:
        return await _base_qty(info, self.sku_id, self.quantity_base)

    @classmethod
    def from_row(cls, r: models.StockMove) -> "StockMove":
        return cls(
            id=r.id,
            from_status=r.from_status,
            to_status=r.to_status,
            document_type=r.doc_type,
            document_id=relay.GlobalID(nodes.type_name(r.doc_type), str(r.doc_id)),
            posted_at=r.posted_at,
            unit_cost=money(r.unit_cost),
            value=money(r.value),
            sku_id=r.sku_id,
            batch_id=r.batch_id,
            from_location_id=r.from_location_id,
            to_location_id=r.to_location_id,
            quantity_base=Decimal(r.quantity),
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        return await nodes.load_nodes(info, node_ids, models.StockMove, _READ, cls.from_row)


@strawberry.type(description="Moving-average valuation of one SKU, company-wide.")
class Valuation:
    sku_id: strawberry.Private[int]
    quantity_base: strawberry.Private[Decimal]
    value: Money
    average_cost: Money

    @strawberry.field
    async def sku(self, info: Info) -> Sku:
        return await sku_of(info, self.sku_id)

    @strawberry.field
    async def quantity(self, info: Info) -> Quantity:
        return await _base_qty(info, self.sku_id, self.quantity_base)

    @classmethod
    def from_row(cls, r: models.SkuValuation) -> "Valuation":
        return cls(
            sku_id=r.sku_id,
            quantity_base=Decimal(r.quantity),
            value=money(r.value),
            average_cost=money(r.average_cost),
        )


@strawberry.type
class StockCountLine:
    id: strawberry.Private[int]
    location_id: strawberry.Private[int]
    batch_id: strawberry.Private[int]
    status: str = strawberry.field(
        description="The stock's status (available, quarantine, blocked, …): kept."
    )
    expected_base: strawberry.Private[Decimal]
    counted_base: strawberry.Private[Decimal | None]

    @strawberry.field
    async def location(self, info: Info) -> Location:
        return await location_of(info, self.location_id)

    @strawberry.field
    async def batch(self, info: Info) -> Batch:
        return await batch_of(info, self.batch_id)

    @strawberry.field
    async def expected(self, info: Info) -> Quantity:
        batch = await batch_of(info, self.batch_id)
        return await _base_qty(info, batch.sku_id, self.expected_base)

    @strawberry.field
    async def counted(self, info: Info) -> Quantity | None:
        if self.counted_base is None:
            return None
        batch = await batch_of(info, self.batch_id)
        return await _base_qty(info, batch.sku_id, self.counted_base)

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
        return await warehouse_of(info, self.warehouse_id)

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
        return await batch_of(info, self.batch_id)

    @strawberry.field
    async def from_location(self, info: Info) -> Location:
        return await location_of(info, self.from_location_id)

    @strawberry.field
    async def quantity(self, info: Info) -> Quantity:
        return await _base_qty(info, self.sku_id, self.quantity_base)

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
        return await warehouse_of(info, self.from_warehouse_id)

    @strawberry.field
    async def to_warehouse(self, info: Info) -> Warehouse:
        return await warehouse_of(info, self.to_warehouse_id)

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

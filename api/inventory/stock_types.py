# strawberry.field(description=…/permission_classes=…) is typed as returning Any: nothing to fix here.
# mypy: disable-error-code="untyped-decorator"
"""Inventory read models as GraphQL types: stock on hand, stock summary, ledger lines, valuation.

Quantities are in the SKU's base unit; money in the book currency.
"""

from collections.abc import Iterable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import strawberry
from strawberry import relay

from api import auth, nodes
from api.catalog.types import Sku, sku_of
from api.context import Info
from api.inventory import types
from api.inventory.types import Batch, Location, Warehouse
from api.scalars import Money, Quantity, money, qty
from domain.common import business_time
from domain.inventory import availability, models, rules
from domain.partners.rules import Permission as Perm

_READ = Perm.INVENTORY_READ


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
        return await types.batch_of(info, self.batch_id)

    @strawberry.field
    async def from_location(self, info: Info) -> Location:
        return await types.location_of(info, self.from_location_id)

    @strawberry.field
    async def to_location(self, info: Info) -> Location:
        return await types.location_of(info, self.to_location_id)

    @strawberry.field
    async def quantity(self, info: Info) -> Quantity:
        return await types.base_qty(info, self.sku_id, self.quantity_base)

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
        return await types.base_qty(info, self.sku_id, self.quantity_base)

    @classmethod
    def from_row(cls, r: models.SkuValuation) -> "Valuation":
        return cls(
            sku_id=r.sku_id,
            quantity_base=Decimal(r.quantity),
            value=money(r.value),
            average_cost=money(r.average_cost),
        )

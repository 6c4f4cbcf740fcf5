# strawberry.field(description=…/permission_classes=…) is typed as returning Any: nothing to fix here.
# mypy: disable-error-code="untyped-decorator"
"""Sales types: orders, their lines, shipments and customer returns."""

from collections.abc import Collection, Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from api import nodes, order_lines
from api.catalog.types import Sku
from api.channels.types import SalesChannel
from api.context import Info
from api.inventory.types import (
    StockLine,
    Warehouse,
    warehouse_of,
)
from api.order_prefetch import OrderRelations, Parent
from api.partners.types import Customer
from api.scalars import Money, Quantity
from domain.channels import models as channel_models
from domain.inventory import models as inventory
from domain.partners import models as partners
from domain.partners.rules import Permission as Perm
from domain.sales import models

# The line quantities kept in the SKU's base unit: GraphQL field -> row attribute.
_BASE = {"shipped": "shipped_base", "returned": "returned_base"}
_READ = Perm.SALES_READ


async def _order_row(info: Info, order_id: int) -> models.SalesOrder:
    row = await info.context.loaders.by_id(models.SalesOrder).load(order_id)
    assert row is not None
    return row


@strawberry.type
class SalesOrderLine(relay.Node):
    id: relay.NodeID[int]
    order_id: strawberry.Private[int]
    sku_id: strawberry.Private[int]
    row: strawberry.Private[models.SalesOrderLine]
    currency: strawberry.Private[str]
    # Plain fields, computed once in ``from_row``: a resolver per field costs more than the arithmetic.
    quantity: Quantity = strawberry.field(description="Ordered, in the line's unit.")
    unit_factor: Decimal = strawberry.field(
        description="Base units in one of the line's unit, frozen at ordering."
    )
    unit_price: Money = strawberry.field(description="Per unit of the line, before tax.")
    amount: Money = strawberry.field(description="Quantity × unit price, before tax.")

    # Relations as plain fields too, taken when the line is built (``nodes.required_held``): the SKU
    # built when the request holds it (a list page filled it), else loaded if the query asks for it.
    sku: Any = strawberry.field(graphql_type=Sku)
    shipped: Any = strawberry.field(
        description="Shipped so far, in the SKU's base unit.", graphql_type=Quantity
    )
    returned: Any = strawberry.field(
        description="Returned so far, in the SKU's base unit.", graphql_type=Quantity
    )

    @classmethod
    def from_row(
        cls, r: models.SalesOrderLine, currency: str, info: Info, fields: Collection[str] | None = None
    ) -> "SalesOrderLine":
        """``r``: a line row (a model, or ``loaders.Values`` on a list page) of an order in ``currency``;
        ``info``: the request, whose loaders give the line's SKU; ``fields``: what to make
        (``order_lines.LineMaker``), all if ``None``."""
        return order_lines.maker(info, cls, _BASE, fields).lines(info, (r,), currency)[0]

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        found = await nodes.load_nodes(info, node_ids, models.SalesOrderLine, _READ, lambda r: r)
        return [
            None if r is None else cls.from_row(r, (await _order_row(info, r.order_id)).currency, info)
            for r in found
        ]


@strawberry.type
class SalesDocumentLine(StockLine):
    @strawberry.field
    async def order_line(self, info: Info) -> SalesOrderLine:
        row = await info.context.loaders.by_id(models.SalesOrderLine).load(self.order_line_id)
        assert row is not None
        return SalesOrderLine.from_row(row, (await _order_row(info, row.order_id)).currency, info)


@strawberry.type
class Shipment(relay.Node):
    id: relay.NodeID[int]
    number: str | None
    shipped_at: datetime
    order_id: strawberry.Private[int]
    warehouse_id: strawberry.Private[int]

    @strawberry.field
    async def sales_order(self, info: Info) -> "SalesOrder":
        return SalesOrder.from_row(await _order_row(info, self.order_id), info)

    @strawberry.field
    async def warehouse(self, info: Info) -> Warehouse:
        return await warehouse_of(info, self.warehouse_id)

    @strawberry.field
    async def lines(self, info: Info) -> list[SalesDocumentLine]:
        return await nodes.load_children(
            info, models.ShipmentLine, "shipment_id", self.id, SalesDocumentLine.from_row
        )

    @classmethod
    def from_row(cls, r: models.Shipment) -> "Shipment":
        return cls(
            id=r.id,
            number=r.number,
            shipped_at=r.shipped_at,
            order_id=r.order_id,
            warehouse_id=r.warehouse_id,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        return await nodes.load_nodes(info, node_ids, models.Shipment, _READ, cls.from_row)


@strawberry.type
class CustomerReturn(relay.Node):
    id: relay.NodeID[int]
    number: str | None
    reason: str
    returned_at: datetime
    order_id: strawberry.Private[int]

    @strawberry.field
    async def sales_order(self, info: Info) -> "SalesOrder":
        return SalesOrder.from_row(await _order_row(info, self.order_id), info)

    @strawberry.field
    async def lines(self, info: Info) -> list[SalesDocumentLine]:
        return await nodes.load_children(
            info, models.CustomerReturnLine, "customer_return_id", self.id, SalesDocumentLine.from_row
        )

    @classmethod
    def from_row(cls, r: models.CustomerReturn) -> "CustomerReturn":
        return cls(id=r.id, number=r.number, reason=r.reason, returned_at=r.returned_at, order_id=r.order_id)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        return await nodes.load_nodes(info, node_ids, models.CustomerReturn, _READ, cls.from_row)


@strawberry.type
class SalesOrder(relay.Node):
    id: relay.NodeID[int]
    number: str | None
    status: str
    currency: str
    requested_date: date | None
    note: str
    created_at: datetime
    confirmed_at: datetime | None
    customer_id: strawberry.Private[int]
    warehouse_id: strawberry.Private[int]
    channel_id: strawberry.Private[int | None] = None
    custom_fields: JSON = strawberry.field(
        default_factory=dict, description="Custom field values by key; decimals as strings."
    )

    # Relations are plain fields taken when the order is built (``from_row``): the nodes themselves when
    # ``RELATIONS.prefetch`` filled the request's loaders (a list page), else awaitables that load them
    # through the loaders if the query asks for them (``nodes.required_held``); on a list page, null when
    # its query does not select them (``order_prefetch.OrderRelations``). A resolver per relation cost
    # strawberry an Info, argument parsing and a call: 500 on a page of 100 orders.
    channel: Any = strawberry.field(
        description="The sales channel the order came through, if recorded.", graphql_type=SalesChannel | None
    )
    customer: Any = strawberry.field(graphql_type=Customer)
    warehouse: Any = strawberry.field(graphql_type=Warehouse)
    lines: Any = strawberry.field(graphql_type=list[SalesOrderLine])
    total: Any = strawberry.field(description="Sum of the lines before tax.", graphql_type=Money)
    shipments: Any = strawberry.field(graphql_type=list[Shipment])
    returns: Any = strawberry.field(graphql_type=list[CustomerReturn])

    @classmethod
    def from_row(
        cls, r: models.SalesOrder, info: Info, selected: order_lines.Selection = order_lines.ALL
    ) -> "SalesOrder":
        """``r``: an order row (a model, or ``loaders.Values`` on a list page); ``info``: the request, whose
        loaders give the order's relations (see the comment above); ``selected``: what a list page
        selects of the orders and their lines, the rest left ``None`` (``order_lines.Selection``)."""
        return cls(
            id=r.id,
            number=r.number,
            status=r.status,
            currency=r.currency,
            requested_date=r.requested_date,
            note=r.note,
            created_at=r.created_at,
            confirmed_at=r.confirmed_at,
            customer_id=r.customer_id,
            warehouse_id=r.warehouse_id,
            channel_id=r.channel_id,
            **RELATIONS.of(info, r, selected),
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        return await nodes.load_nodes(
            info, node_ids, models.SalesOrder, _READ, lambda r: cls.from_row(r, info)
        )


# SalesOrder's relations: read for its list page (``api.sales.queries``), made by ``SalesOrder.from_row``.
RELATIONS = OrderRelations(
    parents={
        "channel": Parent(channel_models.SalesChannel, "channel_id", SalesChannel.from_row, optional=True),
        "customer": Parent(partners.Customer, "customer_id", Customer.from_row),
        "warehouse": Parent(inventory.Warehouse, "warehouse_id", Warehouse.from_row),
    },
    line_model=models.SalesOrderLine,
    line_type=SalesOrderLine,
    base=_BASE,
    documents={
        "shipments": (models.Shipment, Shipment.from_row),
        "returns": (models.CustomerReturn, CustomerReturn.from_row),
    },
)

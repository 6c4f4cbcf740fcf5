# strawberry.field(description=…/permission_classes=…) is typed as returning Any: nothing to fix here.
# mypy: disable-error-code="untyped-decorator"
"""Sales types: orders, their lines, shipments and customer returns."""

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from api import nodes
from api.catalog.types import Sku, sku_of
from api.channels.types import SalesChannel
from api.context import Info
from api.customfields.types import values_of
from api.inventory.types import (
    StockLine,
    Warehouse,
    warehouse_of,
)
from api.partners.types import Customer
from api.scalars import Money, Quantity, money, qty
from domain.channels import models as channel_models
from domain.partners import models as partners
from domain.partners.rules import Permission as Perm
from domain.sales import models

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

    @strawberry.field
    async def sku(self, info: Info) -> Sku:
        return await sku_of(info, self.sku_id)

    @strawberry.field(description="Ordered, in the line's unit.")
    def quantity(self) -> Quantity:
        return qty(self.row.quantity, self.row.unit)

    @strawberry.field
    def unit_factor(self) -> Decimal:
        return Decimal(self.row.unit_factor)

    @strawberry.field(description="Per unit of the line, before tax.")
    def unit_price(self) -> Money:
        return money(self.row.unit_price, self.currency)

    @strawberry.field
    def amount(self) -> Money:
        return money(Decimal(self.row.quantity) * Decimal(self.row.unit_price), self.currency)

    @strawberry.field(description="Shipped so far, in the SKU's base unit.")
    async def shipped(self, info: Info) -> Quantity:
        return qty(self.row.shipped_base, (await sku_of(info, self.sku_id)).base_unit)

    @strawberry.field(description="Returned so far, in the SKU's base unit.")
    async def returned(self, info: Info) -> Quantity:
        return qty(self.row.returned_base, (await sku_of(info, self.sku_id)).base_unit)

    @classmethod
    def from_row(cls, r: models.SalesOrderLine, currency: str) -> "SalesOrderLine":
        return cls(id=r.id, order_id=r.order_id, sku_id=r.sku_id, row=r, currency=currency)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        found = await nodes.load_nodes(info, node_ids, models.SalesOrderLine, _READ, lambda r: r)
        return [
            None if r is None else cls.from_row(r, (await _order_row(info, r.order_id)).currency)
            for r in found
        ]


@strawberry.type
class SalesDocumentLine(StockLine):
    @strawberry.field
    async def order_line(self, info: Info) -> SalesOrderLine:
        row = await info.context.loaders.by_id(models.SalesOrderLine).load(self.order_line_id)
        assert row is not None
        return SalesOrderLine.from_row(row, (await _order_row(info, row.order_id)).currency)


@strawberry.type
class Shipment(relay.Node):
    id: relay.NodeID[int]
    number: str | None
    shipped_at: datetime
    order_id: strawberry.Private[int]
    warehouse_id: strawberry.Private[int]

    @strawberry.field
    async def sales_order(self, info: Info) -> "SalesOrder":
        return SalesOrder.from_row(await _order_row(info, self.order_id))

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
        return SalesOrder.from_row(await _order_row(info, self.order_id))

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

    @strawberry.field(description="The sales channel the order came through, if recorded.")
    async def channel(self, info: Info) -> SalesChannel | None:
        return await nodes.load_one(info, channel_models.SalesChannel, self.channel_id, SalesChannel.from_row)

    @strawberry.field
    async def customer(self, info: Info) -> Customer:
        return await nodes.load_required(info, partners.Customer, self.customer_id, Customer.from_row)

    @strawberry.field
    async def warehouse(self, info: Info) -> Warehouse:
        return await warehouse_of(info, self.warehouse_id)

    @strawberry.field
    async def lines(self, info: Info) -> list[SalesOrderLine]:
        currency = self.currency
        return await nodes.load_children(
            info, models.SalesOrderLine, "order_id", self.id, lambda r: SalesOrderLine.from_row(r, currency)
        )

    @strawberry.field(description="Sum of the lines before tax.")
    async def total(self, info: Info) -> Money:
        lines = await info.context.loaders.children(models.SalesOrderLine, "order_id").load(self.id)
        amount = sum((Decimal(ln.quantity) * Decimal(ln.unit_price) for ln in lines), Decimal(0))
        return money(amount, self.currency)

    @strawberry.field
    async def shipments(self, info: Info) -> list[Shipment]:
        return await nodes.load_children(info, models.Shipment, "order_id", self.id, Shipment.from_row)

    @strawberry.field
    async def returns(self, info: Info) -> list[CustomerReturn]:
        return await nodes.load_children(
            info, models.CustomerReturn, "order_id", self.id, CustomerReturn.from_row
        )

    @classmethod
    def from_row(cls, r: models.SalesOrder) -> "SalesOrder":
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
            custom_fields=values_of(r),
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        return await nodes.load_nodes(info, node_ids, models.SalesOrder, _READ, cls.from_row)

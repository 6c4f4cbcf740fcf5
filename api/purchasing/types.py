# strawberry.field(description=…/permission_classes=…) is typed as returning Any: nothing to fix here.
# mypy: disable-error-code="untyped-decorator"
"""Purchasing types. A supplier user sees only its own orders, their lines, receipts and returns."""

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from api import nodes
from api.catalog.types import Sku, sku_of
from api.context import Info
from api.customfields.types import values_of
from api.inventory.types import (
    StockLine,
    Warehouse,
    warehouse_of,
)
from api.partners.types import Supplier
from api.scalars import Money, Quantity, money, qty
from domain.partners import models as partners
from domain.partners.rules import Permission as Perm
from domain.purchasing import models

_READ = Perm.PURCHASING_READ


async def _order_row(info: Info, order_id: int) -> models.PurchaseOrder:
    row = await info.context.loaders.by_id(models.PurchaseOrder).load(order_id)
    assert row is not None
    return row


async def _own_order(info: Info, row: models.PurchaseOrder, supplier_id: int) -> bool:
    return row.supplier_id == supplier_id


async def _own_line(info: Info, row: models.PurchaseOrderLine, supplier_id: int) -> bool:
    return (await _order_row(info, row.order_id)).supplier_id == supplier_id


async def _own_document(
    info: Info, row: models.GoodsReceipt | models.SupplierReturn, supplier_id: int
) -> bool:
    return (await _order_row(info, row.order_id)).supplier_id == supplier_id


@strawberry.type
class PurchaseOrderLine(relay.Node):
    id: relay.NodeID[int]
    order_id: strawberry.Private[int]
    sku_id: strawberry.Private[int]
    row: strawberry.Private[models.PurchaseOrderLine]
    currency: strawberry.Private[str]

    @strawberry.field
    async def sku(self, info: Info) -> Sku:
        return await sku_of(info, self.sku_id)

    @strawberry.field(description="Ordered, in the line's unit.")
    def quantity(self) -> Quantity:
        return qty(self.row.quantity, self.row.unit)

    @strawberry.field(description="Base units in one of the line's unit, frozen at ordering.")
    def unit_factor(self) -> Decimal:
        return Decimal(self.row.unit_factor)

    @strawberry.field(description="Per unit of the line, before tax.")
    def unit_price(self) -> Money:
        return money(self.row.unit_price, self.currency)

    @strawberry.field(description="Quantity × unit price, before tax.")
    def amount(self) -> Money:
        return money(Decimal(self.row.quantity) * Decimal(self.row.unit_price), self.currency)

    @strawberry.field(description="Received so far, in the SKU's base unit.")
    async def received(self, info: Info) -> Quantity:
        return qty(self.row.received_base, (await sku_of(info, self.sku_id)).base_unit)

    @strawberry.field(description="Returned so far, in the SKU's base unit.")
    async def returned(self, info: Info) -> Quantity:
        return qty(self.row.returned_base, (await sku_of(info, self.sku_id)).base_unit)

    @classmethod
    def from_row(cls, r: models.PurchaseOrderLine, currency: str) -> "PurchaseOrderLine":
        return cls(id=r.id, order_id=r.order_id, sku_id=r.sku_id, row=r, currency=currency)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        found = await nodes.load_nodes(
            info, node_ids, models.PurchaseOrderLine, _READ, lambda r: r, supplier_ok=True, visible=_own_line
        )
        return [
            None if r is None else cls.from_row(r, (await _order_row(info, r.order_id)).currency)
            for r in found
        ]


async def _lines_of(info: Info, order_id: int, currency: str) -> list[PurchaseOrderLine]:
    return await nodes.load_children(
        info,
        models.PurchaseOrderLine,
        "order_id",
        order_id,
        lambda r: PurchaseOrderLine.from_row(r, currency),
    )


@strawberry.type
class DocumentLine(StockLine):
    @strawberry.field
    async def order_line(self, info: Info) -> PurchaseOrderLine:
        row = await info.context.loaders.by_id(models.PurchaseOrderLine).load(self.order_line_id)
        assert row is not None
        return PurchaseOrderLine.from_row(row, (await _order_row(info, row.order_id)).currency)


@strawberry.type
class GoodsReceipt(relay.Node):
    id: relay.NodeID[int]
    number: str | None
    received_at: datetime
    order_id: strawberry.Private[int]
    warehouse_id: strawberry.Private[int]
    custom_fields: JSON = strawberry.field(
        default_factory=dict, description="Custom field values by key; decimals as strings."
    )

    @strawberry.field
    async def purchase_order(self, info: Info) -> "PurchaseOrder":
        return PurchaseOrder.from_row(await _order_row(info, self.order_id))

    @strawberry.field
    async def warehouse(self, info: Info) -> Warehouse:
        return await warehouse_of(info, self.warehouse_id)

    @strawberry.field
    async def lines(self, info: Info) -> list[DocumentLine]:
        return await nodes.load_children(
            info, models.GoodsReceiptLine, "receipt_id", self.id, DocumentLine.from_row
        )

    @classmethod
    def from_row(cls, r: models.GoodsReceipt) -> "GoodsReceipt":
        return cls(
            id=r.id,
            number=r.number,
            received_at=r.received_at,
            order_id=r.order_id,
            warehouse_id=r.warehouse_id,
            custom_fields=values_of(r),
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        return await nodes.load_nodes(
            info, node_ids, models.GoodsReceipt, _READ, cls.from_row, supplier_ok=True, visible=_own_document
        )


@strawberry.type
class SupplierReturn(relay.Node):
    id: relay.NodeID[int]
    number: str | None
    reason: str
    returned_at: datetime
    order_id: strawberry.Private[int]

    @strawberry.field
    async def purchase_order(self, info: Info) -> "PurchaseOrder":
        return PurchaseOrder.from_row(await _order_row(info, self.order_id))

    @strawberry.field
    async def lines(self, info: Info) -> list[DocumentLine]:
        return await nodes.load_children(
            info, models.SupplierReturnLine, "supplier_return_id", self.id, DocumentLine.from_row
        )

    @classmethod
    def from_row(cls, r: models.SupplierReturn) -> "SupplierReturn":
        return cls(id=r.id, number=r.number, reason=r.reason, returned_at=r.returned_at, order_id=r.order_id)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        return await nodes.load_nodes(
            info,
            node_ids,
            models.SupplierReturn,
            _READ,
            cls.from_row,
            supplier_ok=True,
            visible=_own_document,
        )


@strawberry.type
class PurchaseOrder(relay.Node):
    id: relay.NodeID[int]
    number: str | None
    status: str
    currency: str
    expected_date: date | None
    note: str
    created_at: datetime
    confirmed_at: datetime | None
    supplier_id: strawberry.Private[int]
    warehouse_id: strawberry.Private[int]
    custom_fields: JSON = strawberry.field(
        default_factory=dict, description="Custom field values by key; decimals as strings."
    )

    @strawberry.field
    async def supplier(self, info: Info) -> Supplier:
        return await nodes.load_required(info, partners.Supplier, self.supplier_id, Supplier.from_row)

    @strawberry.field
    async def warehouse(self, info: Info) -> Warehouse:
        return await warehouse_of(info, self.warehouse_id)

    @strawberry.field
    async def lines(self, info: Info) -> list[PurchaseOrderLine]:
        return await _lines_of(info, self.id, self.currency)

    @strawberry.field(description="Sum of the lines before tax.")
    async def total(self, info: Info) -> Money:
        lines = await info.context.loaders.children(models.PurchaseOrderLine, "order_id").load(self.id)
        return money(
            sum((Decimal(ln.quantity) * Decimal(ln.unit_price) for ln in lines), Decimal(0)), self.currency
        )

    @strawberry.field
    async def receipts(self, info: Info) -> list[GoodsReceipt]:
        return await nodes.load_children(
            info, models.GoodsReceipt, "order_id", self.id, GoodsReceipt.from_row
        )

    @strawberry.field
    async def returns(self, info: Info) -> list[SupplierReturn]:
        return await nodes.load_children(
            info, models.SupplierReturn, "order_id", self.id, SupplierReturn.from_row
        )

    @classmethod
    def from_row(cls, r: models.PurchaseOrder) -> "PurchaseOrder":
        return cls(
            id=r.id,
            number=r.number,
            status=r.status,
            currency=r.currency,
            expected_date=r.expected_date,
            note=r.note,
            created_at=r.created_at,
            confirmed_at=r.confirmed_at,
            supplier_id=r.supplier_id,
            warehouse_id=r.warehouse_id,
            custom_fields=values_of(r),
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        return await nodes.load_nodes(
            info, node_ids, models.PurchaseOrder, _READ, cls.from_row, supplier_ok=True, visible=_own_order
        )

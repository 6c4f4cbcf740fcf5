# strawberry.field(description=…/permission_classes=…) is typed as returning Any: nothing to fix here.
# mypy: disable-error-code="untyped-decorator"
"""Purchasing types. A supplier user sees only its own orders, their lines, receipts and returns."""

from collections.abc import Collection, Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from api import auth, nodes, order_lines
from api.approvals import types as approval_types
from api.catalog.types import Sku
from api.context import Info
from api.customfields.types import values_of
from api.inventory.types import (
    StockLine,
    Warehouse,
    warehouse_of,
)
from api.order_prefetch import OrderRelations, Parent
from api.partners.types import Supplier
from api.scalars import Money, Quantity
from domain.inventory import models as inventory
from domain.partners import models as partners
from domain.partners.rules import Permission as Perm
from domain.purchasing import models

# The line quantities kept in the SKU's base unit: GraphQL field -> row attribute.
_BASE = {"received": "received_base", "returned": "returned_base"}
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
    received: Any = strawberry.field(
        description="Received so far, in the SKU's base unit.", graphql_type=Quantity
    )
    returned: Any = strawberry.field(
        description="Returned so far, in the SKU's base unit.", graphql_type=Quantity
    )

    @classmethod
    def from_row(
        cls, r: models.PurchaseOrderLine, currency: str, info: Info, fields: Collection[str] | None = None
    ) -> "PurchaseOrderLine":
        """``r``: a line row (a model, or ``loaders.Values`` on a list page) of an order in ``currency``;
        ``info``: the request, whose loaders give the line's SKU; ``fields``: what to make
        (``order_lines.LineMaker``), all if ``None``."""
        return order_lines.maker(info, cls, _BASE, fields).lines(info, (r,), currency)[0]

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        found = await nodes.load_nodes(
            info, node_ids, models.PurchaseOrderLine, _READ, lambda r: r, supplier_ok=True, visible=_own_line
        )
        return [
            None if r is None else cls.from_row(r, (await _order_row(info, r.order_id)).currency, info)
            for r in found
        ]


@strawberry.type
class DocumentLine(StockLine):
    @strawberry.field
    async def order_line(self, info: Info) -> PurchaseOrderLine:
        row = await info.context.loaders.by_id(models.PurchaseOrderLine).load(self.order_line_id)
        assert row is not None
        return PurchaseOrderLine.from_row(row, (await _order_row(info, row.order_id)).currency, info)


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
        return PurchaseOrder.from_row(await _order_row(info, self.order_id), info)

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
        return PurchaseOrder.from_row(await _order_row(info, self.order_id), info)

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
    payment_terms_days: int | None = strawberry.field(description="账期 agreed on this order, in days.")
    custom_fields: JSON = strawberry.field(
        default_factory=dict, description="Custom field values by key; decimals as strings."
    )

    # Relations are plain fields taken when the order is built (``from_row``): the nodes themselves when
    # ``RELATIONS.prefetch`` filled the request's loaders (a list page), else awaitables that load them
    # through the loaders if the query asks for them (``nodes.required_held``); on a list page, null when
    # its query does not select them (``order_prefetch.OrderRelations``). A resolver per relation cost
    # strawberry an Info, argument parsing and a call: 500 on a page of 100 orders.
    supplier: Any = strawberry.field(graphql_type=Supplier)
    warehouse: Any = strawberry.field(graphql_type=Warehouse)

    approval: Any = strawberry.field(
        description="The latest approval request of this order (审批状态); null: none needed.",
        graphql_type=approval_types.ApprovalRequest | None,
    )
    lines: Any = strawberry.field(graphql_type=list[PurchaseOrderLine])
    total: Any = strawberry.field(description="Sum of the lines before tax.", graphql_type=Money)
    receipts: Any = strawberry.field(graphql_type=list[GoodsReceipt])
    returns: Any = strawberry.field(graphql_type=list[SupplierReturn])

    @classmethod
    def from_row(
        cls, r: models.PurchaseOrder, info: Info, selected: order_lines.Selection = order_lines.ALL
    ) -> "PurchaseOrder":
        """``r``: an order row (a model, or ``loaders.Values`` on a list page); ``info``: the request, whose
        loaders give the order's relations (see the comment above); ``selected``: what a list page
        selects of the orders and their lines, the rest left ``None`` (``order_lines.Selection``)."""
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
            payment_terms_days=r.payment_terms_days,
            # The supplier sees its order, not our internal approvals.
            approval=None
            if not selected.wants("approval") or auth.supplier_scope(info) is not None
            else nodes.Later(lambda: approval_types.approval_of(info, "purchase_order", r.id)),
            **RELATIONS.of(info, r, selected),
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        return await nodes.load_nodes(
            info,
            node_ids,
            models.PurchaseOrder,
            _READ,
            lambda r: cls.from_row(r, info),
            supplier_ok=True,
            visible=_own_order,
        )


# PurchaseOrder's relations: read for its list page (``api.purchasing.queries``), made by
# ``PurchaseOrder.from_row``.
RELATIONS = OrderRelations(
    parents={
        "supplier": Parent(partners.Supplier, "supplier_id", Supplier.from_row),
        "warehouse": Parent(inventory.Warehouse, "warehouse_id", Warehouse.from_row),
    },
    line_model=models.PurchaseOrderLine,
    line_type=PurchaseOrderLine,
    base=_BASE,
    documents={
        "receipts": (models.GoodsReceipt, GoodsReceipt.from_row),
        "returns": (models.SupplierReturn, SupplierReturn.from_row),
    },
)

# strawberry.field(description=…/permission_classes=…) is typed as returning Any: nothing to fix here.
# mypy: disable-error-code="untyped-decorator"
"""Purchasing queries. Supplier users reach these (and only these), filtered to their own supplier."""

import strawberry

from api import auth, enums, loaders, page_reads
from api import relay as rl
from api.context import Info
from api.customfields.sorting import CustomFieldSort
from api.customfields.sorting import page as sorted_page
from api.customfields.types import CustomFieldFilter, filters
from api.purchasing.types import RELATIONS, GoodsReceipt, PurchaseOrder, SupplierReturn
from domain.customfields import services as custom_fields
from domain.customfields.rules import Entity
from domain.partners.rules import Permission as Perm
from domain.purchasing import models

READ = [auth.needs(Perm.PURCHASING_READ, supplier_ok=True)]


@strawberry.type
class PurchasingQuery:
    @strawberry.field(permission_classes=READ)
    async def purchase_orders(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        supplier_id: strawberry.ID | None = None,
        warehouse_id: strawberry.ID | None = None,
        status: enums.PurchaseOrderStatus | None = None,
        custom_filter: list[CustomFieldFilter] | None = None,
        custom_sort: CustomFieldSort | None = None,
    ) -> rl.Connection[PurchaseOrder]:
        query = models.PurchaseOrder.all()
        equal: list[tuple[str, object]] = []  # every filter but the custom ones, as column equalities
        if (scope := auth.supplier_scope(info)) is not None:
            query = query.filter(supplier_id=scope)
            equal.append(("supplier_id", scope))
        if (sup := rl.maybe_id(supplier_id, "Supplier", ("supplierId",))) is not None:
            query = query.filter(supplier_id=sup)
            equal.append(("supplier_id", sup))
        if (wh := rl.maybe_id(warehouse_id, "Warehouse", ("warehouseId",))) is not None:
            query = query.filter(warehouse_id=wh)
            equal.append(("warehouse_id", wh))
        if status is not None:
            query = query.filter(status=status.value)
            equal.append(("status", status.value))
        query = await custom_fields.filtered(query, Entity.PURCHASE_ORDER, filters(custom_filter))
        # Unsorted (the usual list page), the rows come as plain values (see ``loaders.Values``), read by
        # hand when no custom filter applies (``api.page_reads``).
        page = await sorted_page(
            query,
            Entity.PURCHASE_ORDER,
            first,
            after,
            lambda r: r,
            custom_sort,
            loaders.value_fields(models.PurchaseOrder),
            None if custom_filter else page_reads.equal_read(models.PurchaseOrder, equal),
        )
        # The page's rows first, then what the query selects of them, then the nodes: built after the
        # prefetch, their relations are the prefetched nodes themselves (see PurchaseOrder.from_row).
        selected = await RELATIONS.prefetch(info, [e.node for e in page.edges])
        edges = [
            rl.Edge(cursor=e.cursor, node=PurchaseOrder.from_row(e.node, info, selected)) for e in page.edges
        ]
        return rl.Connection(edges=edges, page_info=page.page_info, _count=page._count)

    @strawberry.field(permission_classes=READ)
    async def goods_receipts(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        purchase_order_id: strawberry.ID | None = None,
        custom_filter: list[CustomFieldFilter] | None = None,
        custom_sort: CustomFieldSort | None = None,
    ) -> rl.Connection[GoodsReceipt]:
        query = models.GoodsReceipt.all()
        if (scope := auth.supplier_scope(info)) is not None:
            query = query.filter(order__supplier_id=scope)
        if (po := rl.maybe_id(purchase_order_id, "PurchaseOrder", ("purchaseOrderId",))) is not None:
            query = query.filter(order_id=po)
        query = await custom_fields.filtered(query, Entity.GOODS_RECEIPT, filters(custom_filter))
        return await sorted_page(
            query, Entity.GOODS_RECEIPT, first, after, GoodsReceipt.from_row, custom_sort
        )

    @strawberry.field(permission_classes=READ)
    async def supplier_returns(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        purchase_order_id: strawberry.ID | None = None,
    ) -> rl.Connection[SupplierReturn]:
        query = models.SupplierReturn.all()
        if (scope := auth.supplier_scope(info)) is not None:
            query = query.filter(order__supplier_id=scope)
        if (po := rl.maybe_id(purchase_order_id, "PurchaseOrder", ("purchaseOrderId",))) is not None:
            query = query.filter(order_id=po)
        return await rl.paginate(query, first, after, SupplierReturn.from_row)

# strawberry.field(description=…/permission_classes=…) is typed as returning Any: nothing to fix here.
# mypy: disable-error-code="untyped-decorator"
"""Sales queries."""

import strawberry

from api import auth, enums, loaders, page_reads
from api import relay as rl
from api.context import Info
from api.customfields.sorting import CustomFieldSort
from api.customfields.sorting import page as sorted_page
from api.customfields.types import CustomFieldFilter, filters
from api.sales.types import RELATIONS, CustomerReturn, SalesOrder, Shipment
from domain.customfields import services as custom_fields
from domain.customfields.rules import Entity
from domain.partners.rules import Permission as Perm
from domain.sales import models

READ = [auth.needs(Perm.SALES_READ)]


@strawberry.type
class SalesQuery:
    @strawberry.field(permission_classes=READ)
    async def sales_orders(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        customer_id: strawberry.ID | None = None,
        warehouse_id: strawberry.ID | None = None,
        status: enums.SalesOrderStatus | None = None,
        custom_filter: list[CustomFieldFilter] | None = None,
        custom_sort: CustomFieldSort | None = None,
    ) -> rl.Connection[SalesOrder]:
        query = models.SalesOrder.all()
        equal: list[tuple[str, object]] = []  # every filter but the custom ones, as column equalities
        if (cus := rl.maybe_id(customer_id, "Customer", ("customerId",))) is not None:
            query = query.filter(customer_id=cus)
            equal.append(("customer_id", cus))
        if (wh := rl.maybe_id(warehouse_id, "Warehouse", ("warehouseId",))) is not None:
            query = query.filter(warehouse_id=wh)
            equal.append(("warehouse_id", wh))
        if status is not None:
            query = query.filter(status=status.value)
            equal.append(("status", status.value))
        query = await custom_fields.filtered(query, Entity.SALES_ORDER, filters(custom_filter))
        # Unsorted (the usual list page), the rows come as plain values (see ``loaders.Values``), read by
        # hand when no custom filter applies (``api.page_reads``).
        page = await sorted_page(
            query,
            Entity.SALES_ORDER,
            first,
            after,
            lambda r: r,
            custom_sort,
            loaders.value_fields(models.SalesOrder),
            None if custom_filter else page_reads.equal_read(models.SalesOrder, equal),
        )
        # The page's rows first, then what the query selects of them, then the nodes: built after the
        # prefetch, their relations are the prefetched nodes themselves (see SalesOrder.from_row).
        selected = await RELATIONS.prefetch(info, [e.node for e in page.edges])
        edges = [
            rl.Edge(cursor=e.cursor, node=SalesOrder.from_row(e.node, info, selected)) for e in page.edges
        ]
        return rl.Connection(edges=edges, page_info=page.page_info, _count=page._count)

    @strawberry.field(permission_classes=READ)
    async def shipments(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        sales_order_id: strawberry.ID | None = None,
    ) -> rl.Connection[Shipment]:
        query = models.Shipment.all()
        if (so := rl.maybe_id(sales_order_id, "SalesOrder", ("salesOrderId",))) is not None:
            query = query.filter(order_id=so)
        return await rl.paginate(query, first, after, Shipment.from_row)

    @strawberry.field(permission_classes=READ)
    async def customer_returns(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        sales_order_id: strawberry.ID | None = None,
    ) -> rl.Connection[CustomerReturn]:
        query = models.CustomerReturn.all()
        if (so := rl.maybe_id(sales_order_id, "SalesOrder", ("salesOrderId",))) is not None:
            query = query.filter(order_id=so)
        return await rl.paginate(query, first, after, CustomerReturn.from_row)

# strawberry.field(description=…/permission_classes=…) is typed as returning Any: nothing to fix here.
# mypy: disable-error-code="untyped-decorator"
"""Inventory queries: every list is a cursor connection with its filters."""

from datetime import UTC, date, datetime

import strawberry
from tortoise.expressions import Q

from api import auth, enums, nodes
from api import relay as rl
from api.catalog.types import Sku
from api.context import Info
from api.inventory import batch_links, stock_page
from api.inventory.document_types import StockCount, Transfer
from api.inventory.stock_types import StockMove, StockOnHand, StockSummary, Valuation
from api.inventory.types import Batch, Location, Warehouse
from api.scalars import qty
from domain.catalog import models as catalog
from domain.common import business_time
from domain.common.errors import NotFound
from domain.inventory import availability, models
from domain.inventory.rules import StockStatus
from domain.partners.rules import Permission as Perm

READ = [auth.needs(Perm.INVENTORY_READ)]


def _today() -> date:
    """Today in the business time zone."""
    return business_time.business_today(datetime.now(UTC))


def _id(value: strawberry.ID | None, type_name: str, arg: str) -> int | None:
    return rl.maybe_id(value, type_name, (arg,))


@strawberry.type
class InventoryQuery:
    @strawberry.field(permission_classes=READ)
    async def warehouses(
        self, info: Info, first: int | None = None, after: str | None = None, active: bool | None = None
    ) -> rl.Connection[Warehouse]:
        query = models.Warehouse.all()
        if active is not None:
            query = query.filter(active=active)
        return await rl.paginate(query, first, after, Warehouse.from_row)

    @strawberry.field(permission_classes=READ)
    async def locations(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        warehouse_id: strawberry.ID | None = None,
        path_prefix: str | None = None,
        kind: enums.LocationKind | None = None,
    ) -> rl.Connection[Location]:
        query = models.Location.all()
        if (wh := _id(warehouse_id, "Warehouse", "warehouseId")) is not None:
            query = query.filter(warehouse_id=wh)
        if path_prefix:
            # The location itself and its subtree: "WH1/A" matches "WH1/A" and "WH1/A/…", not "WH1/AB".
            prefix = path_prefix.rstrip("/")
            query = query.filter(Q(path=prefix) | Q(path__startswith=f"{prefix}/"))
        if kind is not None:
            query = query.filter(kind=kind.value)
        return await rl.paginate(query, first, after, Location.from_row)

    @strawberry.field(permission_classes=READ)
    async def batches(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        sku_id: strawberry.ID | None = None,
        status: enums.StockStatus | None = None,
        expires_before: date | None = None,
        expires_after: date | None = None,
        lot_code: str | None = None,
        search: str | None = None,
    ) -> rl.Connection[Batch]:
        query = batch_links.filter_batches(models.Batch.all(), lot_code, search)
        if (sku := _id(sku_id, "Sku", "skuId")) is not None:
            query = query.filter(sku_id=sku)
        today = _today()
        if status == enums.StockStatus.AVAILABLE:  # as reported: a lot past its expiry date is expired
            query = query.filter(status=status).filter(
                Q(expiry_date__isnull=True) | Q(expiry_date__gte=today)
            )
        elif status == enums.StockStatus.EXPIRED:
            query = query.filter(Q(status=status) | Q(status=StockStatus.AVAILABLE, expiry_date__lt=today))
        elif status is not None:
            query = query.filter(status=status)
        if expires_before is not None:
            query = query.filter(expiry_date__lt=expires_before)
        if expires_after is not None:
            query = query.filter(expiry_date__gt=expires_after)
        return await rl.paginate(query, first, after, lambda r: Batch.from_row(r, today))

    @strawberry.field(permission_classes=READ)
    async def stock_on_hand(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        sku_id: strawberry.ID | None = None,
        warehouse_id: strawberry.ID | None = None,
        location_id: strawberry.ID | None = None,
        batch_id: strawberry.ID | None = None,
        status: enums.StockStatus | None = None,
        include_empty: bool = False,
    ) -> rl.Connection[StockOnHand]:
        today = _today()
        f = stock_page.StockFilter(
            today=today,
            include_empty=include_empty,
            sku_id=_id(sku_id, "Sku", "skuId"),
            warehouse_id=_id(warehouse_id, "Warehouse", "warehouseId"),
            location_id=_id(location_id, "Location", "locationId"),
            batch_id=_id(batch_id, "Batch", "batchId"),
            status=None if status is None else StockStatus(status.value),
        )
        # Plain values, not models, read by hand on PostgreSQL: see api.inventory.stock_page.
        return await rl.paginate(
            stock_page.query(f),
            first,
            after,
            StockOnHand.page_builder(today),
            read=lambda after_pk, limit: stock_page.page_rows(f, after_pk, limit),
        )

    @strawberry.field(permission_classes=READ)
    async def stock_summary(
        self, info: Info, sku_id: strawberry.ID, warehouse_id: strawberry.ID | None = None
    ) -> StockSummary | None:
        sku_pk = rl.decode_id(sku_id, "Sku", ("skuId",))
        sku_row = await catalog.Sku.get_or_none(id=sku_pk)
        if sku_row is None:
            return None
        warehouse = None
        if (wh := _id(warehouse_id, "Warehouse", "warehouseId")) is not None:
            wh_row = await models.Warehouse.get_or_none(id=wh)
            if wh_row is None:
                raise NotFound("warehouse", warehouse_id, ("warehouseId",))
            warehouse = Warehouse.from_row(wh_row)
        figures = await availability.stock_figures(sku_pk, wh, _today())
        unit = sku_row.base_unit
        return StockSummary(
            sku=Sku.from_row(sku_row),
            warehouse=warehouse,
            on_hand=qty(figures.on_hand, unit),
            available=qty(figures.available, unit),
            reserved=qty(figures.reserved, unit),
            quarantined=qty(figures.quarantined, unit),
            blocked=qty(figures.blocked, unit),
            expired=qty(figures.expired, unit),
            in_transit=qty(figures.in_transit, unit),
        )

    @strawberry.field(permission_classes=READ)
    async def stock_moves(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        sku_id: strawberry.ID | None = None,
        batch_id: strawberry.ID | None = None,
        document_type: enums.DocumentType | None = None,
        document_id: strawberry.ID | None = None,
        posted_after: datetime | None = None,
        posted_before: datetime | None = None,
    ) -> rl.Connection[StockMove]:
        query = models.StockMove.all()
        if (sku := _id(sku_id, "Sku", "skuId")) is not None:
            query = query.filter(sku_id=sku)
        if (batch := _id(batch_id, "Batch", "batchId")) is not None:
            query = query.filter(batch_id=batch)
        if document_type is not None:
            query = query.filter(doc_type=document_type.value)
            if document_id is not None:
                doc = rl.decode_id(document_id, nodes.type_name(document_type.value), ("documentId",))
                query = query.filter(doc_id=doc)
        if posted_after is not None:
            query = query.filter(posted_at__gte=posted_after)
        if posted_before is not None:
            query = query.filter(posted_at__lt=posted_before)
        return await rl.paginate(query, first, after, StockMove.from_row)

    @strawberry.field(permission_classes=READ)
    async def valuation(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        sku_id: strawberry.ID | None = None,
    ) -> rl.Connection[Valuation]:
        query = models.SkuValuation.all()
        if (sku := _id(sku_id, "Sku", "skuId")) is not None:
            query = query.filter(sku_id=sku)
        return await rl.paginate(query, first, after, Valuation.from_row, pk="sku_id")

    @strawberry.field(permission_classes=READ)
    async def stock_counts(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        warehouse_id: strawberry.ID | None = None,
        status: enums.StockCountStatus | None = None,
    ) -> rl.Connection[StockCount]:
        query = models.StockCount.all()
        if (wh := _id(warehouse_id, "Warehouse", "warehouseId")) is not None:
            query = query.filter(warehouse_id=wh)
        if status is not None:
            query = query.filter(status=status.value)
        return await rl.paginate(query, first, after, StockCount.from_row)

    @strawberry.field(permission_classes=READ)
    async def transfers(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        warehouse_id: strawberry.ID | None = None,
        status: enums.TransferStatus | None = None,
    ) -> rl.Connection[Transfer]:
        query = models.Transfer.all()
        if (wh := _id(warehouse_id, "Warehouse", "warehouseId")) is not None:
            query = query.filter(Q(from_warehouse_id=wh) | Q(to_warehouse_id=wh))
        if status is not None:
            query = query.filter(status=status.value)
        return await rl.paginate(query, first, after, Transfer.from_row)

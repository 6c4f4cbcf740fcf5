# mypy: disable-error-code="untyped-decorator"
"""Expiry queries: what is near expiry (and where), promotion proposals, policies; cursor connections."""

from typing import Any

import strawberry
from tortoise.queryset import QuerySet

from api import auth
from api import relay as rl
from api.context import Info
from api.expiry import types
from domain.common.errors import NotFound
from domain.expiry import models
from domain.inventory.models import StockQuant, Warehouse
from domain.partners.rules import Permission as Perm

READ = [auth.needs(Perm.INVENTORY_READ)]


async def _in_warehouse(query: QuerySet[Any], warehouse_id: strawberry.ID | None) -> QuerySet[Any]:
    """Only lots with stock on hand in the warehouse (``NotFound`` for an unknown one)."""
    wh = rl.maybe_id(warehouse_id, "Warehouse", ("warehouseId",))
    if wh is None:
        return query
    if not await Warehouse.exists(id=wh):
        raise NotFound("warehouse", warehouse_id, ("warehouseId",))
    batch_ids = (
        await StockQuant.filter(warehouse_id=wh, quantity__gt=0).distinct().values_list("batch_id", flat=True)
    )
    return query.filter(batch_id__in=list(batch_ids))


@strawberry.type
class ExpiryQuery:
    @strawberry.field(
        permission_classes=READ,
        description="Expiry alerts, oldest first. kind: near_expiry or expired; status: open or "
        "acknowledged; warehouseId: lots with stock there. Each alert lists the lot's stock per location.",
    )
    async def expiry_alerts(
        self,
        info: Info,
        kind: str | None = None,
        status: str | None = None,
        warehouse_id: strawberry.ID | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> rl.Connection[types.ExpiryAlert]:
        query = models.ExpiryAlert.all()
        if kind is not None:
            query = query.filter(kind=kind)
        if status is not None:
            query = query.filter(status=status)
        query = await _in_warehouse(query, warehouse_id)
        return await rl.paginate(query, first, after, types.ExpiryAlert.from_row)

    @strawberry.field(
        permission_classes=READ,
        description="Promotion proposals, oldest first. status: proposed, accepted or dismissed.",
    )
    async def promotion_proposals(
        self,
        info: Info,
        status: str | None = None,
        warehouse_id: strawberry.ID | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> rl.Connection[types.PromotionProposal]:
        query = models.PromotionProposal.all()
        if status is not None:
            query = query.filter(status=status)
        query = await _in_warehouse(query, warehouse_id)
        return await rl.paginate(query, first, after, types.PromotionProposal.from_row)

    @strawberry.field(permission_classes=READ, description="Expiry policies: per SKU, per category, default.")
    async def expiry_policies(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> rl.Connection[types.ExpiryPolicy]:
        return await rl.paginate(models.ExpiryPolicy.all(), first, after, types.ExpiryPolicy.from_row)

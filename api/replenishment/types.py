# strawberry.field(description=…/permission_classes=…) is typed as returning Any: nothing to fix here.
# mypy: disable-error-code="untyped-decorator"
"""Replenishment types: promotions (more in ``suggestion_types``)."""

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import strawberry
from strawberry import relay

from api import nodes
from api.catalog.types import Category, Sku, sku_of
from api.context import Info
from domain.catalog import models as catalog_models
from domain.partners.rules import Permission as Perm
from domain.replenishment import models


@strawberry.type(description="A price promotion (促销) on one SKU or one category; a forecasting covariate.")
class Promotion(relay.Node):
    id: relay.NodeID[int]
    name: str
    starts_on: date = strawberry.field(description="First day, business time zone.")
    ends_on: date = strawberry.field(description="Last day, inclusive.")
    discount: Decimal = strawberry.field(description="Fraction off the list price: 0.2 = 20 % off.")
    created_at: datetime
    sku_id: strawberry.Private[int | None]
    category_id: strawberry.Private[int | None]

    @strawberry.field
    async def sku(self, info: Info) -> Sku | None:
        return None if self.sku_id is None else await sku_of(info, self.sku_id)

    @strawberry.field
    async def category(self, info: Info) -> Category | None:
        return await nodes.load_one(info, catalog_models.Category, self.category_id, Category.from_row)

    @classmethod
    def from_row(cls, r: models.Promotion) -> "Promotion":
        return cls(
            id=r.id,
            name=r.name,
            starts_on=r.starts_on,
            ends_on=r.ends_on,
            discount=r.discount,
            created_at=r.created_at,
            sku_id=r.sku_id,
            category_id=r.category_id,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        return await nodes.load_nodes(info, node_ids, models.Promotion, Perm.CATALOG_READ, cls.from_row)

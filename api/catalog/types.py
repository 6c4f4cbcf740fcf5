"""Catalog types: categories, SKUs and their units."""

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from api import nodes
from api.context import Info
from api.customfields.types import values_of
from domain.catalog import models
from domain.partners.rules import Permission as Perm


@strawberry.type
class Category(relay.Node):
    id: relay.NodeID[int]
    code: str
    name_zh: str
    name_en: str

    @classmethod
    def from_row(cls, r: models.Category) -> "Category":
        return cls(id=r.id, code=r.code, name_zh=r.name_zh, name_en=r.name_en)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        return await nodes.load_nodes(info, node_ids, models.Category, Perm.CATALOG_READ, cls.from_row)


@strawberry.type
class SkuUnit:
    unit: str
    factor: Decimal = strawberry.field(description="Base units in one of this unit.")


@strawberry.type
class Sku(relay.Node):
    id: relay.NodeID[int]
    code: str
    name_zh: str
    name_en: str
    base_unit: str
    purchase_unit: str
    sales_unit: str
    gtin: str | None
    shelf_life_days: int | None
    best_before_days: int | None
    tax_rate: Decimal
    tax_exempt: bool
    high_risk: bool
    temperature_min: Decimal | None = strawberry.field(description="Lowest allowed °C, if any.")
    temperature_max: Decimal | None = strawberry.field(description="Highest allowed °C, if any.")
    humidity_max: Decimal | None = strawberry.field(description="Highest allowed relative humidity (%).")
    active: bool
    created_at: datetime
    category_id: strawberry.Private[int | None]
    custom_fields: JSON = strawberry.field(
        default_factory=dict, description="Custom field values by key; decimals as strings."
    )

    @strawberry.field
    async def category(self, info: Info) -> Category | None:
        return await nodes.load_one(info, models.Category, self.category_id, Category.from_row)

    @strawberry.field
    async def units(self, info: Info) -> list[SkuUnit]:
        return await nodes.load_children(
            info, models.SkuUnit, "sku_id", self.id, lambda u: SkuUnit(unit=u.unit, factor=u.factor)
        )

    @classmethod
    def from_row(cls, r: models.Sku) -> "Sku":
        return cls(
            id=r.id,
            code=r.code,
            name_zh=r.name_zh,
            name_en=r.name_en,
            base_unit=r.base_unit,
            purchase_unit=r.purchase_unit,
            sales_unit=r.sales_unit,
            gtin=r.gtin,
            shelf_life_days=r.shelf_life_days,
            best_before_days=r.best_before_days,
            tax_rate=r.tax_rate,
            tax_exempt=r.tax_exempt,
            high_risk=r.high_risk,
            temperature_min=r.temperature_min,
            temperature_max=r.temperature_max,
            humidity_max=r.humidity_max,
            active=r.active,
            created_at=r.created_at,
            category_id=r.category_id,
            custom_fields=values_of(r),
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        return await nodes.load_nodes(info, node_ids, models.Sku, Perm.CATALOG_READ, cls.from_row)


async def sku_of(info: Info, sku_id: int) -> Sku:
    """The SKU of a line or a row (always present: foreign keys are RESTRICT)."""
    sku = await nodes.load_one(info, models.Sku, sku_id, Sku.from_row)
    assert sku is not None
    return sku

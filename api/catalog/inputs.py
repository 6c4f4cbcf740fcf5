"""Catalog inputs."""

from decimal import Decimal

import strawberry
from strawberry.scalars import JSON

from api import relay as rl
from api.customfields.types import given
from domain.catalog import rules
from domain.catalog.services import SkuInput


@strawberry.input
class UnitInput:
    unit: str
    factor: Decimal


@strawberry.input
class SkuCreateInput:
    code: str
    name_zh: str
    name_en: str
    base_unit: str
    purchase_unit: str | None = None
    sales_unit: str | None = None
    units: list[UnitInput] = strawberry.field(default_factory=list)
    category_code: str | None = None
    gtin: str | None = None
    shelf_life_days: int | None = None
    best_before_days: int | None = None
    tax_rate: Decimal = Decimal("0.13")
    tax_exempt: bool = False
    high_risk: bool = False
    temperature_min: Decimal | None = strawberry.field(default=None, description="Lowest allowed °C.")
    temperature_max: Decimal | None = strawberry.field(default=None, description="Highest allowed °C.")
    humidity_max: Decimal | None = strawberry.field(
        default=None, description="Highest allowed relative humidity, in %."
    )
    custom_fields: JSON | None = strawberry.field(
        default=None, description="Custom field values by key (customFieldDefinitions of this record type)."
    )

    def to_domain(self) -> SkuInput:
        rl.cap_lines(self.units, ("units",))
        return SkuInput(
            code=self.code,
            name_zh=self.name_zh,
            name_en=self.name_en,
            base_unit=self.base_unit,
            purchase_unit=self.purchase_unit,
            sales_unit=self.sales_unit,
            units=[rules.UnitDef(u.unit, u.factor) for u in self.units],
            category_code=self.category_code,
            gtin=self.gtin,
            shelf_life_days=self.shelf_life_days,
            best_before_days=self.best_before_days,
            tax_rate=self.tax_rate,
            tax_exempt=self.tax_exempt,
            high_risk=self.high_risk,
            temperature_min=self.temperature_min,
            temperature_max=self.temperature_max,
            humidity_max=self.humidity_max,
            custom=given(self.custom_fields),
        )


@strawberry.input
class CategoryCreateInput:
    code: str
    name_zh: str
    name_en: str

"""Catalog use cases: categories and SKUs with their units."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tortoise.transactions import in_transaction

from domain.catalog import rules
from domain.catalog.models import Category, Sku, SkuUnit
from domain.common.errors import Conflict, NotFound, ValidationError
from domain.customfields import services as custom_fields
from domain.customfields.rules import Entity
from domain.inventory.models import SkuValuation
from domain.inventory.rules import require_positive, unit_factor


@dataclass(frozen=True)
class SkuInput:
    code: str
    name_zh: str
    name_en: str
    base_unit: str
    purchase_unit: str | None = None
    sales_unit: str | None = None
    units: list[rules.UnitDef] = field(default_factory=list)
    category_code: str | None = None
    gtin: str | None = None
    shelf_life_days: int | None = None
    best_before_days: int | None = None
    tax_rate: Decimal = Decimal("0.13")
    tax_exempt: bool = False
    high_risk: bool = False
    temperature_min: Decimal | None = None  # °C
    temperature_max: Decimal | None = None  # °C
    humidity_max: Decimal | None = None  # % relative humidity
    custom: dict[str, Any] | None = None  # custom field values (domain.customfields)


async def create_category(code: str, name_zh: str, name_en: str) -> Category:
    if await Category.exists(code=code):
        raise Conflict(f"category {code} already exists", ("code",))
    return await Category.create(code=code, name_zh=name_zh, name_en=name_en)


async def create_sku(data: SkuInput) -> Sku:
    if not data.code.strip():
        raise ValidationError("a SKU needs a code", ("code",))
    purchase_unit = data.purchase_unit or data.base_unit
    sales_unit = data.sales_unit or data.base_unit
    table = rules.check_units(data.base_unit, data.units, purchase_unit, sales_unit)
    gtin = rules.check_gtin(data.gtin)
    for name, days in (("shelfLifeDays", data.shelf_life_days), ("bestBeforeDays", data.best_before_days)):
        if days is not None and days <= 0:
            raise ValidationError("days must be greater than zero", (name,))
    if not (0 <= data.tax_rate < 1):
        raise ValidationError("tax rate is a fraction between 0 and 1", ("taxRate",))
    rules.check_storage_limits(data.temperature_min, data.temperature_max, data.humidity_max)
    async with in_transaction():
        custom = await custom_fields.checked(Entity.SKU, data.custom)
        if await Sku.exists(code=data.code):
            raise Conflict(f"SKU {data.code} already exists", ("code",))
        if gtin and await Sku.exists(gtin=gtin):
            raise Conflict(f"GTIN {gtin} is already used", ("gtin",))
        category = None
        if data.category_code:
            category = await Category.get_or_none(code=data.category_code)
            if category is None:
                raise NotFound("category", data.category_code, ("categoryCode",))
        sku = await Sku.create(
            code=data.code,
            name_zh=data.name_zh,
            name_en=data.name_en,
            category=category,
            base_unit=data.base_unit,
            purchase_unit=purchase_unit,
            sales_unit=sales_unit,
            gtin=gtin,
            shelf_life_days=data.shelf_life_days,
            best_before_days=data.best_before_days,
            tax_rate=data.tax_rate,
            tax_exempt=data.tax_exempt,
            high_risk=data.high_risk,
            temperature_min=data.temperature_min,
            temperature_max=data.temperature_max,
            humidity_max=data.humidity_max,
            custom=custom,
        )
        await SkuUnit.bulk_create([SkuUnit(sku=sku, unit=u, factor=f) for u, f in table.items()])
        await SkuValuation.create(sku=sku)
        return sku


async def unit_table(sku_ids: list[int]) -> dict[int, dict[str, Decimal]]:
    table: dict[int, dict[str, Decimal]] = {i: {} for i in sku_ids}
    for u in await SkuUnit.filter(sku_id__in=sku_ids):
        table[u.sku_id][u.unit] = u.factor
    return table


@dataclass(frozen=True)
class OrderLineInput:
    sku_code: str
    quantity: Decimal
    unit: str | None = None  # None: the SKU's purchase or sales unit
    unit_price: Decimal = Decimal(0)


@dataclass(frozen=True)
class ResolvedLine:
    sku: Sku
    unit: str
    quantity: Decimal
    factor: Decimal
    unit_price: Decimal


MAX_LINES = 500


async def resolve_order_lines(lines: list[OrderLineInput], default_unit: str) -> list[ResolvedLine]:
    """Checks the lines of a purchase or sales order: known SKUs, their units, positive amounts."""
    if not lines:
        raise ValidationError("an order needs at least one line", ("lines",))
    if len(lines) > MAX_LINES:
        raise ValidationError(f"an order has at most {MAX_LINES} lines", ("lines",))
    skus = {s.code: s for s in await Sku.filter(code__in={ln.sku_code for ln in lines}, active=True)}
    units = await unit_table([s.id for s in skus.values()])
    resolved = []
    for i, ln in enumerate(lines):
        path = ("lines", str(i))
        sku = skus.get(ln.sku_code)
        if sku is None:
            raise NotFound("SKU", ln.sku_code, (*path, "skuCode"))
        require_positive(ln.quantity, (*path, "quantity"))
        if not ln.unit_price.is_finite() or ln.unit_price < 0:
            raise ValidationError("unit price must be zero or more", (*path, "unitPrice"))
        unit = ln.unit or getattr(sku, default_unit)
        factor = unit_factor(units[sku.id], unit, sku.code, (*path, "unit"))
        resolved.append(ResolvedLine(sku, unit, ln.quantity, factor, ln.unit_price))
    return resolved

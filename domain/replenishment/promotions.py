"""Promotion calendar use cases: create, change, delete, and the weekly promotion covariate.

A promotion targets one SKU or one category (exactly one), runs on inclusive dates in the business time
zone, and takes ``discount`` (a fraction, 0 < d < 1; 0.2 = 20 % off) off the list price. The covariate per
week is the deepest discount active on a SKU and the number of promotion days in that week. Errors:
``ValidationError`` (bad field, with its path), ``NotFound`` (unknown SKU, category or promotion).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from tortoise.transactions import in_transaction

from domain.catalog.models import Category, Sku
from domain.common.errors import NotFound, ValidationError
from domain.replenishment.models import Promotion

MAX_NAME = 200
MAX_DAYS = 366


@dataclass(frozen=True)
class PromotionInput:
    name: str
    starts_on: date
    ends_on: date
    discount: Decimal
    sku_code: str | None = None
    category_code: str | None = None


@dataclass(frozen=True)
class PromoWeek:
    discount: Decimal  # deepest discount active in the week, 0 when none
    days: int  # promotion days in the week, 0..7


def check(data: PromotionInput) -> None:
    if not data.name.strip() or len(data.name) > MAX_NAME:
        raise ValidationError(f"name must be 1..{MAX_NAME} characters", ("name",))
    if (data.sku_code is None) == (data.category_code is None):
        raise ValidationError("give exactly one of skuCode and categoryCode", ("skuCode",))
    if data.ends_on < data.starts_on:
        raise ValidationError("endsOn must not be before startsOn", ("endsOn",))
    if (data.ends_on - data.starts_on).days >= MAX_DAYS:
        raise ValidationError(f"a promotion lasts at most {MAX_DAYS} days", ("endsOn",))
    if not data.discount.is_finite() or not Decimal(0) < data.discount < Decimal(1):
        raise ValidationError("discount is a fraction between 0 and 1 (0.2 = 20 % off)", ("discount",))


async def _targets(data: PromotionInput) -> tuple[int | None, int | None]:
    if data.sku_code is not None:
        sku = await Sku.get_or_none(code=data.sku_code)
        if sku is None:
            raise NotFound("SKU", data.sku_code, ("skuCode",))
        return sku.id, None
    category = await Category.get_or_none(code=data.category_code)
    if category is None:
        raise NotFound("category", data.category_code, ("categoryCode",))
    return None, category.id


async def promotion_create(data: PromotionInput) -> Promotion:
    check(data)
    sku_id, category_id = await _targets(data)
    return await Promotion.create(
        name=data.name.strip(),
        sku_id=sku_id,
        category_id=category_id,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        discount=data.discount,
    )


async def promotion_update(promotion_id: int, data: PromotionInput) -> Promotion:
    check(data)
    async with in_transaction():
        promotion = await Promotion.get_or_none(id=promotion_id)
        if promotion is None:
            raise NotFound("promotion", promotion_id, ("id",))
        promotion.sku_id, promotion.category_id = await _targets(data)
        promotion.name = data.name.strip()
        promotion.starts_on, promotion.ends_on = data.starts_on, data.ends_on
        promotion.discount = data.discount
        await promotion.save()
        return promotion


async def promotion_delete(promotion_id: int) -> int:
    deleted = await Promotion.filter(id=promotion_id).delete()
    if not deleted:
        raise NotFound("promotion", promotion_id, ("id",))
    return promotion_id


def promo_weeks(promotions: Iterable[Promotion], mondays: list[date]) -> dict[date, PromoWeek]:
    """The promotion covariate per week for the promotions of one SKU (its own and its category's)."""
    result = {}
    rows = list(promotions)
    for monday in mondays:
        days = [monday + timedelta(days=i) for i in range(7)]
        deepest, count = Decimal(0), 0
        for day in days:
            active = [p.discount for p in rows if p.starts_on <= day <= p.ends_on]
            if active:
                count += 1
                deepest = max(deepest, *active)
        result[monday] = PromoWeek(deepest, count)
    return result


async def promotions_of(sku: Sku, first: date, last: date) -> list[Promotion]:
    query = Promotion.filter(starts_on__lte=last, ends_on__gte=first)
    rows = await query.filter(sku_id=sku.id)
    if sku.category_id is not None:
        rows += await query.filter(category_id=sku.category_id)
    return rows

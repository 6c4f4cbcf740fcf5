"""Replenishment inputs: a promotion (suggestion inputs in ``suggestion_inputs``)."""

from datetime import date
from decimal import Decimal

import strawberry

from api import relay as rl
from domain.replenishment import promotions


@strawberry.input(description="A promotion: give exactly one of skuCode and categoryCode.")
class PromotionInput:
    name: str
    starts_on: date
    ends_on: date
    discount: Decimal = strawberry.field(description="Fraction off: 0 < discount < 1.")
    sku_code: str | None = None
    category_code: str | None = None

    def to_domain(self) -> promotions.PromotionInput:
        return promotions.PromotionInput(
            self.name, self.starts_on, self.ends_on, self.discount, self.sku_code, self.category_code
        )


@strawberry.input
class PromotionUpdateInput:
    id: strawberry.ID
    promotion: PromotionInput

    def pk(self) -> int:
        return rl.decode_id(self.id, "Promotion", ("id",))


@strawberry.input
class PromotionDeleteInput:
    id: strawberry.ID

    def pk(self) -> int:
        return rl.decode_id(self.id, "Promotion", ("id",))

"""Replenishment mutations: the promotion calendar. They translate; the services decide."""
# mypy: disable-error-code="untyped-decorator"

from typing import Annotated

import strawberry

from api import auth, errors
from api import relay as rl
from api.context import Info
from api.replenishment import inputs, types
from domain.partners.rules import Permission as Perm
from domain.replenishment import promotions


@strawberry.type
class PromotionDeleted:
    id: strawberry.ID


PromotionResult = Annotated[types.Promotion | errors.AnyUserError, strawberry.union("PromotionResult")]
PromotionDeleteResult = Annotated[
    PromotionDeleted | errors.AnyUserError, strawberry.union("PromotionDeleteResult")
]


@strawberry.type
class PromotionMutation:
    @strawberry.mutation(description="Adds a promotion (促销) to the calendar forecasts read.")
    async def promotion_create(self, info: Info, input: inputs.PromotionInput) -> PromotionResult:
        async def run() -> types.Promotion:
            auth.require(info, Perm.CATALOG_WRITE)
            return types.Promotion.from_row(await promotions.promotion_create(input.to_domain()))

        return await errors.guard(run())

    @strawberry.mutation(description="Changes a promotion's target, dates or discount.")
    async def promotion_update(self, info: Info, input: inputs.PromotionUpdateInput) -> PromotionResult:
        async def run() -> types.Promotion:
            auth.require(info, Perm.CATALOG_WRITE)
            row = await promotions.promotion_update(input.pk(), input.promotion.to_domain())
            return types.Promotion.from_row(row)

        return await errors.guard(run())

    @strawberry.mutation(description="Removes a promotion from the calendar.")
    async def promotion_delete(self, info: Info, input: inputs.PromotionDeleteInput) -> PromotionDeleteResult:
        async def run() -> PromotionDeleted:
            auth.require(info, Perm.CATALOG_WRITE)
            pk = await promotions.promotion_delete(input.pk())
            return PromotionDeleted(id=strawberry.ID(rl.encode_id("Promotion", pk)))

        return await errors.guard(run())

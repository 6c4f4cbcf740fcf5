"""Catalog mutations: they translate input to a service call and its outcome to the result union."""

from typing import Annotated

import strawberry

from api import auth, errors
from api.catalog.inputs import CategoryCreateInput, SkuCreateInput
from api.catalog.types import Category, Sku
from api.context import Info
from domain.catalog import services
from domain.partners.rules import Permission as Perm

SkuCreateResult = Annotated[Sku | errors.AnyUserError, strawberry.union("SkuCreateResult")]
CategoryCreateResult = Annotated[Category | errors.AnyUserError, strawberry.union("CategoryCreateResult")]


@strawberry.type
class CatalogMutation:
    @strawberry.mutation
    async def sku_create(self, info: Info, input: SkuCreateInput) -> SkuCreateResult:
        async def run() -> Sku:
            auth.require(info, Perm.CATALOG_WRITE)
            return Sku.from_row(await services.create_sku(input.to_domain()))

        return await errors.guard(run())

    @strawberry.mutation
    async def category_create(self, info: Info, input: CategoryCreateInput) -> CategoryCreateResult:
        async def run() -> Category:
            auth.require(info, Perm.CATALOG_WRITE)
            row = await services.create_category(input.code, input.name_zh, input.name_en)
            return Category.from_row(row)

        return await errors.guard(run())

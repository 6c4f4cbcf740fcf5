# strawberry.field(description=…/permission_classes=…) is typed as returning Any: nothing to fix here.
# mypy: disable-error-code="untyped-decorator"
"""Catalog queries."""

import strawberry
from tortoise.expressions import Q

from api import auth
from api import relay as rl
from api.catalog.types import Category, Sku
from api.context import Info
from api.customfields.sorting import CustomFieldSort
from api.customfields.sorting import page as sorted_page
from api.customfields.types import CustomFieldFilter, filters
from domain.catalog import models
from domain.customfields import services as custom_fields
from domain.customfields.rules import Entity
from domain.partners.rules import Permission as Perm


@strawberry.type
class CatalogQuery:
    @strawberry.field(permission_classes=[auth.needs(Perm.CATALOG_READ)])
    async def skus(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        search: str | None = None,
        category_id: strawberry.ID | None = None,
        active: bool | None = None,
        custom_filter: list[CustomFieldFilter] | None = None,
        custom_sort: CustomFieldSort | None = None,
    ) -> rl.Connection[Sku]:
        query = models.Sku.all()
        if search:
            query = query.filter(
                Q(code__icontains=search) | Q(name_zh__icontains=search) | Q(name_en__icontains=search)
            )
        if category_id is not None:
            query = query.filter(category_id=rl.decode_id(category_id, "Category", ("categoryId",)))
        if active is not None:
            query = query.filter(active=active)
        query = await custom_fields.filtered(query, Entity.SKU, filters(custom_filter))
        return await sorted_page(query, Entity.SKU, first, after, Sku.from_row, custom_sort)

    @strawberry.field(permission_classes=[auth.needs(Perm.CATALOG_READ)])
    async def categories(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> rl.Connection[Category]:
        return await rl.paginate(models.Category.all(), first, after, Category.from_row)

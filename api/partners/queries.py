# strawberry.field(description=…/permission_classes=…) is typed as returning Any: nothing to fix here.
# mypy: disable-error-code="untyped-decorator"
"""Partner queries."""

from typing import Any

import strawberry
from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from api import auth
from api import relay as rl
from api.context import Info
from api.partners.types import Customer, Supplier
from domain.partners import models
from domain.partners.rules import Permission as Perm


def _search(query: QuerySet[Any], search: str | None, active: bool | None) -> QuerySet[Any]:
    if search:
        query = query.filter(Q(code__icontains=search) | Q(name__icontains=search))
    if active is not None:
        query = query.filter(active=active)
    return query


@strawberry.type
class PartnersQuery:
    @strawberry.field(permission_classes=[auth.needs(Perm.PURCHASING_READ)])
    async def suppliers(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        search: str | None = None,
        active: bool | None = None,
    ) -> rl.Connection[Supplier]:
        query = _search(models.Supplier.all(), search, active)
        return await rl.paginate(query, first, after, Supplier.from_row)

    @strawberry.field(permission_classes=[auth.needs(Perm.SALES_READ)])
    async def customers(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        search: str | None = None,
        active: bool | None = None,
    ) -> rl.Connection[Customer]:
        query = _search(models.Customer.all(), search, active)
        return await rl.paginate(query, first, after, Customer.from_row)

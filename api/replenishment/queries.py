"""Replenishment queries: the promotion calendar."""
# mypy: disable-error-code="untyped-decorator"

from datetime import date

import strawberry

from api import auth
from api import relay as rl
from api.context import Info
from api.replenishment import types
from domain.partners.rules import Permission as Perm
from domain.replenishment.models import Promotion


@strawberry.type
class PromotionQuery:
    @strawberry.field(
        permission_classes=[auth.needs(Perm.CATALOG_READ)],
        description="Promotions overlapping [from, to] (either open), oldest id first.",
    )
    async def promotions(
        self,
        info: Info,
        from_date: date | None = None,
        to_date: date | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> rl.Connection[types.Promotion]:
        query = Promotion.all()
        if from_date is not None:
            query = query.filter(ends_on__gte=from_date)
        if to_date is not None:
            query = query.filter(starts_on__lte=to_date)
        return await rl.paginate(query, first, after, types.Promotion.from_row)

"""Replenishment queries: the promotion calendar."""
# mypy: disable-error-code="untyped-decorator"

from datetime import date

import strawberry
from tortoise.expressions import Q

from api import auth
from api import relay as rl
from api.context import Info
from api.replenishment import types
from api.replenishment.forecast_types import ForecastRun
from api.replenishment.price_types import SupplierPrice
from api.replenishment.suggestion_types import ReplenishmentSuggestion, scope_of
from domain.catalog.models import Sku
from domain.inventory.models import Warehouse
from domain.partners.models import Supplier
from domain.partners.rules import Permission as Perm
from domain.replenishment import models
from domain.replenishment.models import Promotion, Suggestion


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


@strawberry.type
class SuggestionQuery:
    @strawberry.field(
        permission_classes=[auth.needs(Perm.PURCHASING_READ)],
        description="Replenishment suggestions (补货建议单), oldest first; store managers see their stores.",
    )
    async def replenishment_suggestions(
        self,
        info: Info,
        warehouse_code: str | None = None,
        status: str | None = None,
        period_start: date | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> rl.Connection[ReplenishmentSuggestion]:
        query = Suggestion.all()
        scope = await scope_of(info)
        if scope is not None:
            query = query.filter(warehouse_id__in=sorted(scope))
        if warehouse_code is not None:
            wh = await Warehouse.get_or_none(code=warehouse_code)
            query = query.filter(warehouse_id=wh.id if wh else -1)
        if status is not None:
            query = query.filter(status=status)
        if period_start is not None:
            query = query.filter(period_start=period_start)
        return await rl.paginate(query, first, after, ReplenishmentSuggestion.from_row)


@strawberry.type
class ForecastRunQuery:
    @strawberry.field(
        permission_classes=[auth.needs(Perm.PURCHASING_READ)],
        description="Forecast runs, oldest first: status, progress, backtest metrics, forecasts.",
    )
    async def forecast_runs(
        self, info: Info, status: str | None = None, first: int | None = None, after: str | None = None
    ) -> rl.Connection[ForecastRun]:
        query = models.ForecastRun.all()
        if status is not None:
            query = query.filter(status=status)
        return await rl.paginate(query, first, after, ForecastRun.from_row)


@strawberry.type
class PriceListQuery:
    @strawberry.field(
        permission_classes=[auth.needs(Perm.PURCHASING_READ, supplier_ok=True)],
        description="Supplier price list lines (供应商价目表), oldest first; a supplier sees only its own.",
    )
    async def supplier_prices(
        self,
        info: Info,
        supplier_code: str | None = None,
        sku_code: str | None = None,
        valid_on: date | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> rl.Connection[SupplierPrice]:
        query = models.SupplierPrice.all()
        if (own := auth.supplier_scope(info)) is not None:
            query = query.filter(supplier_id=own)
        if supplier_code is not None:
            supplier = await Supplier.get_or_none(code=supplier_code)
            query = query.filter(supplier_id=supplier.id if supplier else -1)
        if sku_code is not None:
            sku = await Sku.get_or_none(code=sku_code)
            query = query.filter(sku_id=sku.id if sku else -1)
        if valid_on is not None:
            query = query.filter(valid_from__lte=valid_on).filter(
                Q(valid_to__isnull=True) | Q(valid_to__gte=valid_on)
            )
        return await rl.paginate(query, first, after, SupplierPrice.from_row)

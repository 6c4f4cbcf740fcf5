# strawberry.field(description=…/permission_classes=…) is typed as returning Any: nothing to fix here.
# mypy: disable-error-code="untyped-decorator"
"""Forecast run types: a run with its progress and backtest metrics, and its weekly forecasts."""

import json
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import strawberry
from strawberry import relay

from api import nodes
from api.catalog.types import Sku, sku_of
from api.context import Info
from api.replenishment.suggestion_types import scope_of
from domain.inventory.models import Warehouse
from domain.partners.rules import Permission as Perm
from domain.replenishment import models

MAX_FORECASTS = 500


@strawberry.type(description="Backtest of one candidate model over the run's series.")
class ModelMetric:
    model: str
    mean_wape: float | None = strawberry.field(description="Mean over series of Σ|error| / Σ actual.")
    series: int
    chosen: int = strawberry.field(description="Series whose backtest chose this model.")


@strawberry.type(description="One week's forecast of a SKU in a warehouse, base units.")
class WeeklyForecast:
    week_start: date
    p50: Decimal
    p90: Decimal
    model: str
    backtest_wape: Decimal | None
    sku_id: strawberry.Private[int]
    warehouse_id: strawberry.Private[int]

    @strawberry.field
    async def sku(self, info: Info) -> Sku:
        return await sku_of(info, self.sku_id)

    @strawberry.field
    async def warehouse_code(self, info: Info) -> str:
        return await nodes.load_one(info, Warehouse, self.warehouse_id, lambda w: w.code) or ""


@strawberry.type(description="A forecasting job: Dramatiq shards of SKUs, its progress and backtest metrics.")
class ForecastRun(relay.Node):
    id: relay.NodeID[int]
    status: str = strawberry.field(description="queued, running, done or failed.")
    as_of: date = strawberry.field(description="Monday of the first forecast week.")
    horizon_weeks: int
    window_start: date
    window_end: date
    shards_total: int
    shards_done: int
    shards_failed: int
    series_total: int
    error: str
    created_at: datetime
    finished_at: datetime | None
    parameters: str = strawberry.field(description="JSON: models, folds, seed, time zone, shards.")
    versions: str = strawberry.field(description="JSON: library versions the run used.")
    metrics: list[ModelMetric]

    @strawberry.field(description="Shards reported (done or failed) / total, 0..1.")
    def progress(self) -> float:
        return 1.0 if not self.shards_total else (self.shards_done + self.shards_failed) / self.shards_total

    @strawberry.field(description=f"Forecasts, by SKU then week; at most {MAX_FORECASTS}.")
    async def forecasts(
        self, info: Info, sku_code: str | None = None, warehouse_code: str | None = None
    ) -> list[WeeklyForecast]:
        query = models.Forecast.filter(run_id=self.id)
        if (scope := await scope_of(info)) is not None:
            query = query.filter(warehouse_id__in=sorted(scope))
        if sku_code is not None:
            query = query.filter(sku__code=sku_code)
        if warehouse_code is not None:
            query = query.filter(warehouse__code=warehouse_code)
        rows = await query.order_by("sku_id", "warehouse_id", "week_start").limit(MAX_FORECASTS)
        return [
            WeeklyForecast(
                week_start=r.week_start,
                p50=r.p50,
                p90=r.p90,
                model=r.model,
                backtest_wape=r.backtest_wape,
                sku_id=r.sku_id,
                warehouse_id=r.warehouse_id,
            )
            for r in rows
        ]

    @classmethod
    def from_row(cls, r: models.ForecastRun) -> "ForecastRun":
        metrics = [
            ModelMetric(model=name, mean_wape=m.get("mean_wape"), series=m["series"], chosen=m["chosen"])
            for name, m in sorted(r.metrics.get("models", {}).items())
        ]
        return cls(
            id=r.id,
            status=r.status,
            as_of=r.as_of,
            horizon_weeks=r.horizon_weeks,
            window_start=r.window_start,
            window_end=r.window_end,
            shards_total=r.shards_total,
            shards_done=r.shards_done,
            shards_failed=r.shards_failed,
            series_total=r.series_total,
            error=r.error,
            created_at=r.created_at,
            finished_at=r.finished_at,
            parameters=json.dumps(r.parameters, ensure_ascii=False),
            versions=json.dumps(r.versions),
            metrics=metrics,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False) -> list[Any]:
        return await nodes.load_nodes(info, node_ids, models.ForecastRun, Perm.PURCHASING_READ, cls.from_row)

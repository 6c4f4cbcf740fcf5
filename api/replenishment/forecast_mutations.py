"""``forecastRunStart``: plan a forecast run and start it — on the Dramatiq workers through the outbox when
the server has a broker (``LOTLINE_REDIS_URL``), else in this process, shard by shard, off the event loop.
Buyers for every warehouse, store managers for their stores; idempotent by key."""
# mypy: disable-error-code="untyped-decorator"

import asyncio
import logging
from datetime import UTC, date, datetime
from typing import Annotated

import strawberry

from api import auth, errors
from api.context import Info
from api.replenishment.forecast_types import ForecastRun
from api.replenishment.suggestion_types import scope_of
from domain.partners.rules import Permission as Perm
from domain.replenishment import forecast_start, forecasting, weeks
from domain.replenishment import models as rmodels

log = logging.getLogger(__name__)
_IN_PROCESS: set["asyncio.Task[None]"] = set()  # strong references: the loop keeps only weak ones


@strawberry.input(description="A forecast run: every SKU × warehouse that shipped in the history window.")
class ForecastRunStartInput:
    as_of: date | None = strawberry.field(
        default=None, description="A day of the first forecast week (its Monday is used); default this week."
    )
    horizon_weeks: int = strawberry.field(default=8, description="Weeks to forecast, 1..52.")
    history_weeks: int = strawberry.field(default=104, description="Weeks of history to fit on, 12..520.")
    shard_skus: int = strawberry.field(default=100, description="SKUs per worker message, 1..2000.")
    folds: int = strawberry.field(default=8, description="Backtest weeks (rolling origin), 1..26.")
    models: list[str] | None = strawberry.field(
        default=None, description=f"Candidates among {', '.join(forecasting.MODELS)}; default all."
    )
    warehouse_codes: list[str] | None = None
    sku_codes: list[str] | None = None
    idempotency_key: str | None = None


@strawberry.type(description="The run a start planned (or, replayed, the one the same key planned before).")
class ForecastRunStarted:
    run: ForecastRun
    replayed: bool
    in_process: bool = strawberry.field(description="Run by this server (no broker), not by the workers.")


ForecastRunStartResult = Annotated[
    ForecastRunStarted | errors.AnyUserError, strawberry.union("ForecastRunStartResult")
]


def _now() -> datetime:
    return datetime.now(UTC)


def _spawn(run_id: int) -> None:
    task = asyncio.get_running_loop().create_task(forecast_start.forecast_run_in_process(run_id, _now))
    _IN_PROCESS.add(task)
    task.add_done_callback(_IN_PROCESS.discard)


@strawberry.type
class ForecastRunMutation:
    @strawberry.mutation(description="需求预测: plans a forecast run and starts it; poll its progress.")
    async def forecast_run_start(self, info: Info, input: ForecastRunStartInput) -> ForecastRunStartResult:
        async def run() -> ForecastRunStarted:
            principal = auth.require(info, Perm.PURCHASING_WRITE)
            in_process = not info.context.request.app.state.settings.redis_url
            # LOTLINE_BUSINESS_TIME_ZONE arrives on another branch; until merged, the default zone.
            as_of = input.as_of or weeks.business_date(_now(), weeks.DEFAULT_TIME_ZONE)
            posted = await forecast_start.forecast_run_start(
                as_of,
                horizon_weeks=input.horizon_weeks,
                history_weeks=input.history_weeks,
                shard_skus=input.shard_skus,
                folds=input.folds,
                models=tuple(input.models) if input.models is not None else forecasting.MODELS,
                sku_codes=input.sku_codes,
                warehouse_codes=input.warehouse_codes,
                scope=await scope_of(info),
                enqueue=not in_process,
                key=auth.client_key(info, input.idempotency_key),
            )
            row = await rmodels.ForecastRun.get(id=posted.document_id)
            if in_process and not posted.replayed and row.status == "queued":
                _spawn(row.id)
            log.info("forecast run %s started by user %s", row.id, principal.user_id)
            return ForecastRunStarted(
                run=ForecastRun.from_row(row), replayed=posted.replayed, in_process=in_process
            )

        return await errors.guard(run())

"""Starting a forecast run from the API: plan it idempotently, then hand it to the workers or run it here.

``forecast_run_start`` plans the run (``forecast_runs.forecast_run_create``) in one transaction with an outbox
row (topic ``FORECAST_RUN_TOPIC``) that the relay hands to the ``forecast_run_dispatch`` actor, which sends
one Dramatiq message per shard; with ``enqueue=False`` (no broker: the SQLite demo, ``lotline serve`` alone)
no row is written and the caller runs it with ``forecast_run_in_process``. An idempotency key replays the
first run for the same request and is a ``Conflict`` for another (``domain.common.services.posting``).
A store manager's runs are limited to its stores (``scope``); a warehouse outside it is ``NotFound``.
"""

import asyncio
import logging
from collections.abc import Callable
from datetime import date, datetime

from domain.catalog.models import Sku
from domain.common import outbox, services
from domain.common.errors import NotFound, ValidationError
from domain.inventory.models import Warehouse
from domain.replenishment import forecast_runs, forecasting
from domain.replenishment.models import ForecastRun

FORECAST_RUN_TOPIC = outbox.FORECAST_RUN_TOPIC
MAX_CODES = 500
log = logging.getLogger(__name__)


async def _ids(model: type[Sku] | type[Warehouse], codes: list[str], path: str) -> list[int]:
    if len(codes) > MAX_CODES:
        raise ValidationError(f"at most {MAX_CODES} codes", (path,))
    found = dict(await model.filter(code__in=codes).values_list("code", "id"))
    for i, code in enumerate(codes):
        if code not in found:
            raise NotFound(model.__name__.lower(), code, (path, str(i)))
    return sorted(set(found.values()))


async def forecast_run_start(
    as_of: date,
    *,
    horizon_weeks: int,
    history_weeks: int,
    shard_skus: int,
    folds: int,
    models: tuple[str, ...],
    sku_codes: list[str] | None,
    warehouse_codes: list[str] | None,
    scope: set[int] | None,
    enqueue: bool,
    key: str | None,
) -> services.Posted:
    """Plans a run (and queues it when ``enqueue``); returns ``Posted("ForecastRun", id, "FR-<id>")``.

    Errors: ``ValidationError`` (bounds, unknown model), ``NotFound`` (a code, or a warehouse outside
    ``scope``), ``Conflict`` (the key was used for another request).
    """
    if forecast_runs.unknown_models(models):
        raise ValidationError(f"models among {', '.join(forecasting.MODELS)}", ("models",))
    if not 1 <= folds <= 26:
        raise ValidationError("folds 1..26 weeks", ("folds",))

    async def body() -> services.Posted:
        sku_ids = None if sku_codes is None else await _ids(Sku, sku_codes, "skuCodes")
        warehouse_ids = (
            None if warehouse_codes is None else await _ids(Warehouse, warehouse_codes, "warehouseCodes")
        )
        if scope is not None:
            outside = [w for w in warehouse_ids or [] if w not in scope]
            if outside:
                raise NotFound("warehouse", outside[0], ("warehouseCodes",))
            warehouse_ids = warehouse_ids or sorted(scope)
        run = await forecast_runs.forecast_run_create(
            as_of,
            horizon_weeks=horizon_weeks,
            history_weeks=history_weeks,
            shard_skus=shard_skus,
            folds=folds,
            models=models,
            sku_ids=sku_ids,
            warehouse_ids=warehouse_ids,
        )
        if enqueue and run.shards_total:
            await services.enqueue(FORECAST_RUN_TOPIC, {"run_id": run.id})
        return services.Posted("ForecastRun", run.id, f"FR-{run.id}")

    return await services.posting("forecast_run_start", key, body)


async def unreported_shards(run_id: int) -> list[int]:
    """The shards of a run that have not reported yet (what a dispatcher still has to send)."""
    run = await ForecastRun.get_or_none(id=run_id)
    if run is None:
        return []
    reported = set(run.metrics.get("shards_reported", []))
    return [i for i in range(run.shards_total) if i not in reported]


async def forecast_run_in_process(run_id: int, now: Callable[[], datetime]) -> None:
    """Runs every unreported shard here, one after another; the fits run in a thread, off the event loop.

    A shard that raises is recorded as failed on the run (no retries in-process) and the next one runs.
    """
    for shard in await unreported_shards(run_id):
        try:
            work = await forecast_runs.shard_inputs(run_id, shard)
            results = await asyncio.to_thread(forecast_runs.compute, work)
            await forecast_runs.shard_store(work, results, now())
        except Exception as exc:  # recorded on the run, which is what its caller polls
            log.exception("forecast run %s shard %s failed in-process", run_id, shard)
            await forecast_runs.forecast_shard_failed(run_id, shard, f"{type(exc).__name__}: {exc}", now())

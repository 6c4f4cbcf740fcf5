"""Starting a forecast run from the API: plan it idempotently, then hand it to the workers or run it here.

``forecast_run_start`` plans the run (``forecast_runs.forecast_run_create``) in one transaction with an outbox
row (topic ``FORECAST_RUN_TOPIC``) that the relay hands to the ``forecast_run_dispatch`` actor, which sends
one Dramatiq message per shard; with ``enqueue=False`` (no broker: the SQLite demo, ``lotline serve`` alone)
no row is written and the caller runs it with ``forecast_run_in_process``. An idempotency key replays the
first run for the same request and is a ``Conflict`` for another (``domain.common.services.posting``).
A store manager's runs are limited to its stores (``scope``); a warehouse outside it is ``NotFound``.
"""

import logging
from collections.abc import Callable
from datetime import date, datetime

from domain.catalog.models import Sku
from domain.common import outbox, services
from domain.common.errors import NotFound, ValidationError
from domain.inventory.models import Warehouse
from domain.replenishment import forecast_resume, forecast_runs, forecasting
from domain.replenishment.forecast_resume import unreported_shards

FORECAST_RUN_TOPIC = outbox.FORECAST_RUN_TOPIC
MAX_CODES = 500
log = logging.getLogger(__name__)
__all__ = ["forecast_run_in_process", "forecast_run_start", "unreported_shards"]


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


async def forecast_run_in_process(run_id: int, now: Callable[[], datetime]) -> None:
    """Runs every unreported shard here, one after another, each claimed first (``forecast_resume``) so
    the start-up sweep of a restarted server and this task never both run one; the fits run in a thread.

    A shard that raises is recorded as failed on the run (no retries in-process) and the next one runs.
    """
    await forecast_resume.run_shards(run_id, forecast_resume.process_owner(), now)

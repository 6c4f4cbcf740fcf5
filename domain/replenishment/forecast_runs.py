"""Forecast run use cases: plan a run in shards of SKUs, run one shard, record progress and metrics.

A run (``ForecastRun``) fixes what makes it reproducible: ``as_of`` (the first forecast week's Monday), the
history window, horizon, candidate models, backtest folds, seed, the shards (lists of SKU ids) and the
library versions. A shard reads the weekly demand of its SKUs in every warehouse (censored weeks missing),
builds the covariates (promotions, Chinese holidays, the warehouse region's weather index, 1 when unknown),
forecasts with ``forecasting.forecast_series`` and replaces its ``Forecast`` rows, so a retried shard writes
them once. Progress: ``shards_done`` / ``shards_failed`` of ``shards_total``; the run is ``done`` (``failed``
when a shard failed for good) once every shard reported. Metrics per model: mean backtest WAPE over series
and how many series chose it. Errors: ``ValidationError``, ``NotFound``.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from tortoise.transactions import in_transaction

from domain.catalog.models import Sku
from domain.common.dialect import is_postgres
from domain.common.errors import NotFound, ValidationError
from domain.replenishment import calendar, demand, forecasting, price_index, promotions, weather, weeks
from domain.replenishment.models import Forecast, ForecastRun, WarehouseProfile

MAX_SHARD = 2000


async def forecast_run_create(
    as_of: date,
    *,
    horizon_weeks: int = 8,
    history_weeks: int = 104,
    shard_skus: int = 100,
    folds: int = 8,
    seed: int = 12,
    models: tuple[str, ...] = forecasting.MODELS,
    sku_ids: list[int] | None = None,
    warehouse_ids: list[int] | None = None,
    time_zone: str = weeks.DEFAULT_TIME_ZONE,
) -> ForecastRun:
    """Plans a run over every SKU × warehouse that shipped in the window; returns it with its shards."""
    if not 1 <= horizon_weeks <= 52 or not 12 <= history_weeks <= 520:
        raise ValidationError("horizon 1..52 weeks, history 12..520 weeks", ("horizonWeeks",))
    if not 1 <= shard_skus <= MAX_SHARD or unknown_models(models):
        raise ValidationError(f"shard size 1..{MAX_SHARD}; models among {forecasting.MODELS}", ("models",))
    monday = weeks.week_start(as_of)
    first, last = monday - timedelta(weeks=history_weeks), monday - timedelta(days=1)
    series = await demand.demand_history(
        first, last, sku_ids=sku_ids, warehouse_ids=warehouse_ids, time_zone=time_zone
    )
    found = sorted({s.sku_id for s in series})
    shards = [found[i : i + shard_skus] for i in range(0, len(found), shard_skus)]
    return await ForecastRun.create(
        status="queued" if shards else "done",
        as_of=monday,
        horizon_weeks=horizon_weeks,
        window_start=weeks.week_start(first),
        window_end=weeks.week_start(last),
        parameters={
            "models": list(models),
            "folds": folds,
            "seed": seed,
            "time_zone": time_zone,
            "shards": shards,
            "history_weeks": history_weeks,
            "warehouse_ids": warehouse_ids,
        },
        versions=forecasting.versions(),
        shards_total=len(shards),
        series_total=len(series),
    )


def unknown_models(models: tuple[str, ...]) -> bool:
    return not models or any(m not in forecasting.MODELS for m in models)


async def _covariates(
    sku: Sku, warehouse_id: int, mondays: list[date], history: int, prices: dict[date, Decimal]
) -> list[list[float]]:
    """One row per Monday (history then future) in ``forecasting.COVARIATES`` order."""
    promos = promotions.promo_weeks(
        await promotions.promotions_of(sku, mondays[0], mondays[-1] + timedelta(6)), mondays
    )
    profile = await WarehouseProfile.get_or_none(warehouse_id=warehouse_id)
    index = (
        await weather.weather_by_week(profile.region, mondays[0], mondays[-1])
        if profile and profile.region
        else {}
    )
    planned = {m: promos[m].discount for m in mondays[history:]}
    price = price_index.price_index(mondays[:history], mondays[history:], prices, planned)
    rows = []
    for monday, relative in zip(mondays, price, strict=True):
        cal = calendar.week_calendar(monday)
        p = promos[monday]
        rows.append(
            [
                float(p.discount),
                float(p.days),
                float(cal.holiday_days),
                float(cal.adjusted_workdays),
                float(cal.spring_festival),
                float(index.get(monday, Decimal(1))),
                relative,
            ]
        )
    return rows


@dataclass(frozen=True)
class ShardWork:
    run_id: int
    shard: int
    sku_ids: list[int]
    inputs: list[forecasting.SeriesInput]
    horizon: int
    folds: int
    seed: int
    models: tuple[str, ...]
    future: list[date]


async def shard_inputs(run_id: int, shard: int) -> ShardWork:
    """Reads what shard ``shard`` forecasts (and marks the run running)."""
    run = await ForecastRun.get_or_none(id=run_id)
    if run is None:
        raise NotFound("forecast run", run_id, ("runId",))
    p = run.parameters
    if not 0 <= shard < len(p["shards"]):
        raise NotFound("forecast shard", shard, ("shard",))
    sku_ids: list[int] = p["shards"][shard]
    if run.status == "queued":
        await ForecastRun.filter(id=run_id, status="queued").update(status="running")
    series = await demand.demand_history(
        run.window_start,
        run.window_end,
        sku_ids=sku_ids,
        warehouse_ids=p.get("warehouse_ids"),
        time_zone=p["time_zone"],
    )
    skus = {s.id: s for s in await Sku.filter(id__in=sku_ids)}
    future = [run.as_of + timedelta(weeks=i) for i in range(run.horizon_weeks)]
    inputs = []
    for s in series:
        mondays = [w.week_start for w in s.weeks] + future
        inputs.append(
            forecasting.SeriesInput(
                (s.sku_id, s.warehouse_id),
                [None if w.censored else float(w.quantity) for w in s.weeks],
                await _covariates(skus[s.sku_id], s.warehouse_id, mondays, len(s.weeks), s.prices),
            )
        )
    return ShardWork(
        run_id, shard, sku_ids, inputs, run.horizon_weeks, p["folds"], p["seed"], tuple(p["models"]), future
    )


def compute(work: ShardWork) -> list[forecasting.SeriesForecast]:
    """The CPU-bound part: no database, so a worker runs it in its own thread, off the event loop."""
    return forecasting.forecast_series(
        work.inputs, work.horizon, folds=work.folds, seed=work.seed, models=work.models
    )


async def shard_store(work: ShardWork, results: list[forecasting.SeriesForecast], now: datetime) -> None:
    """Replaces the shard's forecasts and counts it done, once (a redelivered shard changes nothing)."""
    async with in_transaction():
        locked = ForecastRun.filter(id=work.run_id)
        row = await (locked.select_for_update() if is_postgres() else locked).first()
        if row is None:
            raise NotFound("forecast run", work.run_id, ("runId",))
        if work.shard in row.metrics.get("shards_reported", []):
            return
        await Forecast.filter(run_id=row.id, sku_id__in=work.sku_ids).delete()
        await Forecast.bulk_create(
            [
                Forecast(
                    run_id=row.id,
                    sku_id=r.key[0],
                    warehouse_id=r.key[1],
                    week_start=monday,
                    p50=_dec(p50),
                    p90=_dec(max(p90, p50)),
                    model=r.model,
                    backtest_wape=None
                    if r.wape[r.model] == float("inf")
                    else _dec(min(r.wape[r.model], 1e5)),
                )
                for r in results
                for monday, p50, p90 in zip(work.future, r.p50, r.p90, strict=True)
            ]
        )
        row.metrics = _merge(row.metrics, work.shard, results)
        row.shards_done += 1
        _finish(row, now)
        await row.save()


async def forecast_shard(run_id: int, shard: int, now: datetime) -> int:
    """Reads, computes and stores one shard in this task (tests, the demo); returns its series count."""
    work = await shard_inputs(run_id, shard)
    results = compute(work)
    await shard_store(work, results, now)
    return len(results)


def _dec(value: float) -> Decimal:
    return Decimal(str(round(max(value, 0.0), 4)))


def _merge(metrics: dict[str, Any], shard: int, results: list[forecasting.SeriesForecast]) -> dict[str, Any]:
    models: dict[str, Any] = metrics.get("models", {})
    chosen = Counter(r.model for r in results)
    for r in results:
        for name, wape in r.wape.items():
            m = models.setdefault(name, {"wape_sum": 0.0, "series": 0, "chosen": 0})
            if wape != float("inf"):
                m["wape_sum"] += wape
                m["series"] += 1
    for name, count in chosen.items():
        models.setdefault(name, {"wape_sum": 0.0, "series": 0, "chosen": 0})["chosen"] += count
    for m in models.values():
        m["mean_wape"] = round(m["wape_sum"] / m["series"], 4) if m["series"] else None
    return {**metrics, "models": models, "shards_reported": [*metrics.get("shards_reported", []), shard]}


def _finish(row: ForecastRun, now: datetime) -> None:
    if row.shards_done + row.shards_failed >= row.shards_total:
        row.status = "failed" if row.shards_failed else "done"
        row.finished_at = now


async def forecast_shard_failed(run_id: int, shard: int, error: str, now: datetime) -> None:
    """Records a shard that failed for good (retries exhausted or over its time limit)."""
    async with in_transaction():
        locked = ForecastRun.filter(id=run_id)
        row = await (locked.select_for_update() if is_postgres() else locked).first()
        if row is None or shard in row.metrics.get("shards_reported", []):
            return
        row.shards_failed += 1
        row.error = (row.error + f"shard {shard}: {error}\n")[-4000:]
        row.metrics = {**row.metrics, "shards_reported": [*row.metrics.get("shards_reported", []), shard]}
        _finish(row, now)
        await row.save()

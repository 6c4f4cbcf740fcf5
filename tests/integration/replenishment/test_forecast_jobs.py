"""Forecast runs as Dramatiq jobs on Redis: shards run on a worker, progress and metrics land on the run,
a re-delivered shard counts once, a shard that keeps failing is recorded, and suggestions use the forecast."""

import asyncio
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from api.relay import encode_id
from domain.catalog import services as catalog
from domain.replenishment import forecast_runs, suggestions
from domain.replenishment.models import Forecast, ForecastRun, Suggestion
from domain.sales import services as sales
from domain.sales import shipments
from lotline.config import Settings
from tests import factories
from tests.integration.replenishment.conftest import token_for
from workers import broker as broker_mod
from workers import forecasting as jobs
from workers.runtime import Runtime

START = date(2034, 1, 2)  # a Monday, far from other tests' dates (the database is shared)
WEEKS = 20
AS_OF = START + timedelta(weeks=WEEKS)
MODELS = ("seasonal_naive", "croston_tsb", "lightgbm")
RUNS = """
query { forecastRuns(status: "done", first: 200) { edges { node {
  id status progress shardsTotal metrics { model meanWape chosen } forecasts { weekStart p50 p90 model }
} } } }"""


async def two_skus_with_history():
    """Two SKUs in one warehouse: one steady (10-14 a week), one intermittent (6 every third week)."""
    steady, sparse = await factories.make_sku(), await factories.make_sku()
    wh, supplier, customer = (
        await factories.make_warehouse(),
        await factories.make_supplier(),
        await factories.make_customer(),
    )
    opening = datetime(2033, 12, 31, tzinfo=UTC)
    for sku, quantity in ((steady, Decimal(250)), (sparse, Decimal(60))):  # 10 and 18 left at the end
        await factories.receive(sku, wh, supplier, quantity, received_at=opening)
    for week in range(WEEKS):
        lines = [catalog.OrderLineInput(steady.code, Decimal(10 + week % 5), "kg", Decimal(20))]
        if week % 3 == 0:
            lines.append(catalog.OrderLineInput(sparse.code, Decimal(6), "kg", Decimal(20)))
        posted = await sales.sales_order_create(customer.code, wh.code, lines)
        await sales.sales_order_confirm(posted.document_id, opening)
        order_lines = await sales.SalesOrderLine.filter(order_id=posted.document_id).order_by("id")
        shipped = datetime.combine(START + timedelta(weeks=week, days=2), datetime.min.time(), UTC)
        await shipments.shipment_post(
            posted.document_id,
            [shipments.ShipmentLineInput(ln.id, ln.quantity) for ln in order_lines],
            shipped,
        )
    return steady, sparse, wh


async def wait_for(run_id: int, seconds: float = 240) -> ForecastRun:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        run = await ForecastRun.get(id=run_id)
        if run.status in {"done", "failed"}:
            return run
        await asyncio.sleep(0.5)
    raise AssertionError(f"run {run_id} still {run.status} ({run.shards_done}/{run.shards_total})")


async def test_a_run_sharded_by_sku_is_forecast_by_workers_on_redis(db, pg_url, redis_url, gql):
    steady, sparse, wh = await two_skus_with_history()
    run = await forecast_runs.forecast_run_create(
        AS_OF,
        horizon_weeks=4,
        history_weeks=WEEKS,
        shard_skus=1,
        folds=3,
        models=MODELS,
        sku_ids=[steady.id, sparse.id],
    )
    assert (run.status, run.shards_total, run.series_total) == ("queued", 2, 2)
    settings = Settings(database_url=pg_url, redis_url=redis_url, db_pool_max=2)
    broker = broker_mod.make_broker(settings)
    broker.flush_all()
    runtime = Runtime(settings).start()
    actor = jobs.declare_actors(
        broker, runtime, jobs.ForecastingConfig(min_backoff_ms=100, max_backoff_ms=200)
    )
    worker = broker_mod.make_worker(broker)
    worker.start()
    try:
        jobs.send_shards(actor, run.id, run.shards_total)
        actor.send(run.id, 0)  # a duplicate delivery of shard 0
        done = await wait_for(run.id)
        worker.join()
    finally:
        worker.stop()
        broker.close()
        runtime.stop()
    assert (done.status, done.shards_done, done.shards_failed, done.error) == ("done", 2, 0, "")
    assert sorted(done.metrics["shards_reported"]) == [0, 1]
    assert set(done.metrics["models"]) == set(MODELS)
    assert sum(m["chosen"] for m in done.metrics["models"].values()) == 2
    assert set(done.versions) >= {"darts", "statsforecast", "lightgbm"}
    rows = await Forecast.filter(run_id=run.id).order_by("sku_id", "week_start")
    assert len(rows) == 2 * 4
    assert all(r.p90 >= r.p50 >= 0 for r in rows)
    assert [r.week_start for r in rows[:4]] == [AS_OF + timedelta(weeks=i) for i in range(4)]
    runs = await gql(RUNS, {}, await token_for("buyer"))
    run_gid = encode_id("ForecastRun", run.id)
    # This run by its ID: other tests of the session leave finished two-shard runs too.
    [node] = [e["node"] for e in runs["data"]["forecastRuns"]["edges"] if e["node"]["id"] == run_gid]
    assert (node["status"], node["progress"], len(node["forecasts"])) == ("done", 1.0, 8)
    assert {m["model"] for m in node["metrics"]} == set(MODELS)
    # Suggestions now read the run's forecast.
    await suggestions.suggestions_generate(wh.id, AS_OF, sku_ids=[steady.id, sparse.id])
    suggestion = await Suggestion.get(sku_id=steady.id, warehouse_id=wh.id)
    assert suggestion.explanation["forecast_source"] == "forecast_run"
    assert suggestion.explanation["forecast_run_id"] == run.id


async def test_a_shard_that_keeps_failing_is_recorded_on_the_run(db, pg_url, redis_url):
    steady, _, _ = await two_skus_with_history()
    run = await forecast_runs.forecast_run_create(
        AS_OF, horizon_weeks=2, history_weeks=WEEKS, folds=3, models=MODELS, sku_ids=[steady.id]
    )
    run.window_start = run.window_end  # one week of history: the forecaster refuses it
    await run.save()
    settings = Settings(database_url=pg_url, redis_url=redis_url, db_pool_max=2)
    broker = broker_mod.make_broker(settings)
    broker.flush_all()
    runtime = Runtime(settings).start()
    config = jobs.ForecastingConfig(max_retries=1, min_backoff_ms=50, max_backoff_ms=100)
    actor = jobs.declare_actors(broker, runtime, config)
    worker = broker_mod.make_worker(broker)
    worker.start()
    try:
        jobs.send_shards(actor, run.id, run.shards_total)
        done = await wait_for(run.id, 120)
    finally:
        worker.stop()
        broker.close()
        runtime.stop()
    assert (done.status, done.shards_done, done.shards_failed) == ("failed", 0, 1)
    assert done.error == "shard 0: gave up after 1 retries\n"
    assert await Forecast.filter(run_id=run.id).count() == 0

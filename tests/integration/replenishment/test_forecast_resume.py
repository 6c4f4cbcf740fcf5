"""Forecast runs survive restarts and lost dispatches, and every shard runs once: a run interrupted after k
of n shards completes when the server's sweep starts again (PostgreSQL and SQLite), concurrent sweeps and
the mutation's own task split the shards without running one twice, leases expire and are reclaimed by
their own message, and a run whose dispatch was lost is queued again and finished once by Redis workers."""

import asyncio
import collections
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from domain.catalog import services as catalog
from domain.common.models import OutboxMessage
from domain.replenishment import forecast_resume, forecast_runs, forecast_start
from domain.replenishment.models import Forecast, ForecastRun
from domain.sales import services as sales
from domain.sales import shipments
from lotline.config import Settings
from tests import factories
from tests.integration.replenishment.test_forecast_jobs import wait_for
from workers import broker as broker_mod
from workers import forecast_sweep
from workers import forecasting as jobs
from workers.runtime import Runtime

START = datetime(2035, 1, 1, tzinfo=UTC).date()  # a Monday, apart from the other forecast tests' dates
WEEKS = 14
AS_OF = START + timedelta(weeks=WEEKS)
HORIZON = 3
MODELS = ("seasonal_naive", "croston_tsb")
Calls = collections.Counter[tuple[int, int]]


async def skus_with_history(n: int) -> list[int]:
    """``n`` SKUs shipped from one warehouse every week (a sales order per week, a line per SKU)."""
    skus = [await factories.make_sku() for _ in range(n)]
    wh, supplier, customer = (
        await factories.make_warehouse(),
        await factories.make_supplier(),
        await factories.make_customer(),
    )
    opening = datetime(2034, 12, 30, tzinfo=UTC)
    for sku in skus:
        await factories.receive(sku, wh, supplier, Decimal(500), received_at=opening)
    for week in range(WEEKS):
        lines = [
            catalog.OrderLineInput(s.code, Decimal(5 + (week + i) % 4), "kg", Decimal(20))
            for i, s in enumerate(skus)
        ]
        posted = await sales.sales_order_create(customer.code, wh.code, lines)
        await sales.sales_order_confirm(posted.document_id, opening)
        order_lines = await sales.SalesOrderLine.filter(order_id=posted.document_id).order_by("id")
        shipped = datetime.combine(START + timedelta(weeks=week, days=2), datetime.min.time(), UTC)
        await shipments.shipment_post(
            posted.document_id,
            [shipments.ShipmentLineInput(ln.id, ln.quantity) for ln in order_lines],
            shipped,
        )
    return [s.id for s in skus]


async def planned_run(n: int) -> ForecastRun:
    run = await forecast_runs.forecast_run_create(
        AS_OF,
        horizon_weeks=HORIZON,
        history_weeks=WEEKS,
        shard_skus=1,
        folds=2,
        models=MODELS,
        sku_ids=await skus_with_history(n),
    )
    assert (run.status, run.shards_total) == ("queued", n)
    return run


@pytest.fixture
def computed(monkeypatch: pytest.MonkeyPatch) -> Calls:
    """Counts every shard computation by (run id, shard); each takes a little while, so claims overlap."""
    calls: Calls = collections.Counter()
    real = forecast_runs.compute

    def counting(work: forecast_runs.ShardWork) -> Any:
        calls[(work.run_id, work.shard)] += 1
        time.sleep(0.2)
        return real(work)

    monkeypatch.setattr(forecast_runs, "compute", counting)
    return calls


def of_run(calls: Calls, run_id: int) -> dict[tuple[int, int], int]:
    return {key: c for key, c in calls.items() if key[0] == run_id}


def _now() -> datetime:
    return datetime.now(UTC)


async def interrupted_then_restarted(
    settings: Settings, computed: collections.Counter[tuple[int, int]]
) -> None:
    n, k = 4, 1
    run = await planned_run(n)
    for shard in range(k):  # the first server ran k shards ...
        await forecast_runs.forecast_shard(run.id, shard, _now())
    # ... and died computing shard k: its lease is left behind, expired by the time the server is back.
    assert await forecast_resume.claim_shard(run.id, k, "dead-server", _now() - timedelta(hours=1), 120)
    assert (await ForecastRun.get(id=run.id)).status == "running"
    computed.clear()
    async with forecast_sweep.embedded(settings, forecast_sweep.SweepConfig(sweep_seconds=0.2)):
        done = await wait_for(run.id)
    assert (done.status, done.shards_done, done.shards_failed, done.error) == ("done", n, 0, "")
    assert sorted(done.metrics["shards_reported"]) == list(range(n))
    assert of_run(computed, run.id) == {(run.id, s): 1 for s in range(k, n)}
    assert await Forecast.filter(run_id=run.id).count() == n * HORIZON
    assert all(v["owner"] != "dead-server" for v in done.metrics["leases"].values())


async def test_an_interrupted_run_completes_after_a_restart_on_postgresql(db, pg_url, computed):
    await interrupted_then_restarted(Settings(database_url=pg_url), computed)


async def test_an_interrupted_run_completes_after_a_restart_on_sqlite(sqlite_db, tmp_path, computed):
    await interrupted_then_restarted(
        Settings(database_url=f"sqlite://{tmp_path / 'lotline.sqlite3'}"), computed
    )


async def test_concurrent_sweeps_and_the_start_task_run_each_shard_once(db, computed):
    run = await planned_run(3)
    await asyncio.gather(
        forecast_resume.resume_in_process(forecast_resume.process_owner(), _now),
        forecast_resume.resume_in_process(forecast_resume.process_owner(), _now),
        forecast_start.forecast_run_in_process(run.id, _now),
    )
    done = await ForecastRun.get(id=run.id)
    assert (done.status, done.shards_done) == ("done", 3)
    assert of_run(computed, run.id) == {(run.id, s): 1 for s in range(3)}


async def test_leases_block_others_expire_and_are_reclaimed_by_their_owner(db):
    run = await planned_run(3)  # not 2: other tests look for their own 2-shard runs in the shared database
    t0 = _now()
    assert await forecast_resume.claim_shard(run.id, 0, "message:a", t0, 60)
    assert not await forecast_resume.claim_shard(run.id, 0, "message:b", t0 + timedelta(seconds=59), 60)
    # the same message redelivered after its worker died takes its lease back at once
    assert await forecast_resume.claim_shard(run.id, 0, "message:a", t0 + timedelta(seconds=30), 60)
    assert not await forecast_resume.claim_shard(run.id, 0, "message:b", t0 + timedelta(seconds=89), 60)
    assert await forecast_resume.claim_shard(run.id, 0, "message:b", t0 + timedelta(seconds=91), 60)
    assert not await forecast_resume.claim_shard(run.id, 5, "message:b", t0, 60)  # no such shard
    assert await forecast_resume.claim_shard(run.id, 1, "server", t0, 60)
    assert await forecast_resume.release_owner("server") == 1
    assert await forecast_resume.claim_shard(run.id, 1, "other", t0 + timedelta(seconds=1), 60)
    await forecast_runs.forecast_shard(run.id, 0, _now())
    assert not await forecast_resume.claim_shard(run.id, 0, "message:b", t0 + timedelta(hours=1), 60)


async def test_a_lost_dispatch_is_sent_again_and_redis_workers_run_each_shard_once(
    db, pg_url, redis_url, computed
):
    run = await planned_run(3)  # planned, but its outbox row never reached the workers
    now = _now() + timedelta(seconds=1)
    last = await OutboxMessage.all().order_by("-id").values_list("id", flat=True)
    assert run.id in await forecast_sweep.redispatch_stale(now, stale_seconds=0)
    rows = OutboxMessage.filter(id__gt=last[0] if last else 0)
    sent = await rows.filter(topic=forecast_start.FORECAST_RUN_TOPIC).values_list("payload", flat=True)
    assert sent.count({"run_id": run.id}) == 1
    assert run.id not in await forecast_sweep.redispatch_stale(now + timedelta(seconds=30), stale_seconds=60)
    await rows.update(relayed_at=now)  # as the relay does (other tests count the rows left unrelayed)
    settings = Settings(database_url=pg_url, redis_url=redis_url, db_pool_max=2)
    broker = broker_mod.make_broker(settings)
    broker.flush_all()
    runtime = Runtime(settings).start()
    [dispatch] = set(jobs.declare_consumer(broker, runtime).values())
    worker = broker_mod.make_worker(broker)
    worker.start()
    try:
        dispatch.send({"run_id": run.id})  # what the relay hands on ...
        dispatch.send({"run_id": run.id})  # ... and a second copy: every shard is sent twice
        done = await wait_for(run.id)
        worker.join()
    finally:
        worker.stop()
        broker.close()
        runtime.stop()
    assert (done.status, done.shards_done, done.shards_failed) == ("done", 3, 0)
    assert of_run(computed, run.id) == {(run.id, s): 1 for s in range(3)}
    assert "dispatched_at" in done.metrics

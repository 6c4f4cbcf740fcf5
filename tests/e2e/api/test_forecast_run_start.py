"""``forecastRunStart`` over GraphQL: a buyer starts a run; a real Dramatiq worker on Redis (through the
outbox relay) or the server itself (no broker) forecasts it; the run's progress reaches 1 in GraphQL. The
key replays, a reused key with another request conflicts, roles and store scope are checked, bad input is
typed."""

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from typing import Any

import httpx
import pytest

from api.app import create_app
from domain.common.models import OutboxMessage
from domain.replenishment.models import Forecast, StoreAssignment
from lotline.config import Settings
from tests.integration.replenishment.test_forecast_jobs import AS_OF, WEEKS, two_skus_with_history
from workers import broker as broker_mod
from workers import forecasting as jobs
from workers import relay
from workers.runtime import Runtime

START = """
mutation($input: ForecastRunStartInput!) { forecastRunStart(input: $input) {
  __typename
  ... on ForecastRunStarted { replayed inProcess run { id status progress shardsTotal seriesTotal } }
  ... on UserError { code message path }
} }"""
RUN = """
query($id: ID!) { node(id: $id) { ... on ForecastRun {
  status progress shardsDone shardsFailed metrics { model chosen } forecasts { weekStart p50 p90 model }
} } }"""
MODELS = ["seasonal_naive", "croston_tsb", "lightgbm"]


@pytest.fixture
async def redis_gql(db: object, pg_url: str, redis_url: str) -> AsyncIterator[Callable[..., Awaitable[Any]]]:
    app = create_app(Settings(database_url=pg_url, redis_url=redis_url), manage_database=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:

        async def call(query: str, variables: dict[str, Any], token: str) -> Any:
            response = await client.post(
                "/graphql",
                json={"query": query, "variables": variables},
                headers={"Authorization": f"Bearer {token}"},
            )
            assert response.status_code == 200, response.text
            return response.json()

        yield call


def start_input(steady: Any, sparse: Any, key: str, **extra: Any) -> dict[str, Any]:
    return {
        "input": {
            "asOf": AS_OF.isoformat(),
            "horizonWeeks": 4,
            "historyWeeks": WEEKS,
            "shardSkus": 1,
            "folds": 3,
            "models": MODELS,
            "skuCodes": [steady.code, sparse.code],
            "idempotencyKey": key,
            **extra,
        }
    }


async def poll_done(gql: Callable[..., Awaitable[Any]], run_id: str, token: str) -> dict[str, Any]:
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        node = (await gql(RUN, {"id": run_id}, token))["data"]["node"]
        if node["status"] in {"done", "failed"}:
            return dict(node)
        await asyncio.sleep(0.5)
    raise AssertionError(f"run {run_id} did not finish: {node}")


async def test_a_buyer_starts_a_run_that_a_dramatiq_worker_on_redis_forecasts(
    redis_gql, pg_url, redis_url, token_for, unique
):
    steady, sparse, _ = await two_skus_with_history()
    buyer = await token_for("buyer")
    key = unique("fr")

    started = (await redis_gql(START, start_input(steady, sparse, key), buyer))["data"]["forecastRunStart"]
    again = (await redis_gql(START, start_input(steady, sparse, key), buyer))["data"]["forecastRunStart"]
    other = (await redis_gql(START, start_input(steady, sparse, key, horizonWeeks=5), buyer))["data"][
        "forecastRunStart"
    ]

    assert started["__typename"] == "ForecastRunStarted"
    assert (started["replayed"], started["inProcess"]) == (False, False)
    assert started["run"] == {
        "id": started["run"]["id"],
        "status": "queued",
        "progress": 0.0,
        "shardsTotal": 2,
        "seriesTotal": 2,
    }
    assert (again["replayed"], again["run"]["id"]) == (True, started["run"]["id"])
    assert (other["__typename"], other["code"], other["path"]) == ("Conflict", "CONFLICT", ["idempotencyKey"])
    assert await OutboxMessage.filter(topic="forecast.run", relayed_at=None).count() == 1

    settings = Settings(database_url=pg_url, redis_url=redis_url, db_pool_max=2)
    broker = broker_mod.make_broker(settings)
    broker.flush_all()
    runtime = Runtime(settings).start()
    actors = jobs.declare_consumer(broker, runtime, jobs.ForecastingConfig(min_backoff_ms=100))
    worker = broker_mod.make_worker(broker)
    worker.start()
    try:
        relayed = await relay.relay_batch(lambda topic, payload: actors[topic].send(payload), jobs.TOPICS)
        done = await poll_done(redis_gql, started["run"]["id"], buyer)
    finally:
        worker.stop()
        broker.close()
        runtime.stop()

    assert relayed == 1
    assert (done["status"], done["progress"], done["shardsDone"], done["shardsFailed"]) == ("done", 1.0, 2, 0)
    assert sum(m["chosen"] for m in done["metrics"]) == 2
    assert len(done["forecasts"]) == 2 * 4
    assert all(float(f["p90"]) >= float(f["p50"]) >= 0 for f in done["forecasts"])
    assert {f["weekStart"] for f in done["forecasts"]} == {
        (AS_OF + timedelta(weeks=i)).isoformat() for i in range(4)
    }


async def test_without_a_broker_the_server_runs_the_started_run_itself(gql, token_for, unique):
    steady, sparse, _ = await two_skus_with_history()
    buyer = await token_for("buyer")

    started = (await gql(START, start_input(steady, sparse, unique("fr")), buyer))["data"]["forecastRunStart"]
    done = await poll_done(gql, started["run"]["id"], buyer)

    assert (started["__typename"], started["inProcess"]) == ("ForecastRunStarted", True)
    assert (done["status"], done["progress"], done["shardsDone"]) == ("done", 1.0, 2)
    assert len(done["forecasts"]) == 8
    assert await Forecast.filter(sku_id__in=[steady.id, sparse.id]).count() == 8
    assert await OutboxMessage.filter(topic="forecast.run", relayed_at=None).count() == 0


async def test_roles_scope_and_bad_input_come_back_typed_and_start_nothing(gql, token_for, unique):
    steady, sparse, wh = await two_skus_with_history()
    manager_token = await token_for("store_manager")
    before = await Forecast.all().count()

    async def start(token: str, **extra: Any) -> dict[str, Any]:
        body = await gql(START, start_input(steady, sparse, unique("fr"), **extra), token)
        return dict(body["data"]["forecastRunStart"])

    warehouse_manager = await start(await token_for("warehouse"))
    outside = await start(manager_token, warehouseCodes=[wh.code])
    too_far = await start(await token_for("buyer"), horizonWeeks=99)
    no_model = await start(await token_for("buyer"), models=["prophet"])
    unknown_sku = await start(await token_for("buyer"), skuCodes=[steady.code, "NO-SUCH-SKU"])

    assert warehouse_manager["code"] == "FORBIDDEN"
    assert (outside["code"], outside["path"]) == ("NOT_FOUND", ["warehouseCodes"])
    assert (too_far["__typename"], too_far["code"]) == ("ValidationError", "VALIDATION")
    assert "horizonWeeks" in too_far["path"]
    assert (no_model["code"], no_model["path"]) == ("VALIDATION", ["models"])
    assert (unknown_sku["code"], unknown_sku["path"]) == ("NOT_FOUND", ["skuCodes", "1"])
    assert await Forecast.all().count() == before


async def test_a_store_manager_forecasts_only_its_own_stores(gql, token_for, unique):
    from domain.partners import services as partners

    steady, sparse, wh = await two_skus_with_history()
    principal = await partners.create_user(unique("m").lower(), "correct-horse-battery", "store_manager")
    await StoreAssignment.create(user_id=principal.user_id, warehouse_id=wh.id)
    token = await partners.issue_token(principal.user_id)

    body = await gql(START, start_input(steady, sparse, unique("fr"), warehouseCodes=[wh.code]), token)

    started = body["data"]["forecastRunStart"]
    assert (started["__typename"], started["run"]["seriesTotal"]) == ("ForecastRunStarted", 2)
    await poll_done(gql, started["run"]["id"], token)

"""Forecasting jobs: one Dramatiq message per shard (a group of SKUs) of a forecast run.

The actor reads its shard's inputs on the runtime's loop, computes in its own worker thread (CPU-bound Darts
fits would otherwise block every other actor's database work on that loop), and stores the result on the
loop again. Retries: ``max_retries`` with backoff; a shard over ``shard_time_limit_seconds`` is interrupted by
Dramatiq's time limit and retried; once retries are exhausted, the ``forecast_shard_failed`` actor records
it on the run. Scaling out is more worker processes on the same Redis (each process gets its own GIL).

A run started through GraphQL (``forecastRunStart``) reaches the workers through the outbox: the relay hands
its ``forecast.run`` row to ``forecast_run_dispatch``, which sends the run's unreported shards (a redelivered
row sends them again; a shard stores once). Each shard is claimed first (``forecast_resume.claim_shard``, a
lease owned by the message id): a duplicate message finds it reported or leased and does nothing, and the
same message redelivered after its worker died (the Redis broker requeues a dead worker's unacknowledged
messages once its heartbeat times out) reclaims its own lease and runs it. A dispatch lost altogether is
queued again by the sweep in ``workers.forecast_sweep`` (``lotline serve``).
"""

import logging
from datetime import UTC, datetime
from typing import Any

import dramatiq
from dramatiq.middleware import CurrentMessage
from pydantic_settings import BaseSettings, SettingsConfigDict

from domain.replenishment import forecast_resume, forecast_runs, forecast_start
from workers.runtime import Runtime

log = logging.getLogger(__name__)
QUEUE = "forecasting"
SHARD_ACTOR = "forecast_shard"
FAILED_ACTOR = "forecast_shard_failed"
DISPATCH_ACTOR = "forecast_run_dispatch"
TOPICS = (forecast_start.FORECAST_RUN_TOPIC,)


class ForecastingConfig(BaseSettings):
    # TODO(lead): fold into lotline.config.Settings; kept here so this area edits no shared file.
    model_config = SettingsConfigDict(env_prefix="LOTLINE_FORECAST_", extra="ignore")

    shard_time_limit_seconds: float = 900.0
    max_retries: int = 2
    min_backoff_ms: int = 1000
    max_backoff_ms: int = 30_000


def _now() -> datetime:
    return datetime.now(UTC)


def declare_actors(
    broker: dramatiq.Broker, runtime: Runtime, config: ForecastingConfig | None = None
) -> "dramatiq.Actor[Any, Any]":
    """Declares the shard actor and its give-up handler on ``broker``; returns the shard actor."""
    config = config or ForecastingConfig()

    if not any(isinstance(m, CurrentMessage) for m in broker.middleware):
        broker.add_middleware(CurrentMessage())
    # A lease outlives the shard's time limit, after which Dramatiq retries the same message (same id).
    lease_seconds = config.shard_time_limit_seconds + 60

    def forecast_shard(run_id: int, shard: int) -> None:
        message = CurrentMessage.get_current_message()
        owner = f"message:{message.message_id}" if message else forecast_resume.process_owner()
        if not runtime.run(forecast_resume.claim_shard(run_id, shard, owner, _now(), lease_seconds)):
            log.info("forecast run %s shard %s: reported or leased by another, skipped", run_id, shard)
            return
        work = runtime.run(forecast_runs.shard_inputs(run_id, shard))
        results = forecast_runs.compute(work)
        runtime.run(forecast_runs.shard_store(work, results, _now()))
        log.info("forecast run %s shard %s: %s series", run_id, shard, len(results))

    def forecast_shard_failed(message: dict[str, Any], retry: dict[str, Any]) -> None:
        run_id, shard = message["args"]
        error = f"gave up after {retry.get('retries', '?')} retries"
        runtime.run(forecast_runs.forecast_shard_failed(run_id, shard, error, _now()))

    dramatiq.Actor(
        forecast_shard_failed,
        broker=broker,
        actor_name=FAILED_ACTOR,
        queue_name=QUEUE,
        priority=0,
        options={"max_retries": 3},
    )
    return dramatiq.Actor(
        forecast_shard,
        broker=broker,
        actor_name=SHARD_ACTOR,
        queue_name=QUEUE,
        priority=10,
        options={
            "max_retries": config.max_retries,
            "min_backoff": config.min_backoff_ms,
            "max_backoff": config.max_backoff_ms,
            "time_limit": int(config.shard_time_limit_seconds * 1000),
            "on_retry_exhausted": FAILED_ACTOR,
        },
    )


def send_shards(actor: "dramatiq.Actor[Any, Any]", run_id: int, shards: int) -> None:
    for shard in range(shards):
        actor.send(run_id, shard)


def declare_consumer(
    broker: dramatiq.Broker, runtime: Runtime, config: ForecastingConfig | None = None
) -> "dict[str, dramatiq.Actor[Any, Any]]":
    """The shard actors and the dispatcher of the ``forecast.run`` outbox topic; returns topic -> actor."""
    shard_actor = declare_actors(broker, runtime, config)

    def forecast_run_dispatch(payload: dict[str, Any]) -> None:
        run_id = int(payload["run_id"])
        shards = runtime.run(forecast_start.unreported_shards(run_id))
        for shard in shards:
            shard_actor.send(run_id, shard)
        runtime.run(forecast_resume.mark_dispatched(run_id, _now()))
        log.info("forecast run %s: %s shards sent", run_id, len(shards))

    dispatch = dramatiq.Actor(
        forecast_run_dispatch,
        broker=broker,
        actor_name=DISPATCH_ACTOR,
        queue_name=QUEUE,
        priority=0,
        options={"max_retries": 5},
    )
    return dict.fromkeys(TOPICS, dispatch)

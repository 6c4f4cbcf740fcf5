"""``lotline worker``: the outbox relay, the periodic anchoring round and the Dramatiq worker, in one process.

Without ``LOTLINE_REDIS_URL`` the broker is Dramatiq's stub broker and its worker runs here, in-process.
Without ``LOTLINE_CHAIN_RPC_URL`` nothing is anchored: trace events wait, pending, for a chain.
"""

import asyncio
import logging
import signal
import threading
from collections.abc import Callable
from typing import Any

import dramatiq

from lotline.config import Settings, get_settings
from workers import attestations, channels, expiry, forecasting, health, relay
from workers import broker as broker_mod
from workers.anchoring import TOPICS as ANCHOR_TOPICS
from workers.anchoring import Anchorer, AnchoringConfig, declare_actor
from workers.runtime import Runtime

log = logging.getLogger(__name__)
ATTESTATION_SWEEP_SECONDS = 60.0


async def _tick_forever(anchorer: Anchorer, every: float) -> None:
    # Rounds also run without messages: events whose message was lost (Redis restarted) still get anchored.
    # The chain's own ups and downs are logged by the anchorer; an unexpected failure gets its traceback
    # once, and again only when it changes (not every tick while, say, the database is away).
    last_failure = ""
    while True:
        try:
            await anchorer.run_round()
            if last_failure:
                log.info("anchoring rounds succeed again")
            last_failure = ""
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            failure = f"{type(exc).__name__}: {exc}"
            if failure != last_failure:
                log.exception("anchoring round failed (logged again only when the failure changes)")
            last_failure = failure
        await asyncio.sleep(every)


def declare_consumers(
    broker: dramatiq.Broker,
    runtime: Runtime,
    anchorer: Anchorer | None,
    channel_worker: channels.ChannelWorker | None = None,
    submitter: attestations.Submitter | None = None,
) -> "dict[str, dramatiq.Actor[Any, Any]]":
    """The actor of each outbox topic (``domain.common.outbox.CONSUMERS``) this worker serves.

    ``trace.anchor`` and ``attestations.submit`` need a chain: without one their rows wait, unrelayed, for a
    worker that has it. Forecast runs (issue 12): the shard actors on queue "forecasting" and the
    ``forecast.run`` dispatcher.
    """
    actors: dict[str, dramatiq.Actor[Any, Any]] = forecasting.declare_consumer(broker, runtime)
    actors |= health.declare_actors(broker, runtime)[0]
    if submitter is not None:
        actors |= dict.fromkeys(attestations.TOPICS, attestations.declare_actor(broker, runtime, submitter))
    if anchorer is not None:
        actors |= dict.fromkeys(ANCHOR_TOPICS, declare_actor(broker, runtime, anchorer))
    if channel_worker is not None:
        actors |= channels.declare_actors(broker, runtime, channel_worker)
    return actors


async def supervise(
    settings: Settings,
    anchorer: Anchorer | None,
    config: AnchoringConfig,
    send: relay.Send,
    channel_worker: channels.ChannelWorker | None = None,
    scan: Callable[[], None] | None = None,
    health_scan: Callable[[], None] | None = None,
    submitter: attestations.Submitter | None = None,
) -> None:
    topics = (
        *(ANCHOR_TOPICS if anchorer else ()),
        *(channels.TOPICS if channel_worker else ()),
        *health.TOPICS,
        *(attestations.TOPICS if submitter else ()),
        *forecasting.TOPICS,
    )
    tasks = [asyncio.create_task(relay.relay_forever(send, topics))]
    # What the broker lost or the retries gave up on (an outage delays, never drops).
    if submitter is not None:
        tasks.append(asyncio.create_task(attestations.sweep_forever(submitter, ATTESTATION_SWEEP_SECONDS)))
    if channel_worker is not None:
        tasks.append(asyncio.create_task(channel_worker.run_forever(channels.ChannelsConfig())))
    if scan is not None:  # the scheduled expiry scan (alerts, promotion proposals, expiring lots)
        tasks.append(asyncio.create_task(expiry.schedule_forever(scan, settings.expiry_scan_seconds)))
    if health_scan is not None:  # the data-health scan that stores and notifies alerts
        every = health.HealthConfig().scan_seconds
        tasks.append(asyncio.create_task(health.schedule_forever(health_scan, every)))
    if anchorer is not None:
        tasks.append(asyncio.create_task(_tick_forever(anchorer, config.tick_seconds)))
        tasks.append(asyncio.create_task(anchorer.heartbeat_forever()))
    try:
        await asyncio.gather(*tasks)
    finally:
        for task in tasks:
            task.cancel()
        if anchorer is not None:
            await anchorer.close()
        if channel_worker is not None:
            await channel_worker.close()


def run(settings: Settings | None = None, stop: threading.Event | None = None) -> None:
    """Runs until SIGINT / SIGTERM (or ``stop`` is set, for tests)."""
    settings = settings or get_settings()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
    config = AnchoringConfig()
    broker = broker_mod.make_broker(settings)
    runtime = Runtime(settings).start()
    anchorer = Anchorer.from_settings(settings, config) if settings.chain_rpc_url else None
    channel_worker = channels.ChannelWorker.from_settings(settings)
    submitter = attestations.Submitter.from_settings(settings)
    actors = declare_consumers(broker, runtime, anchorer, channel_worker, submitter)
    if anchorer is None:
        log.warning("no LOTLINE_CHAIN_RPC_URL: trace events are not anchored")

    def send(topic: str, payload: dict[str, Any]) -> None:
        actors[topic].send(payload)

    scan_actor = expiry.declare_actor(broker, runtime)
    health_scan_actor = broker.get_actor(health.SCAN_ACTOR)

    def send_scan() -> None:
        scan_actor.send({})

    def send_health_scan() -> None:
        health_scan_actor.send({})

    worker = broker_mod.make_worker(broker)
    worker.start()
    future = runtime.spawn(
        supervise(
            settings,
            anchorer,
            config,
            send,
            channel_worker,
            send_scan,
            health_scan=send_health_scan,
            submitter=submitter,
        )
    )
    log.info("worker running (broker %s)", type(broker).__name__)
    try:
        while not stop.wait(0.5):
            if future.done():
                future.result()  # re-raise what ended the supervisor
                break
    finally:
        future.cancel()
        worker.stop()
        broker.close()
        runtime.stop()

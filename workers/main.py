"""``lotline worker``: the outbox relay, the periodic anchoring round and the Dramatiq worker, in one process.

Without ``LOTLINE_REDIS_URL`` the broker is Dramatiq's stub broker and its worker runs here, in-process.
Without ``LOTLINE_CHAIN_RPC_URL`` nothing is anchored: trace events wait, pending, for a chain.
"""

import asyncio
import logging
import signal
import threading
from typing import Any

from lotline.config import Settings, get_settings
from workers import broker as broker_mod
from workers import forecasting, relay
from workers.anchoring import TOPICS as ANCHOR_TOPICS
from workers.anchoring import Anchorer, AnchoringConfig, declare_actor
from workers.runtime import Runtime

log = logging.getLogger(__name__)


async def _tick_forever(anchorer: Anchorer, every: float) -> None:
    # Rounds also run without messages: events whose message was lost (Redis restarted) still get anchored.
    while True:
        try:
            await anchorer.run_round()
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("anchoring round failed")
        await asyncio.sleep(every)


async def supervise(
    settings: Settings, anchorer: Anchorer | None, config: AnchoringConfig, send: relay.Send
) -> None:
    tasks = [asyncio.create_task(relay.relay_forever(send, ANCHOR_TOPICS if anchorer else ()))]
    if anchorer is not None:
        tasks.append(asyncio.create_task(_tick_forever(anchorer, config.tick_seconds)))
    try:
        await asyncio.gather(*tasks)
    finally:
        for task in tasks:
            task.cancel()
        if anchorer is not None:
            await anchorer.close()


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
    forecasting.declare_actors(broker, runtime)  # forecast shards (issue 12): queue "forecasting"
    anchorer = Anchorer.from_settings(settings, config) if settings.chain_rpc_url else None
    actors: dict[str, Any] = {}
    if anchorer is not None:
        actor = declare_actor(broker, runtime, anchorer)
        actors = dict.fromkeys(ANCHOR_TOPICS, actor)
    else:
        log.warning("no LOTLINE_CHAIN_RPC_URL: trace events are not anchored")

    def send(topic: str, payload: dict[str, Any]) -> None:
        actors[topic].send(payload)

    worker = broker_mod.make_worker(broker)
    worker.start()
    future = runtime.spawn(supervise(settings, anchorer, config, send))
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

"""The real path: a push stored by the webhook, its outbox row relayed through Redis to the Dramatiq actor,
processed by the worker's own Tortoise, and the changed stock pushed to the platform."""

import asyncio
from typing import Any

from domain.channels.models import ChannelOrder
from domain.common.models import OutboxMessage
from lotline.config import Settings
from lotline.platform_sim import Item
from workers import broker as broker_mod
from workers import channels, relay
from workers.runtime import Runtime

from .conftest import World


async def test_a_push_is_processed_through_redis_by_the_worker_and_the_stores_are_told(
    world: World, pg_url: str, redis_url: str
) -> None:
    settings = Settings(database_url=pg_url, redis_url=redis_url)
    broker = broker_mod.make_broker(settings)
    runtime = Runtime(settings).start()
    actors = channels.declare_actors(broker, runtime, world.worker)
    worker = broker_mod.make_worker(broker)
    worker.start()
    try:
        order_id = await world.sim.eleme_order(world.eleme_store, [Item("238364002730", 4)])
        assert await OutboxMessage.filter(topic="channels.event", relayed_at=None).count() >= 1

        def send(topic: str, payload: dict[str, Any]) -> None:
            actors[topic].send(payload)

        # The relay hands on the event, then the posting's own stock signal; the worker tells the stores one
        # after the other, so wait for both (waiting for the first let the second's push be in flight).
        for _ in range(100):
            await relay.relay_batch(send, channels.TOPICS)
            eleme = world.sim.stores[("eleme", world.eleme_store)].stock
            meituan = world.sim.stores[("meituan", world.meituan_store)].stock
            told = eleme.get("238364002730") == 6 and meituan.get("MT-LEMON") == 6
            if told and await ChannelOrder.exists(platform_order_id=order_id):
                break
            await asyncio.sleep(0.1)
        assert await ChannelOrder.filter(platform_order_id=order_id).count() == 1
        assert world.sim.stores[("eleme", world.eleme_store)].stock == {"238364002730": 6}
        assert world.sim.stores[("meituan", world.meituan_store)].stock == {"MT-LEMON": 6}
    finally:
        worker.stop()
        broker.close()
        runtime.stop()

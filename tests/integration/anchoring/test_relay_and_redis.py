import asyncio
import socket
import subprocess
import time
from collections.abc import Iterator
from typing import Any

import pytest

from chain import anvil
from domain.anchoring import services
from domain.common.models import OutboxMessage
from lotline.config import Settings
from tests.integration.anchoring.checks import assert_anchored_exactly_once
from tests.integration.anchoring.conftest import make_anchorer
from workers import broker as broker_mod
from workers import relay
from workers.anchoring import TOPICS, declare_actor
from workers.runtime import Runtime


class RedisServer:
    """A Redis of this test's own (no persistence), so it can be stopped without touching the shared one."""

    def __init__(self) -> None:
        self.port = anvil.free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise TimeoutError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None


@pytest.fixture
def redis_server(redis_url: str) -> Iterator[RedisServer]:  # redis_url: the suite's Redis check runs first
    server = RedisServer()
    server.start()
    yield server
    server.stop()


async def _unrelayed(event_ids: list[int]) -> set[int]:
    rows = await OutboxMessage.filter(topic=TOPICS[0], relayed_at=None)
    return {int(r.payload["trace_event_id"]) for r in rows} & set(event_ids)


async def test_outbox_rows_survive_a_broker_outage_and_events_anchor_through_redis_after_it(
    make_events, chain, registry, redis_server, pg_url
):
    settings = Settings(database_url=pg_url, redis_url=redis_server.url)
    broker = broker_mod.make_broker(settings)
    runtime = Runtime(settings).start()
    anchorer = make_anchorer(chain.url, registry.address)
    actor = declare_actor(broker, runtime, anchorer)
    worker = broker_mod.make_worker(broker)
    worker.start()
    try:

        def send(topic: str, payload: dict[str, Any]) -> None:
            actor.send(payload)

        events = await make_events(5)
        assert await _unrelayed(events) == set(events)

        redis_server.stop()
        with pytest.raises(Exception, match=r"(?i)connect"):
            await relay.relay_batch(send, TOPICS)
        assert await _unrelayed(events) == set(events)  # rolled back: nothing marked, nothing lost

        redis_server.start()  # empty: whatever Redis held before is gone
        await relay.relay_batch(send, TOPICS)
        assert await _unrelayed(events) == set()

        deadline = time.monotonic() + 60  # the worker's consumer reconnects, takes the message, runs a round
        while time.monotonic() < deadline:
            if all(s.anchored for s in (await services.anchor_status_of_events(events)).values()):
                break
            await asyncio.sleep(0.2)
        await assert_anchored_exactly_once(events, registry)
    finally:
        worker.stop()
        runtime.run(anchorer.close())
        broker.close()
        runtime.stop()

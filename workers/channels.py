"""Channel work: platform events processed, sellable stock pushed, missed orders pulled.

Three triggers, so an outage only delays work:
- the outbox relay hands on ``channels.event`` (a push was stored) and ``channels.stock_changed`` (a posting
  touched SKUs a platform sells) to the Dramatiq actors declared here, right after the posting commits;
- a sweep every ``sweep_seconds`` processes events whose retry is due and pushes every changed figure (a lost
  message, a failed push or a mapping added meanwhile is caught up here);
- a pull every ``pull_seconds`` asks each platform store for the day's orders and stores any we never got
  pushed (they are processed like pushes; a later or earlier push of the same order changes nothing).
Without a broker (the demo) the sweep runs on the server's loop (``embedded``).
"""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import dramatiq

from domain.channels import orders, stock_sync
from domain.channels.models import SalesChannel
from lotline.config import Settings
from workers.platform_client import PlatformCallFailed, PlatformClient
from workers.runtime import Runtime

log = logging.getLogger(__name__)
TOPICS = (orders.EVENT_TOPIC, stock_sync.STOCK_TOPIC)


@dataclass
class ChannelsConfig:
    sweep_seconds: float = 2.0
    pull_seconds: float = 60.0


class ChannelWorker:
    def __init__(self, client: PlatformClient) -> None:
        self.client = client
        self._failing: set[str] = set()  # stores whose last push failed: log state changes, not every retry
        self._unconfigured: set[str] = set()

    @classmethod
    def from_settings(cls, settings: Settings) -> "ChannelWorker":
        return cls(PlatformClient(settings.platforms()))

    async def close(self) -> None:
        await self.client.close()

    async def process_event(self, event_id: int) -> str:
        return await orders.event_process(event_id, datetime.now(UTC))

    async def process_due(self, now: datetime | None = None) -> int:
        now = now or datetime.now(UTC)
        due = await orders.due_events(now)
        for event_id in due:
            await orders.event_process(event_id, now)
        return len(due)

    async def push(self, sku_ids: Iterable[int] | None = None, now: datetime | None = None) -> int:
        """Pushes every changed figure (of ``sku_ids``, or all); returns how many items were sent."""
        now = now or datetime.now(UTC)
        sent = 0
        for push in await stock_sync.due_pushes(now, now.date(), sku_ids):
            store = f"{push.platform}:{push.store_id}"
            if store not in self.client.credentials:
                # A store without credentials (the demo's, or one being set up) is not told; say so once.
                if store not in self._unconfigured:
                    log.info("no credentials for %s: its stock is not pushed", store)
                    self._unconfigured.add(store)
                continue
            try:
                await self.client.push_stock(push)
            except PlatformCallFailed as exc:
                await stock_sync.push_failed(push, str(exc), now)
                if store not in self._failing:
                    log.warning("stock push to %s failed, retrying with backoff: %s", store, exc)
                    self._failing.add(store)
                continue
            await stock_sync.push_done(push, now)
            if store in self._failing:
                log.info("stock push to %s works again", store)
                self._failing.discard(store)
            sent += len(push.items)
        return sent

    async def pull(self, day: str | None = None) -> int:
        """Stores the day's orders of every platform store that were never pushed; returns how many."""
        day = day or datetime.now(UTC).date().isoformat()
        stored = 0
        for channel in await SalesChannel.filter(kind__in=("eleme", "meituan"), active=True):
            store = f"{channel.kind}:{channel.platform_store_id}"
            if store not in self.client.credentials:
                if store not in self._unconfigured:
                    log.info("no credentials for %s: its orders are not pulled", store)
                    self._unconfigured.add(store)
                continue
            try:
                messages = await self.client.pull_orders(channel.kind, channel.platform_store_id or "", day)
            except PlatformCallFailed as exc:
                log.warning("order pull from %s %s failed: %s", channel.kind, channel.platform_store_id, exc)
                continue
            for message in messages:
                if await orders.order_known(channel.id, message.platform_order_id):
                    continue
                _, new = await orders.event_receive(message, datetime.now(UTC))
                stored += int(new)
        return stored

    async def run_forever(self, config: ChannelsConfig) -> None:
        """The sweep and the pull, until cancelled; a failing round is logged and tried again."""
        last_pull = 0.0
        loop = asyncio.get_running_loop()
        while True:
            try:
                await self.process_due()
                await self.push()
                if loop.time() - last_pull >= config.pull_seconds:
                    last_pull = loop.time()
                    await self.pull()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("channel sweep failed")
            await asyncio.sleep(config.sweep_seconds)


def declare_actors(broker: dramatiq.Broker, runtime: Runtime, worker: ChannelWorker) -> dict[str, Any]:
    """The Dramatiq actors for the channel topics, by topic (for the outbox relay)."""

    def on_event(payload: dict[str, Any]) -> None:
        runtime.run(worker.process_event(int(payload["event_id"])), timeout=120)

    def on_stock(payload: dict[str, Any]) -> None:
        runtime.run(worker.push([int(i) for i in payload["sku_ids"]]), timeout=120)

    # Retries are ours (the event's backoff and dead letter, the sweep), not Dramatiq's: a message is a
    # nudge, the work is found in the database.
    def actor(fn: Any, name: str) -> "dramatiq.Actor[Any, Any]":
        return dramatiq.Actor(
            fn, broker=broker, actor_name=name, queue_name="channels", priority=0, options={"max_retries": 0}
        )

    return {
        orders.EVENT_TOPIC: actor(on_event, "channels_event"),
        stock_sync.STOCK_TOPIC: actor(on_stock, "channels_stock"),
    }


@contextlib.asynccontextmanager
async def embedded(settings: Settings, config: ChannelsConfig | None = None) -> AsyncIterator[ChannelWorker]:
    """The channel sweep on the server's own loop, for ``lotline serve`` without a broker (the demo)."""
    worker = ChannelWorker.from_settings(settings)
    task = asyncio.create_task(worker.run_forever(config or ChannelsConfig(sweep_seconds=1.0)))
    try:
        yield worker
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await worker.close()

"""Sellable stock out to the platforms: coalesced, changed figures only, retried with backoff.

Every posting that moves or reserves stock of a SKU that some platform store sells calls ``stock_changed``
(inside its transaction), which writes one outbox row naming the SKUs; after commit a worker calls
``due_pushes`` and sends each store one signed update with every item whose figure changed, then
``push_done`` or ``push_failed``. A periodic sweep calls ``due_pushes`` for all SKUs too, so a lost signal
or a failed push is caught up within one sweep.
"""

import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from domain.channels import rules
from domain.channels.models import PlatformSkuMapping, SalesChannel
from domain.channels.services import sellable
from domain.common import outbox
from domain.common.services import enqueue

STOCK_TOPIC = outbox.CHANNEL_STOCK_TOPIC
_CACHE_SECONDS = 5.0
_mapped: tuple[float, frozenset[int]] | None = None


async def mapped_sku_ids() -> frozenset[int]:
    """SKU ids that some platform store sells, cached a few seconds per process (postings ask often;
    a mapping added meanwhile is caught by the periodic sweep)."""
    global _mapped
    now = time.monotonic()
    if _mapped is None or now - _mapped[0] > _CACHE_SECONDS:
        ids = await PlatformSkuMapping.filter(channel__active=True).values_list("sku_id", flat=True)
        _mapped = (now, frozenset(int(i) for i in ids))  # type: ignore[call-overload]
    return _mapped[1]


def forget_mappings() -> None:
    """Drops the cache (after a mapping changed in this process)."""
    global _mapped
    _mapped = None


async def stock_changed(sku_ids: Iterable[int]) -> None:
    """Called by postings inside their transaction: signals the SKUs a platform sells, nothing else."""
    hit = sorted(set(sku_ids) & await mapped_sku_ids())
    if hit:
        await enqueue(STOCK_TOPIC, {"sku_ids": hit})


@dataclass(frozen=True)
class ItemStock:
    mapping_id: int
    platform_sku_id: str
    portions: int  # what the platform should show; 0 = sold out


@dataclass(frozen=True)
class StorePush:
    channel_id: int
    platform: str
    store_id: str
    items: tuple[ItemStock, ...]


async def due_pushes(now: datetime, today: date, sku_ids: Iterable[int] | None = None) -> list[StorePush]:
    """Per platform store, the items whose sellable portions differ from what the store last acknowledged
    (or whose failed push is due again). ``sku_ids`` None: every mapped SKU (the sweep)."""
    query = PlatformSkuMapping.filter(channel__active=True).prefetch_related("channel")
    if sku_ids is not None:
        query = query.filter(sku_id__in=list(sku_ids))
    mappings = await query
    by_warehouse: dict[int, set[int]] = defaultdict(set)
    for m in mappings:
        by_warehouse[m.channel.warehouse_id].add(m.sku_id)
    figures: dict[tuple[int, int], Decimal] = {}
    for warehouse_id, ids in by_warehouse.items():
        for s in await sellable(warehouse_id, ids, today):
            figures[(s.channel_id, s.sku_id)] = s.sellable
    items: dict[int, list[ItemStock]] = defaultdict(list)
    channels: dict[int, SalesChannel] = {}
    for m in mappings:
        if m.next_push_at is not None and m.next_push_at > now:
            continue  # a failed push backing off
        portions = rules.platform_stock(
            figures.get((m.channel_id, m.sku_id), Decimal(0)) / Decimal(m.base_per_portion)
        )
        if portions != m.pushed or m.next_push_at is not None:
            items[m.channel_id].append(ItemStock(m.id, m.platform_sku_id, portions))
            channels[m.channel_id] = m.channel
    return [
        StorePush(cid, channels[cid].kind, channels[cid].platform_store_id or "", tuple(found))
        for cid, found in sorted(items.items())
    ]


async def push_done(push: StorePush, now: datetime) -> None:
    for item in push.items:
        await PlatformSkuMapping.filter(id=item.mapping_id).update(
            pushed=item.portions, pushed_at=now, push_attempts=0, next_push_at=None, push_error=""
        )


async def push_failed(push: StorePush, reason: str, now: datetime) -> None:
    """Keeps the items due, later: backoff by attempts (the figure is recomputed when it is retried)."""
    for item in push.items:
        m = await PlatformSkuMapping.get(id=item.mapping_id)
        attempts = m.push_attempts + 1
        await PlatformSkuMapping.filter(id=m.id).update(
            push_attempts=attempts,
            next_push_at=now + timedelta(seconds=rules.retry_delay_seconds(attempts)),
            push_error=reason[:2000],
        )

"""The outbox holds only rows with a consumer, and relayed rows are pruned after the retention period."""

import asyncio
import time
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from tortoise.transactions import in_transaction

from domain.common import outbox
from domain.common.models import OutboxMessage
from domain.common.services import enqueue
from domain.purchasing import returns as supplier_returns
from domain.sales import returns as customer_returns
from domain.sales import shipments
from domain.trace.models import TraceEvent
from tests import factories
from tests.factories import NOW
from workers import relay

LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)


async def test_postings_write_outbox_rows_only_for_topics_that_have_a_consumer(db):
    first = await OutboxMessage.all().order_by("-id").first()
    events_before = await TraceEvent.all().count()
    sku, wh = await factories.make_sku(), await factories.make_warehouse()
    supplier, customer = await factories.make_supplier(), await factories.make_customer()
    lot = await factories.receive(sku, wh, supplier, Decimal(30))
    order = await factories.make_sales_order(customer, wh, sku, Decimal(5))
    await shipments.shipment_post(order.id, [shipments.ShipmentLineInput(order.line_id, Decimal(5))], NOW)
    await customer_returns.customer_return_post(
        order.id,
        [customer_returns.CustomerReturnLineInput(order.line_id, lot.batch_id, wh.bins[0], Decimal(2))],
        NOW,
    )
    await supplier_returns.supplier_return_post(
        lot.order.id,
        [supplier_returns.ReturnLineInput(lot.order.line_id, lot.batch_id, lot.location_code, Decimal(1))],
        NOW,
    )

    rows = await OutboxMessage.filter(id__gt=first.id if first else 0).values_list("topic", flat=True)
    assert set(rows) == {outbox.ANCHOR_TOPIC}  # no "*.posted" rows that nobody reads
    assert len(rows) == await TraceEvent.all().count() - events_before == 4  # one per trace event


async def test_enqueue_of_a_topic_without_consumer_raises_and_writes_nothing(db):
    before = await OutboxMessage.all().count()

    with pytest.raises(outbox.UnconsumedTopic):
        async with in_transaction():
            await enqueue("shipment.posted", {"shipment_id": 1})

    assert await OutboxMessage.all().count() == before


async def _row(topic: str, created: datetime, relayed: datetime | None) -> int:
    row = await OutboxMessage.create(topic=topic, payload={"tag": uuid.uuid4().hex})
    await OutboxMessage.filter(id=row.id).update(created_at=created, relayed_at=relayed)
    return row.id


async def test_prune_deletes_relayed_rows_past_retention_and_old_unrelayed_nudges_and_retired_topics(db):
    now = datetime.now(UTC)
    old_relayed = await _row(outbox.ANCHOR_TOPIC, LONG_AGO, LONG_AGO + timedelta(seconds=1))
    old_retired = await _row("goods_receipt.posted", LONG_AGO, None)  # left by an older version
    old_nudge = await _row(outbox.ANCHOR_TOPIC, LONG_AGO, None)  # the round finds the events itself
    recent_relayed = await _row(outbox.ANCHOR_TOPIC, now - timedelta(hours=1), now - timedelta(minutes=59))
    recent_retired = await _row("shipment.posted", now - timedelta(hours=1), None)

    pruned = await outbox.prune(timedelta(days=7), now=now)

    left = set(
        await OutboxMessage.filter(
            id__in=[old_relayed, old_retired, old_nudge, recent_relayed, recent_retired]
        ).values_list("id", flat=True)
    )
    assert left == {recent_relayed, recent_retired}
    assert pruned.relayed >= 1
    assert pruned.unrelayed >= 2
    await OutboxMessage.filter(id__in=list(left)).delete()


async def test_the_relay_prunes_on_its_own_schedule(db):
    old = await _row(outbox.ANCHOR_TOPIC, LONG_AGO, LONG_AGO)
    config = relay.OutboxConfig(retention_hours=24, prune_every_seconds=0.2)
    task = asyncio.create_task(relay.relay_forever(lambda topic, payload: None, (), idle=0.05, config=config))
    try:
        deadline = time.monotonic() + 30
        while await OutboxMessage.exists(id=old):
            assert time.monotonic() < deadline, "the relay did not prune"
            assert not task.done(), task
            await asyncio.sleep(0.05)
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

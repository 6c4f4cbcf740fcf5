"""Each recorded event carries recordTime and its place in its lot's hash chain; postings that would date an
event before the lot's receipt are refused with a typed error and leave nothing behind."""

import hashlib
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from domain.common.errors import ErrorCode, ValidationError
from domain.quality import services as quality
from domain.quality.models import QualityCheck
from domain.trace import errors, integrity
from domain.trace.models import TraceEvent, TraceEventBatch, TraceStream
from tests import factories


async def test_a_lots_events_form_a_hash_chain_with_our_record_time(db):
    before = datetime.now(UTC)
    sku, wh = await factories.make_sku(high_risk=True), await factories.make_warehouse()
    received_at = before - timedelta(days=2)
    lot = await factories.receive(
        sku, wh, await factories.make_supplier(), Decimal(5), received_at=received_at
    )
    await quality.quality_check_start(lot.batch_id, "li", received_at + timedelta(hours=1))

    links = await TraceEventBatch.filter(batch_id=lot.batch_id).order_by("seq")
    events = [await TraceEvent.get(id=k.event_id) for k in links]
    bodies = [json.loads(e.canonical) for e in events]

    assert [k.seq for k in links] == [1, 2]
    [first], [second] = (integrity.links_of(b) for b in bodies)
    assert (first.stream, first.seq, first.prev) == (links[0].epc_class, 1, integrity.GENESIS)
    assert (second.seq, second.prev) == (2, hashlib.sha256(events[0].canonical.encode()).hexdigest())
    for event, body in zip(events, bodies, strict=True):
        recorded = datetime.fromisoformat(body["recordTime"].replace("Z", "+00:00"))
        assert before - timedelta(seconds=1) <= recorded <= datetime.now(UTC)
        assert event.leaf == hashlib.sha256(event.canonical.encode()).hexdigest()
        assert event.body == body  # the one copy
    head = await TraceStream.get(stream=links[0].epc_class)
    assert (head.head_seq, head.head_hash) == (2, events[1].leaf)


async def test_a_posting_dated_before_the_lots_receipt_is_refused_and_records_nothing(db):
    sku, wh = await factories.make_sku(high_risk=True), await factories.make_warehouse()
    received_at = datetime.now(UTC) - timedelta(days=1)
    lot = await factories.receive(
        sku, wh, await factories.make_supplier(), Decimal(5), received_at=received_at
    )
    events_before = await TraceEvent.all().count()

    with pytest.raises(errors.EventBeforeBatch) as caught:
        await quality.quality_check_start(lot.batch_id, "li", received_at - timedelta(days=3))

    assert isinstance(caught.value, ValidationError)
    assert caught.value.code == ErrorCode.VALIDATION
    assert caught.value.path == ("eventTime",)
    assert "precedes the lot's first event" in caught.value.message
    assert await TraceEvent.all().count() == events_before
    assert await QualityCheck.filter(batch_id=lot.batch_id, status="inspecting").count() == 0

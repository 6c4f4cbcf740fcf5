"""Gate arrivals in the data-health report, and alerts stored once per supplier, week and metric with an
outbox row each; notified by the worker's notify (log, webhook), which an outage delays and never drops."""

import asyncio
import json
from datetime import timedelta
from decimal import Decimal

import httpx
import pytest

from domain.asn import arrivals, receiving, rules, services
from domain.common import outbox
from domain.common.models import OutboxMessage
from domain.health import alerts
from domain.health import services as health
from domain.health.models import HealthAlert
from domain.purchasing import receipts
from tests.factories import NOW
from tests.integration.asn.conftest import make_story
from workers import health as health_worker
from workers import relay

HOUR = timedelta(hours=1)


async def _week_with_two_deliveries():
    """One ASN delivery (notice 30 h ahead, at the gate 5 h before its receipt) and one without notice (at
    the gate 1 h before its receipt), all on the business day of NOW."""
    story = await make_story()
    asn = await services.asn_create(
        story.order_id,
        NOW - 5 * HOUR,
        [rules.AsnLineInput(story.line_ids[0], "AR-1", Decimal(2))],
        NOW - 30 * HOUR,
        supplier_id=story.supplier.id,
    )
    await arrivals.arrival_record(arrivals.ArrivalInput(NOW - 5 * HOUR, asn_id=asn.document_id), NOW)
    await arrivals.arrival_record(arrivals.ArrivalInput(NOW - 2 * HOUR, order_id=story.order_id), NOW)
    await receiving.goods_receipt_post_from_asn(asn.document_id, story.wh.bins[0], NOW)
    await receipts.goods_receipt_post(
        story.order_id,
        [receipts.ReceiptLineInput(story.line_ids[0], Decimal(1), "AR-2", story.wh.bins[0])],
        NOW - HOUR,
    )
    return story


async def test_arrivals_give_asn_before_arrival_and_the_delay_to_receipt_posting(db):
    story = await _week_with_two_deliveries()

    report = await health.report(NOW, weeks=1, supplier_id=story.supplier.id)

    week = report.weeks[-1]
    coverage = report.value(story.supplier.id, week, "asn_coverage")
    delay = report.value(story.supplier.id, week, "arrival_receipt_hours")
    assert (coverage.value, coverage.samples, coverage.breached) == (Decimal("50.0"), 2, True)
    assert (delay.value, delay.samples, delay.breached) == (Decimal("3.0"), 2, False)  # median of 5 h and 1 h


async def _mine(story) -> list[HealthAlert]:
    return await HealthAlert.filter(supplier_id=story.supplier.id).order_by("metric")


async def _rows_for(ids: set[int]) -> list[OutboxMessage]:
    rows = await OutboxMessage.filter(topic=outbox.HEALTH_ALERT_TOPIC).order_by("id")
    return [r for r in rows if r.payload["alert_id"] in ids]


async def test_a_breached_metric_is_stored_once_with_one_outbox_row(db):
    story = await _week_with_two_deliveries()

    first = await alerts.alerts_raise(NOW, weeks=1)
    second = await alerts.alerts_raise(NOW + timedelta(minutes=10), weeks=1)

    mine = await _mine(story)
    keys = {(a.week, a.metric) for a in mine}
    assert ("2030-W23", "asn_coverage") in keys
    assert ("", "master_data") in keys  # no GLN, no contact
    assert "arrival_receipt_hours" not in {a.metric for a in mine}  # 3 h is within 4 h
    assert first.new >= len(mine)
    assert second.new == 0
    coverage = next(a for a in mine if a.metric == "asn_coverage")
    assert (coverage.value, coverage.threshold, coverage.samples, coverage.raised_at) == (
        Decimal("50.0"),
        Decimal(80),
        2,
        NOW,
    )
    assert len(await _rows_for({a.id for a in mine})) == len(mine)  # one each, not one per scan


async def test_two_scans_at_once_store_each_alert_once(db):
    story = await _week_with_two_deliveries()

    await asyncio.gather(alerts.alerts_raise(NOW, weeks=1), alerts.alerts_raise(NOW, weeks=1))

    mine = await _mine(story)
    assert len({(a.week, a.metric) for a in mine}) == len(mine) >= 2
    assert len(await _rows_for({a.id for a in mine})) == len(mine)


async def test_a_webhook_outage_delays_the_notification_and_the_scan_asks_again(db):
    story = await _week_with_two_deliveries()
    await alerts.alerts_raise(NOW, weeks=1)
    alert = next(a for a in await _mine(story) if a.metric == "asn_coverage")
    config = health_worker.HealthConfig(webhook_url="http://hooks.test/lotline")
    received: list[dict[str, object]] = []

    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    def up(request: httpx.Request) -> httpx.Response:
        received.append(json.loads(request.content))
        return httpx.Response(204)

    async with httpx.AsyncClient(transport=httpx.MockTransport(down)) as http:
        with pytest.raises(httpx.ConnectError):
            await health_worker.notify(alert.id, config, http)
    after_outage = await HealthAlert.get(id=alert.id)
    assert (after_outage.notified_at, after_outage.attempts) == (None, 1)

    later = await alerts.alerts_raise(NOW + 2 * HOUR, weeks=1)  # still pending after an hour: asked again
    assert later.new == 0
    assert later.renudged >= 1
    assert len(await _rows_for({alert.id})) == 2

    async with httpx.AsyncClient(transport=httpx.MockTransport(up)) as http:
        assert await health_worker.notify(alert.id, config, http) is True
        assert await health_worker.notify(alert.id, config, http) is False  # the repeated message
    notified = await HealthAlert.get(id=alert.id)
    assert notified.notified_at is not None
    assert len(received) == 1
    assert received[0]["supplier_code"] == story.supplier.code
    assert (received[0]["week"], received[0]["metric"], received[0]["value"]) == (
        "2030-W23",
        "asn_coverage",
        "50",
    )
    assert "到货前有发货通知" in str(received[0]["text"])
    await alerts.alerts_raise(NOW + 4 * HOUR, weeks=1)
    assert len(await _rows_for({alert.id})) == 2  # notified: not asked again


async def test_without_a_webhook_the_log_line_is_the_notification(db, caplog):
    story = await _week_with_two_deliveries()
    await alerts.alerts_raise(NOW, weeks=1)
    alert = next(a for a in await _mine(story) if a.metric == "asn_coverage")

    with caplog.at_level("WARNING", logger="lotline.health.alert"):
        assert await health_worker.notify(alert.id, health_worker.HealthConfig(webhook_url="")) is True

    assert [r.getMessage() for r in caplog.records if story.supplier.code in r.getMessage()] == [
        f"数据健康度预警 data-health alert: {story.supplier.code} 2030-W23 "
        "到货前有发货通知 ASN before arrival = 50% (阈值 threshold ≥ 80%)"
    ]
    assert (await HealthAlert.get(id=alert.id)).notified_at is not None


async def test_a_broker_outage_leaves_alert_rows_for_the_relay_and_then_they_are_notified(db):
    """The path a real worker takes: the relay hands ``health.alert`` rows to the notify actor; while the
    broker is down nothing is marked relayed, afterwards every stored alert of ours is notified."""
    story = await _week_with_two_deliveries()
    await alerts.alerts_raise(NOW, weeks=1)
    mine = {a.id for a in await _mine(story)}

    def broker_down(topic: str, payload: dict[str, object]) -> None:
        raise ConnectionError("redis is away")

    with pytest.raises(ConnectionError):
        await relay.relay_batch(broker_down, health_worker.TOPICS)
    assert all(r.relayed_at is None for r in await _rows_for(mine))

    handed: list[int] = []
    while await relay.relay_batch(lambda t, p: handed.append(int(p["alert_id"])), health_worker.TOPICS):
        pass
    for alert_id in handed:
        await health_worker.notify(alert_id, health_worker.HealthConfig(webhook_url=""))

    assert mine <= set(handed)
    assert all(r.relayed_at is not None for r in await _rows_for(mine))
    assert await HealthAlert.filter(id__in=mine, notified_at=None).count() == 0

"""The outbox's topics and their consumers, and its retention.

A posting writes an outbox row only for a topic something consumes: each topic is declared here with the
worker that consumes it, ``services.enqueue`` refuses any other (a row nobody relays would pile up for
ever), and a test checks that every declared topic has an actor in the worker and every ``enqueue`` in
the code names a declared topic. To add a topic: declare it here, route it in ``workers.main``.

Relayed rows are kept ``retention`` (default 7 days, ``LOTLINE_OUTBOX_RETENTION_HOURS``) for tracing
deliveries, then deleted by the relay (``prune``). So are, once as old, rows never relayed whose topic
nobody consumes any more (left by an older version) or whose consumer reads its work from the database
and takes a row only as a nudge (``trace.anchor``: the anchoring round finds pending events itself, so a
deployment without a chain does not pile up nudges for ever).
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tortoise.expressions import Q

from domain.common.models import OutboxMessage

ANCHOR_TOPIC = "trace.anchor"


@dataclass(frozen=True)
class Consumer:
    actor: str  # the worker actor the relay hands each row to
    nudge: bool = False  # the row only says "look now": the work itself is found in the database


CHANNEL_EVENT_TOPIC = "channels.event"
FORECAST_RUN_TOPIC = "forecast.run"
CHANNEL_STOCK_TOPIC = "channels.stock_changed"
HEALTH_ALERT_TOPIC = "health.alert"
ATTESTATION_SUBMIT_TOPIC = "attestations.submit"

CONSUMERS: dict[str, Consumer] = {
    ANCHOR_TOPIC: Consumer("workers.anchoring.anchor_trace_events (an anchoring round)", nudge=True),
    # A stored platform push to process, and SKUs whose sellable stock may have changed: the channels'
    # sweep finds both in the database too (due events, changed figures), so the rows are nudges.
    CHANNEL_EVENT_TOPIC: Consumer("workers.channels.channels_event (process one platform event)", nudge=True),
    CHANNEL_STOCK_TOPIC: Consumer(
        "workers.channels.channels_stock (push changed sellable stock)", nudge=True
    ),
    # A data-health alert to notify (log line, and the webhook when configured). Not a nudge: the row names
    # the alert; the alert itself stays pending until notified, and the scan asks again for old pending ones.
    HEALTH_ALERT_TOPIC: Consumer("workers.health.health_alert_notify (notify one data-health alert)"),
    # An attestation whose threshold of signatures is reached: its aggregate goes on chain. Not a nudge: the
    # row is the only trigger, so it is kept until relayed (an outage delays the submission, never drops it);
    # the worker's sweep of attestations left "submitting" covers a message lost in the broker.
    ATTESTATION_SUBMIT_TOPIC: Consumer("workers.attestations.attestations_submit (aggregate on chain)"),
    # A forecast run planned through GraphQL: the dispatcher sends one message per shard (issue 12).
    FORECAST_RUN_TOPIC: Consumer("workers.forecasting.forecast_run_dispatch (send the run's shards)"),
}


class UnconsumedTopic(ValueError):
    """``enqueue`` of a topic no consumer is declared for (a programming error, not a user error)."""

    def __init__(self, topic: str) -> None:
        super().__init__(f"outbox topic {topic!r} has no consumer: declare it in domain.common.outbox")
        self.topic = topic


def check_topic(topic: str) -> None:
    if topic not in CONSUMERS:
        raise UnconsumedTopic(topic)


@dataclass(frozen=True)
class Pruned:
    relayed: int  # relayed rows older than the retention
    unrelayed: int  # never-relayed rows, as old, of retired topics or of nudges


async def prune(retention: timedelta, now: datetime | None = None, limit: int = 10_000) -> Pruned:
    """Deletes up to ``limit`` rows of each kind older than ``now - retention`` (oldest first)."""
    cutoff = (now or datetime.now(UTC)) - retention
    relayed_ids = (
        await OutboxMessage.filter(relayed_at__lt=cutoff)
        .order_by("id")
        .limit(limit)
        .values_list("id", flat=True)
    )
    kept = [topic for topic, consumer in CONSUMERS.items() if not consumer.nudge]
    stale = OutboxMessage.filter(Q(relayed_at=None) & Q(created_at__lt=cutoff) & ~Q(topic__in=kept))
    stale_ids = await stale.order_by("id").limit(limit).values_list("id", flat=True)
    relayed = await OutboxMessage.filter(id__in=list(relayed_ids)).delete() if relayed_ids else 0
    unrelayed = await OutboxMessage.filter(id__in=list(stale_ids)).delete() if stale_ids else 0
    return Pruned(relayed, unrelayed)

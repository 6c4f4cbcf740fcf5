"""Data-health alerts, stored and notified: when a metric of a supplier and week crosses its threshold, one
``HealthAlert`` row is kept (once per supplier, week and metric: raising again adds nothing) and, in the same
transaction, an outbox row asks the notification worker to send it. The worker marks the alert notified only
after the notification went out; a notification outage leaves it pending, and each scan nudges the alerts
still pending after ``RENOTIFY_AFTER`` again, so an outage delays notifications and never drops one.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from domain.common import outbox
from domain.common.errors import NotFound
from domain.common.services import enqueue
from domain.health import rules, services, snapshot
from domain.health.models import HealthAlert
from domain.partners.models import Supplier

RENOTIFY_AFTER = timedelta(hours=1)


@dataclass(frozen=True)
class Raised:
    new: int  # alerts stored by this scan
    renudged: int  # pending alerts whose notification was asked for again


@dataclass(frozen=True)
class AlertMessage:
    """What a notification says (bilingual), and the data behind it for a webhook consumer."""

    alert_id: int
    supplier_code: str
    week: str
    metric: str
    value: Decimal | None
    threshold: Decimal
    text: str


async def alerts_raise(now: datetime, weeks: int = 2) -> Raised:
    """Stores the alerts of the last ``weeks`` ISO weeks (the current one included) not stored yet, each with
    an outbox row of topic ``health.alert``; asks again for pending ones older than ``RENOTIFY_AFTER``.
    Idempotent: a second scan of the same figures stores and sends nothing new (a scan racing with another
    loses its insert, rolls back and finds the winner's rows on its retry). The scan first refreshes the
    stored books-vs-ledger list (``snapshot.refresh``) that the views read."""
    await snapshot.refresh()
    report = await services.report(now, weeks)
    for attempt in range(2):
        try:
            return await _store(report.alerts, now)
        except IntegrityError:
            if attempt:
                raise
    raise AssertionError("unreachable")


async def _store(breached: tuple[rules.MetricValue, ...], now: datetime) -> Raised:
    async with in_transaction():
        existing = {
            (a.supplier_id, a.week, a.metric)
            for a in await HealthAlert.filter(metric__in={v.key for v in breached}).only(
                "id", "supplier_id", "week", "metric"
            )
        }
        new = 0
        for v in breached:
            if (v.supplier_id, v.week, v.key) in existing:
                continue
            alert = await HealthAlert.create(
                supplier_id=v.supplier_id,
                week=v.week,
                metric=v.key,
                value=v.value,
                threshold=v.threshold,
                samples=v.samples,
                raised_at=now,
            )
            await enqueue(outbox.HEALTH_ALERT_TOPIC, {"alert_id": alert.id})
            new += 1
        stale = await HealthAlert.filter(notified_at=None, raised_at__lt=now - RENOTIFY_AFTER).values_list(
            "id", flat=True
        )
        for alert_id in stale:
            await enqueue(outbox.HEALTH_ALERT_TOPIC, {"alert_id": alert_id})
        return Raised(new, len(stale))


async def alert_message(alert_id: int) -> AlertMessage | None:
    """The notification of a pending alert; ``None`` when it was notified already (a repeated message).
    ``NotFound``: no such alert."""
    alert = await HealthAlert.get_or_none(id=alert_id)
    if alert is None:
        raise NotFound("health alert", alert_id)
    if alert.notified_at is not None:
        return None
    supplier = await Supplier.get_or_none(id=alert.supplier_id)
    code = supplier.code if supplier else ""
    metric = rules.BY_KEY.get(alert.metric, rules.MASTER_DATA)
    value = Decimal(alert.value) if alert.value is not None else None
    threshold = Decimal(alert.threshold)
    bound = "≥" if metric.higher_is_better else "≤"
    shown = "—" if value is None else _plain(value)
    text = (
        f"数据健康度预警 data-health alert: {code or '全部 overall'} {alert.week or 'master data'} "
        f"{metric.label_zh} {metric.label_en} = {shown}{metric.unit} "
        f"(阈值 threshold {bound} {_plain(threshold)}{metric.unit})"
    )
    return AlertMessage(alert.id, code, alert.week, alert.metric, value, threshold, text)


def _plain(d: Decimal) -> str:
    text = format(d, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


async def alert_notified(alert_id: int, now: datetime) -> None:
    """Marks the alert notified (after the notification went out)."""
    await HealthAlert.filter(id=alert_id, notified_at=None).update(notified_at=now)


async def alert_attempt_failed(alert_id: int) -> None:
    """Counts a failed notification (the alert stays pending; the message is retried)."""
    alert = await HealthAlert.get_or_none(id=alert_id)
    if alert is not None:
        alert.attempts += 1
        await alert.save(update_fields=["attempts"])


@dataclass(frozen=True)
class StoredAlert:
    id: int
    supplier_id: int
    week: str
    metric: str
    value: Decimal | None
    threshold: Decimal
    samples: int
    raised_at: datetime
    notified_at: datetime | None
    attempts: int


def stored(a: HealthAlert) -> StoredAlert:
    return StoredAlert(
        a.id,
        a.supplier_id,
        a.week,
        a.metric,
        Decimal(a.value) if a.value is not None else None,
        Decimal(a.threshold),
        a.samples,
        a.raised_at,
        a.notified_at,
        a.attempts,
    )


async def recent(supplier_id: int | None, limit: int = 50) -> list[StoredAlert]:
    """Stored alerts, newest first; ``supplier_id`` confines them to one supplier (``None``: staff, all)."""
    query = HealthAlert.all()
    if supplier_id is not None:
        query = query.filter(supplier_id=supplier_id)
    return [stored(a) for a in await query.order_by("-raised_at", "-id").limit(limit)]

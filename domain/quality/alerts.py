"""Batch alert use cases: raising them inside a posting that carried sensor readings, and acknowledging them.

Kept apart from ``services.py`` (inspections) so each module stays short; same layer, same rules.
An alert never changes stock or a batch's status: it tells the quality team, who decide (inspect,
block, or acknowledge).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from tortoise.transactions import in_transaction

from domain.catalog.models import Sku
from domain.common import bulk_insert
from domain.common.dialect import is_postgres
from domain.common.errors import Conflict, NotFound, ValidationError
from domain.quality import rules
from domain.quality.models import BatchAlert
from domain.trace import identifiers, recording

MAX_NOTE = 500


def limits_of(sku: Sku) -> rules.Limits:
    return rules.Limits(sku.temperature_min, sku.temperature_max, sku.humidity_max)


def event_readings(readings: Sequence[rules.SensorReadingInput]) -> list[identifiers.SensorReading]:
    """The readings as the EPCIS builder takes them (already checked by ``rules.check_readings``)."""
    return [
        identifiers.SensorReading(r.kind, r.value, r.time, r.device_id.strip() if r.device_id else None)
        for r in readings
    ]


async def raise_for_readings(
    readings: Sequence[rules.SensorReadingInput],
    recorded: Sequence[recording.Recorded],
    *,
    doc_type: str,
    doc_id: int,
    doc_number: str,
    now: datetime,
) -> int:
    """One alert per reading and lot of the document whose SKU's range the reading breaks; in the caller's
    transaction. Returns how many were raised."""
    alerts = []
    for rec in recorded:
        for lot in rec.lots:
            limits = limits_of(lot.sku)
            for r in readings:
                found = rules.excursion(r, limits)
                if found is None:
                    continue
                alerts.append(
                    BatchAlert(
                        batch_id=lot.batch.id,
                        kind=found.kind.value,
                        value=found.value,
                        limit=found.limit,
                        reading_time=r.time,
                        device_id=r.device_id.strip() if r.device_id else None,
                        trace_event_id=rec.event.id,
                        doc_type=doc_type,
                        doc_id=doc_id,
                        doc_number=doc_number,
                        created_at=now,
                    )
                )
    # One statement; in a posting's batch it goes with the event it names (``deferred``).
    await bulk_insert.insert_models(alerts)
    return len(alerts)


@dataclass(frozen=True)
class AlertView:
    id: int
    batch_id: int
    kind: str
    value: Decimal
    limit: Decimal
    unit: str
    reading_time: datetime | None
    device_id: str | None
    trace_event_id: int
    doc_type: str
    doc_id: int
    doc_number: str
    created_at: datetime
    acknowledged_at: datetime | None
    acknowledged_by_id: int | None
    note: str


def unit_of(kind: str) -> str:
    return rules.UNITS[
        rules.SensorKind.HUMIDITY if kind.startswith("humidity") else rules.SensorKind.TEMPERATURE
    ]


def view(a: BatchAlert) -> AlertView:
    return AlertView(
        a.id,
        a.batch_id,
        a.kind,
        Decimal(a.value),
        Decimal(a.limit),
        unit_of(a.kind),
        a.reading_time,
        a.device_id,
        a.trace_event_id,
        a.doc_type,
        a.doc_id,
        a.doc_number,
        a.created_at,
        a.acknowledged_at,
        a.acknowledged_by_id,
        a.note,
    )


async def batch_alert_acknowledge(
    alert_id: int, user_id: int | None, now: datetime, note: str = ""
) -> AlertView:
    """Marks an open alert as seen (by whom, when, with a note); an acknowledged one is a Conflict."""
    if len(note) > MAX_NOTE:
        raise ValidationError(f"a note has at most {MAX_NOTE} characters", ("note",))
    query = BatchAlert.filter(id=alert_id)
    if is_postgres():
        query = query.select_for_update()
    async with in_transaction():
        alert = await query.first()
        if alert is None:
            raise NotFound("batch alert", alert_id, ("alertId",))
        if alert.acknowledged_at is not None:
            raise Conflict(
                f"batch alert {alert_id} was acknowledged at {alert.acknowledged_at}", ("alertId",)
            )
        alert.acknowledged_at = now
        alert.acknowledged_by_id = user_id
        alert.note = note.strip()
        await alert.save(update_fields=["acknowledged_at", "acknowledged_by_id", "note"])
        return view(alert)


async def alerts_of(batch_id: int, open_only: bool = False) -> list[AlertView]:
    query = BatchAlert.filter(batch_id=batch_id)
    if open_only:
        query = query.filter(acknowledged_at__isnull=True)
    return [view(a) for a in await query.order_by("id")]

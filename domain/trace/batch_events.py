"""The events of one batch (ours and captured), oldest first, as plain views of ``TraceEvent`` rows.

An unknown batch raises ``NotFound`` (path ``batchId``). ``body`` is the stored EPCIS 2.0 JSON-LD event.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.trace import genealogy_walk as walk
from domain.trace.models import TraceEvent, TraceEventBatch


@dataclass(frozen=True)
class EventView:
    event_id: str
    event_type: str
    biz_step: str
    action: str | None
    disposition: str | None
    event_time: datetime
    origin: str
    doc_type: str
    leaf: str
    body: dict[str, Any]


def event_view(e: TraceEvent) -> EventView:
    return EventView(
        e.event_id,
        e.event_type,
        e.biz_step,
        e.action,
        e.disposition,
        e.event_time,
        e.origin,
        e.doc_type,
        e.leaf,
        e.body,
    )


async def batch_events(batch_id: int) -> list[EventView]:
    """Every event (ours and captured) about the batch, oldest first."""
    await walk.require_batch(batch_id)
    event_ids = await TraceEventBatch.filter(batch_id=batch_id).values_list("event_id", flat=True)
    rows = await TraceEvent.filter(id__in=list(set(event_ids))).order_by("event_time", "id")
    return [event_view(e) for e in rows]
